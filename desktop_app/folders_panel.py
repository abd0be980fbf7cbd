"""The library panel: folders with photo counts and state, and files not read, with why.

It only displays what the engine reports and forwards the user's requests to it. Status updates
arrive while indexing (about once a second): they update the folder rows' text in place; the
tree is rebuilt only when the folders or the failures change, with at most ``FAILURES_SHOWN``
failures per folder, and the groups the user expanded stay expanded.

The panel is narrow: a folder shows its own name (its full path in the tooltip), and a file not
read shows its name and reason on one row spanning the panel (the reason in full in the
tooltip), so no column squeezes another to nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.records import Failure, Folder, LibraryStatus
from desktop_app.i18n import number, translate

PathRole = Qt.ItemDataRole.UserRole + 1
FAILURES_SHOWN = 200  # per folder; the rest is summed up in one "… and N more" row
MIN_WIDTH = 280


def watched(folder: Folder) -> bool:
    """The usual state: online, all of it mounted, changes seen as they happen."""
    return folder.online and not folder.unmounted and folder.watch_mode != "polling"


def folder_state(folder: Folder) -> str:
    """The folder's state in words, as the panel says it."""
    if not folder.online:
        return translate("FoldersPanel", "offline")
    if folder.unmounted:
        count = len(folder.unmounted)
        if count == 1:
            return translate("FoldersPanel", "1 drive inside not mounted")
        return translate("FoldersPanel", "{0} drives inside not mounted").format(number(count))
    if folder.watch_mode == "polling":  # network or removable drive: no change events
        return translate("FoldersPanel", "checked every few minutes")
    return translate("FoldersPanel", "watching")


def folder_labels(folders: list[Folder]) -> dict[Path, str]:
    """Each folder's own name; where two share a name, the folder above tells them apart."""
    names = [f.path.name or str(f.path) for f in folders]
    return {
        f.path: name if names.count(name) == 1 else f"{name} ({f.path.parent.name or '/'})"
        for f, name in zip(folders, names, strict=True)
    }


