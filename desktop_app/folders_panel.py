"""The library panel: folders with photo counts and watch state, and files that failed, why.

It only displays what the engine reports and forwards the user's requests to it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.records import Failure, Folder, LibraryStatus

PathRole = Qt.ItemDataRole.UserRole + 1


def folder_state(folder: Folder) -> str:
    if not folder.online:
        return "offline"
    if folder.watch_mode == "polling":
        return "checked every few minutes"  # network or removable drive: no change events
    return "watching"


class FoldersPanel(QDockWidget):
    add_requested = Signal(str)  # a folder path
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Library", parent)
        self.setObjectName("folders")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeWidget(body)
        self.tree.setHeaderLabels(["Folder", "Photos", "State"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the folder's own name
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.tree)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add folder…", body)
        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button = QPushButton("Remove", body)
        self.remove_button.setToolTip("Remove the folder from the library (files are untouched)")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._failures: list[Failure] = []
        self._folders: list[Folder] = []

    def show_status(self, status: LibraryStatus) -> None:
        self._folders = list(status.folders)
        self._rebuild()

    def show_failures(self, failures: list[Failure]) -> None:
        self._failures = list(failures)
        self._rebuild()

    def _rebuild(self) -> None:
        selected = self.selected_folder()
        self.tree.clear()
        for folder in self._folders:
            counts = f"{folder.photos:,}"
            if folder.indexed < folder.photos:
                counts += f" ({folder.indexed:,} indexed)"
            item = QTreeWidgetItem([str(folder.path), counts, folder_state(folder)])
            item.setData(0, PathRole, str(folder.path))
            item.setToolTip(0, str(folder.path))
            failed = [f for f in self._failures if f.path.is_relative_to(folder.path)]
            if failed:
                group = QTreeWidgetItem([f"{len(failed)} could not be read", "", ""])
                item.addChild(group)
                for failure in failed:
                    rel = failure.path.relative_to(folder.path)
                    child = QTreeWidgetItem([str(rel), "", failure.reason])
                    child.setToolTip(0, str(failure.path))
                    child.setToolTip(2, failure.reason)
                    group.addChild(child)
            self.tree.addTopLevelItem(item)
            if str(folder.path) == selected:
                item.setSelected(True)
        if not self._folders:
            hint = QTreeWidgetItem(["No folders yet. Add one, or drop it here."])
            hint.setDisabled(True)
            self.tree.addTopLevelItem(hint)
            hint.setFirstColumnSpanned(True)

    def selected_folder(self) -> str | None:
        for item in self.tree.selectedItems():
            top = item
            while top.parent() is not None:
                top = top.parent()
            path = top.data(0, PathRole)
            if path:
                return str(path)
        return None

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected_folder() is not None)

    def choose_folder(self) -> None:
        start = str(Path.home())
        path = QFileDialog.getExistingDirectory(self, "Add a folder of photos", start)
        if path:
            self.add_requested.emit(path)

    def _remove_selected(self) -> None:
        path = self.selected_folder()
        if path is None:
            return
        answer = QMessageBox.question(
            self, "Remove folder",
            f"Remove {path} from the library?\n\nThe photos stay on disk; they are only "
            "no longer searched.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_requested.emit(path)