class FoldersPanel(QDockWidget):
    add_requested = Signal(str)  # a folder path
    remove_requested = Signal(str)
    folder_selected = Signal(object)  # the selected folder's id (None: none selected)
    folder_chosen = Signal(object)  # the selected folder's path: the grid filters to it
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Library"))
        self.setObjectName("folders")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeWidget(body)
        self.tree.setHeaderLabels([self.tr("Folder"), self.tr("Photos")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.tree)
        self.hint = QLabel(self.tr(
            "No folders yet. Add one with the button below, or drop a folder on the window."),
            body)
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # the palette's quiet text colour
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.hint)
        self.setMinimumWidth(MIN_WIDTH)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add folder…"), body)
        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button = QPushButton(self.tr("Remove"), body)
        self.remove_button.setToolTip(
            self.tr("Remove the folder from the library (files are untouched)"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._failures: list[Failure] = []
        self._folders: list[Folder] = []

    def show_status(self, status: LibraryStatus) -> None:
        folders = list(status.folders)
        same = [f.path for f in folders] == [f.path for f in self._folders]
        self._folders = folders
        if same and self.tree.topLevelItemCount() == len(folders) and folders:
            labels = folder_labels(folders)
            for item, folder in zip(self._top_items(), folders, strict=True):
                _describe(item, folder, labels[folder.path])  # counts change: in place
            return
        self._rebuild()

    def show_failures(self, failures: list[Failure]) -> None:
        if failures == self._failures and self.tree.topLevelItemCount():
            return
        self._failures = list(failures)
        self._rebuild()

    def _top_items(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(row) for row in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _expanded(self) -> set[str]:
        """Paths of the expanded folders, and of folders whose failure group is expanded."""
        keys: set[str] = set()
        for item in self._top_items():
            path = item.data(0, PathRole)
            group = item.child(0) if item.childCount() else None
            if path and item.isExpanded():
                keys.add(path)
            if path and group is not None and group.isExpanded():
                keys.add(f"{path}\0failures")
        return keys

    def _rebuild(self) -> None:
        selected, expanded = self.selected_folder(), self._expanded()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        by_folder = _failures_by_folder(self._folders, self._failures)
        labels = folder_labels(self._folders)
        for folder in self._folders:
            path = str(folder.path)
            item = QTreeWidgetItem(["", ""])
            item.setData(0, PathRole, path)
            _describe(item, folder, labels[folder.path])
            self.tree.addTopLevelItem(item)
            failed = by_folder.get(folder.path, [])
            if failed:
                group = _failure_group(folder.path, failed)
                item.addChild(group)
                _span(group)
                group.setExpanded(f"{path}\0failures" in expanded)
            item.setExpanded(path in expanded)
            if path == selected:
                item.setSelected(True)
        self.tree.setVisible(bool(self._folders))
        self.hint.setVisible(not self._folders)
        self.tree.setUpdatesEnabled(True)

    def selected_folder(self) -> str | None:
        for item in self.tree.selectedItems():
            top = item
            while (parent := top.parent()) is not None:
                top = parent
            path = top.data(0, PathRole)
            if path:
                return str(path)
        return None

    def _selection_changed(self) -> None:
        path = self.selected_folder()
        self.remove_button.setEnabled(path is not None)
        folder = next((f for f in self._folders if str(f.path) == path), None)
        self.folder_selected.emit(folder.id if folder is not None else None)
        self.folder_chosen.emit(folder.path if folder is not None else None)
        self.selection_changed.emit()

    def choose_folder(self) -> None:
        start = str(Path.home())
        path = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of photos"), start)
        if path:
            self.add_requested.emit(path)

    def remove_selected(self) -> None:
        path = self.selected_folder()
        if path is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove folder"),
            self.tr("Remove {0} from the library?\n\nThe photos stay on disk; they are only "
                    "no longer searched.").format(path),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_requested.emit(path)


def _counts(folder: Folder) -> str:
    if folder.indexed < folder.photos:
        return f"{number(folder.indexed)} / {number(folder.photos)}"
    return number(folder.photos)


def _describe(item: QTreeWidgetItem, folder: Folder, label: str) -> None:
    state = folder_state(folder)
    item.setText(0, label if watched(folder) else f"{label} — {state}")
    item.setText(1, _counts(folder))
    item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setToolTip(0, f"{folder.path}\n{state}")
    indexed, photos = number(folder.indexed), number(folder.photos)
    if folder.failed:
        tip = translate("FoldersPanel", "{0} of {1} photos indexed, {2} could not be read")
        item.setToolTip(1, tip.format(indexed, photos, number(folder.failed)))
    else:
        tip = translate("FoldersPanel", "{0} of {1} photos indexed")
        item.setToolTip(1, tip.format(indexed, photos))


def _failures_by_folder(
    folders: list[Folder], failures: list[Failure]
) -> dict[Path, list[Failure]]:
    """Each failure under its nearest library folder, walking up its parents as strings: for
    5,000 failures this is a few ms, where hashing Path parents took tens (GUI thread)."""
    roots = {str(f.path): f.path for f in folders}
    grouped: dict[Path, list[Failure]] = {}
    dirname = os.path.dirname
    for failure in failures:
        parent = dirname(str(failure.path))
        while True:
            root = roots.get(parent)
            if root is not None:
                grouped.setdefault(root, []).append(failure)
                break
            up = dirname(parent)
            if up == parent:
                break  # outside every folder (it was just removed): not shown
            parent = up
    return grouped


def _failure_group(root: Path, failed: list[Failure]) -> QTreeWidgetItem:
    unread = sum(1 for f in failed if f.kind == "unread")
    parts = []
    if len(failed) - unread:
        parts.append(translate("FoldersPanel", "{0} could not be read").format(
            number(len(failed) - unread)))
    if unread:
        parts.append(translate("FoldersPanel", "{0} not read (other formats…)").format(
            number(unread)))
    # Two parts joined the language's way ("，" in Chinese)
    title = parts[0] if len(parts) == 1 else translate(
        "FoldersPanel", "{0}, {1}").format(*parts)
    group = QTreeWidgetItem([title, ""])
    children = []
    for failure in failed[:FAILURES_SHOWN]:
        # Name and reason on one row spanning the panel: a reason in a column of its own
        # squeezed the names to nothing in a narrow panel.
        child = QTreeWidgetItem([f"{failure.path.name} — {failure.reason}", ""])
        child.setToolTip(0, f"{failure.path.relative_to(root)}\n{failure.reason}")
        children.append(child)
    if len(failed) > FAILURES_SHOWN:
        more = QTreeWidgetItem([translate("FoldersPanel", "… and {0} more").format(
            number(len(failed) - FAILURES_SHOWN)), ""])
        more.setDisabled(True)
        children.append(more)
    group.addChildren(children)
    return group


def _span(group: QTreeWidgetItem) -> None:
    """Rows of a failure group span both columns (only possible once they are in the tree)."""
    group.setFirstColumnSpanned(True)
    for row in range(group.childCount()):
        child = group.child(row)
        if child is not None:
            child.setFirstColumnSpanned(True)
