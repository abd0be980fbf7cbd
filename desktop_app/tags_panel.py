"""The tags panel: the library's tags with their photo counts, most used first.

Clicking a tag shows its photos: the tags chosen here are the search's tag filter
(``Filters.tags``), shown as chips in the filter bar, combined with whatever is typed and with
the other filters; a click toggles a tag, so several combine (photos carrying all of them).
The filter bar owns the filters: the panel emits ``tags_chosen`` and follows ``set_chosen``.

A field adds a tag of one's own ("my red bike"): core embeds the phrase and tags the photos that
show it (``Library.add_tag``, on the io pool). An own tag is removed from its context menu;
built-in tags cannot be.

Tags are read on the io pool (``Library.tags``), again when tagging may have changed them:
indexing went idle, photos became searchable, the library was opened again (a model switch).
Requests are coalesced, a hidden panel reads nothing until shown, and a new list updates the
rows in place when the order is unchanged (else the tree is rebuilt with updates off), keeping
the chosen tags selected and the scroll position: no flicker while indexing reports progress.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QLocale, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.lifecycle.states import IndexingState, ModelState
from core.records import IndexProgress, LibraryStatus, TagCount
from desktop_app.i18n import number, translate

if TYPE_CHECKING:
    from core.library import Library
    from desktop_app.engine import Engine

log = logging.getLogger(__name__)

NameRole = Qt.ItemDataRole.UserRole + 1  # the tag's name: what the filter holds
CustomRole = Qt.ItemDataRole.UserRole + 2  # True for one's own tag
REFRESH_DELAY_MS = 400  # bursts of "something changed" become one read
IN_PLACE_MAX = 40  # more changed rows than this: the tree is rebuilt instead (see bench)
NOTE_MS = 12_000  # how long "“x” added: …" stays under the list
_NO_UPDATE = QItemSelectionModel.SelectionFlag.NoUpdate  # current, selection untouched
_NINES = str.maketrans("0123456789", "9999999999")  # the widest count of as many digits


def added_note(tag: TagCount, name: str, model_ready: bool) -> str:
    """What the panel says once one's own tag is added: how many photos show it."""
    if not tag.count and not model_ready:
        return translate("TagsPanel", "“{0}” added: its photos are found once the search model "
                         "is ready.").format(name)
    if tag.count == 0:
        return translate("TagsPanel", "“{0}” added: no photo shows it yet.").format(name)
    if tag.count == 1:
        return translate("TagsPanel", "“{0}” added: 1 photo shows it.").format(name)
    return translate("TagsPanel", "“{0}” added: {1} photos show it.").format(
        name, number(tag.count))


def shown_name(tag: TagCount, chinese: bool) -> str:
    """What a row says: one's own phrase as typed, a built-in tag's Chinese name in a Chinese
    interface, else its name."""
    if tag.custom:
        return tag.phrase or tag.name
    return tag.zh if chinese and tag.zh else tag.name


class TagsPanel(QDockWidget):
    tags_chosen = Signal(tuple)  # the names of the tags chosen, in the order they were chosen

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tags"))
        self.setObjectName("tags")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self._engine = engine
        self._chinese = QLocale().language() == QLocale.Language.Chinese
        self._tags: list[TagCount] = []
        self._chosen: tuple[str, ...] = ()
        self._status: LibraryStatus | None = None
        self._tagging = False  # core's tagging job reports progress now
        self._stale = True  # something changed while the panel was hidden
        self._adding: str | None = None  # the phrase being added
        self._note = ""  # the outcome of the last add or remove, said under the list

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.add_field = QLineEdit(body)
        self.add_field.setPlaceholderText(self.tr("Add a tag…"))
        self.add_field.setAccessibleName(self.tr("Add a tag"))
        self.add_field.setToolTip(self.tr(
            "Type a few words that say what photos show, such as “my red bike”, and press "
            "Enter: the photos that show it are tagged."))
        self.add_field.setClearButtonEnabled(True)
        self.add_field.returnPressed.connect(self._add_typed)
        layout.addWidget(self.add_field)
        self.tree = QTreeWidget(body)
        self.tree.setHeaderLabels([self.tr("Tag"), self.tr("Photos")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        # A click toggles a tag: several chosen tags combine, a second click lets one go.
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.MultiSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed, sized once per list (_fit_counts): ResizeToContents measured every row again
        # on each row's change, which made updating 400 counts take a second.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.tree, 1)
        self.hint = QLabel(body)  # why the list is empty, or how adding went
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # the palette's quiet text colour
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.hint)
        self.setWidget(body)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_MS)
        self._note_timer.timeout.connect(self._forget_note)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        engine.opened.connect(self._library_opened)
        engine.status_changed.connect(self._status_changed)
        engine.library_grew.connect(lambda _n: self.request_refresh())
        engine.indexing_state.connect(self._indexing_state)
        engine.index_progress.connect(self._progress)
        engine.model_state.connect(self._model_state)
        self._show_tags([])

    # -- what the panel shows ------------------------------------------------------------

    @property
    def tags(self) -> list[TagCount]:
        return list(self._tags)

    @property
    def chosen(self) -> tuple[str, ...]:
        return self._chosen

    def empty_reason(self) -> str:
        """One line: why there are no tags yet."""
        engine, status = self._engine, self._status
        if engine.library is None:
            return self.tr("Tags appear here once the library is open.")
        if status is not None and status.indexed == 0:
            return self.tr("Photos are tagged once they are indexed.")
        if not engine.model_ready:
            return self.tr("Photos are tagged once the search model is ready.")
        if self._tagging:
            return self.tr("Tagging photos… their tags appear here when it is done.")
        if engine.indexing not in (None, IndexingState.IDLE):
            return self.tr("Photos are tagged once indexing is done.")
        return self.tr("No tags yet: photos are tagged in the background after indexing.")

    def _show_tags(self, tags: list[TagCount]) -> None:
        names = [t.name for t in tags]
        old = self._tags
        same_rows = names == [t.name for t in old] and self.tree.topLevelItemCount()
        self._tags = list(tags)
        if same_rows:  # counts changed at most: those rows in place, nothing moves
            changed = [(item, tag) for item, was, tag in zip(self._items(), old, tags,
                                                               strict=True) if was != tag]
            if len(changed) > IN_PLACE_MAX:
                self._rebuild()  # quicker than many single changes
            else:
                for item, tag in changed:
                    self._describe(item, tag)
                self._fit_counts()
        else:
            self._rebuild()
        if any(n not in names for n in self._chosen):  # a chosen tag went: its filter too
            self._choose(tuple(n for n in self._chosen if n in names))
        self._show_hint()

    def _rebuild(self) -> None:
        scroll = self.tree.verticalScrollBar().value()
        current = self.tree.currentItem()
        current_name = current.data(0, NameRole) if current is not None else None
        self.tree.setUpdatesEnabled(False)
        self.tree.blockSignals(True)  # selecting the chosen tags again is no new choice
        try:
            self.tree.clear()
            items = []
            for tag in self._tags:
                item = QTreeWidgetItem(["", ""])
                self._describe(item, tag)
                items.append(item)
            self.tree.addTopLevelItems(items)
            for item in items:
                name = item.data(0, NameRole)
                item.setSelected(name in self._chosen)
                if name == current_name:
                    self.tree.setCurrentItem(item, 0, _NO_UPDATE)
        finally:
            self.tree.blockSignals(False)
            self.tree.setUpdatesEnabled(True)
        self._fit_counts()
        self.tree.verticalScrollBar().setValue(scroll)

    def _fit_counts(self) -> None:
        """The count column as wide as its widest number (or its title)."""
        metrics = self.tree.fontMetrics()
        widest = max((number(t.count) for t in self._tags), key=len, default="")
        width = max(metrics.horizontalAdvance(widest.translate(_NINES)),
                    metrics.horizontalAdvance(self.tree.headerItem().text(1)))
        self.tree.header().resizeSection(1, width + 16)

    def _describe(self, item: QTreeWidgetItem, tag: TagCount) -> None:
        name = shown_name(tag, self._chinese)
        count = number(tag.count)
        photos = self.tr("1 photo") if tag.count == 1 else self.tr("{0} photos").format(count)
        if tag.custom:
            item.setText(0, self.tr("{0} (yours)").format(name))
            tip = self.tr("Your tag “{0}”: {1}. Click to show them; right-click to remove the "
                          "tag.").format(name, photos)
        else:
            item.setText(0, name)
            also = f" ({tag.zh})" if tag.zh and tag.zh != name else ""
            tip = self.tr("{0}{1}: {2}. Click to show them; click again to stop.").format(
                name, also, photos)
        item.setText(1, count)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(0, tip)
        item.setToolTip(1, tip)
        item.setData(0, NameRole, tag.name)
        item.setData(0, CustomRole, tag.custom)

    def _show_hint(self) -> None:
        if self._adding is not None:
            text = self.tr("Adding “{0}”…").format(self._adding)
        elif self._note:
            text = self._note
        elif not self._tags:
            text = self.empty_reason()
        else:
            text = ""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self.tree.setVisible(bool(self._tags))

    def _say(self, note: str) -> None:
        """A line under the list on how adding or removing went, for a while."""
        self._note = note
        self._note_timer.start()
        self._show_hint()

    def _forget_note(self) -> None:
        self._note = ""
        self._show_hint()

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def item_named(self, name: str) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(0, NameRole) == name), None)

    # -- the choice: the tag filter ------------------------------------------------------

    def set_chosen(self, names: tuple[str, ...]) -> None:
        """Follow the filter bar (a chip removed, Clear Filters): select exactly ``names``."""
        self._chosen = tuple(names)
        self.tree.blockSignals(True)
        try:
            for item in self._items():
                item.setSelected(item.data(0, NameRole) in self._chosen)
        finally:
            self.tree.blockSignals(False)
        self.tree.viewport().update()

    def _selection_changed(self) -> None:
        selected = {str(item.data(0, NameRole)) for item in self.tree.selectedItems()}
        # Chips keep the order tags were chosen in; a new one goes last.
        kept = tuple(n for n in self._chosen if n in selected)
        added = tuple(str(i.data(0, NameRole)) for i in self._items()
                      if i.data(0, NameRole) in selected and i.data(0, NameRole) not in kept)
        self._choose(kept + added)

    def _choose(self, names: tuple[str, ...]) -> None:
        if names != self._chosen:
            self._chosen = names
            self.tags_chosen.emit(names)

    # -- reading the tags ----------------------------------------------------------------

    def request_refresh(self) -> None:
        """Read the tags again soon (bursts of changes become one read)."""
        self._stale = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        """Read the tags now, on the io pool; a hidden panel reads when it is shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        library = self._engine.library
        if library is None:
            self._show_hint()
            return
        self._run(lambda _cancel: library.tags(), self._show_tags, library, key="tags")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _library_opened(self, status: LibraryStatus) -> None:
        self._status, self._note = status, ""  # opened again with another model: read now
        self.refresh()

    def _status_changed(self, status: LibraryStatus) -> None:
        first = self._status is None
        self._status = status
        if first or not self._tags:
            self._show_hint()

    def _indexing_state(self, state: IndexingState, _error: object) -> None:
        if state is IndexingState.IDLE:  # tagging, if it ran, is done
            self._tagging = False
            self.request_refresh()
        if not self._tags:
            self._show_hint()

    def _progress(self, progress: IndexProgress) -> None:
        # The indexing state goes idle before the work after embedding (tags among it) and
        # stays so: its end is the "done" reported after it, or tagging's progress giving way
        # to the next job's (reading text may take long: the tags are shown before).
        tagging = progress.phase == "tags"
        if progress.phase == "done" or (self._tagging and not tagging):
            self.request_refresh()
        if tagging != self._tagging:
            self._tagging = tagging
            if not self._tags:
                self._show_hint()

    def _model_state(self, state: ModelState, _message: str) -> None:
        if state is ModelState.READY:
            self.request_refresh()
        elif not self._tags:
            self._show_hint()

    # -- adding and removing one's own tags ----------------------------------------------

    def _add_typed(self) -> None:
        phrase = " ".join(self.add_field.text().split())
        library = self._engine.library
        if not phrase or library is None or self._adding is not None:
            return
        self._adding, self._note = phrase, ""
        self.add_field.setEnabled(False)
        self._show_hint()
        model_ready = self._engine.model_ready

        def added(tag: TagCount) -> None:
            self._adding = None
            self.add_field.setEnabled(True)
            self.add_field.clear()
            self.add_field.setFocus()
            self._say(added_note(tag, shown_name(tag, self._chinese), model_ready))
            self._after_change(tag.name)

        def failed(message: str) -> None:
            self._adding = None
            self.add_field.setEnabled(True)
            self.add_field.setFocus()
            self._say(message)

        self._run(lambda _cancel: library.add_tag(phrase), added, library, failed)

    def remove(self, name: str) -> None:
        """Remove one's own tag ``name`` (a built-in one cannot be: core says so)."""
        library = self._engine.library
        if library is None:
            return

        def removed(_none: object) -> None:
            self._forget_note()
            if name in self._chosen:
                self._choose(tuple(n for n in self._chosen if n != name))
            self._after_change(None)

        self._run(lambda _cancel: library.remove_tag(name), removed, library, self._say)

    def _after_change(self, current: str | None) -> None:
        """Read the tags again at once; ``current``: the row to show (a tag just added)."""
        library = self._engine.library
        if library is None:
            return

        def show(tags: list[TagCount]) -> None:
            self._show_tags(tags)
            item = self.item_named(current) if current is not None else None
            if item is not None:
                self.tree.setCurrentItem(item, 0, _NO_UPDATE)  # shown, not chosen
                self.tree.scrollToItem(item)

        self._stale = False
        self._run(lambda _cancel: library.tags(), show, library, key="tags")

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        name = str(item.data(0, NameRole))
        tag = next((t for t in self._tags if t.name == name), None)
        menu = QMenu(self)
        if tag is not None and tag.custom:
            shown = shown_name(tag, self._chinese)
            menu.addAction(self.tr("Remove Tag “{0}”").format(shown)).triggered.connect(
                lambda: self.remove(name))
        else:
            menu.addAction(self.tr("Built-in tags cannot be removed")).setEnabled(False)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # -- work on the io pool -------------------------------------------------------------

    def _run(
        self,
        work: Callable[[threading.Event], object],
        done: Callable[[Any], None],  # with the result of ``work``
        library: Library,
        failed: Callable[[str], None] | None = None,
        key: str | None = None,
    ) -> None:
        """``work`` on the io pool, ``done`` with its result on the GUI thread. A message for
        the person goes to ``failed``; an error from a library closed meanwhile (another model
        swapped in) is dropped: the new library's tags are read when it opens."""
        from core.errors import PhotoSeekError

        def error(exc: BaseException) -> None:
            if isinstance(exc, PhotoSeekError):
                if failed is not None:
                    failed(str(exc))
                else:
                    self._engine.message.emit(str(exc))
            else:
                if library is self._engine.library:  # a bug, not a library closed meanwhile
                    log.error("the tags panel's work failed", exc_info=exc)
                if failed is not None:
                    failed(self.tr("That did not work: the log has the details."))

        self._engine.tasks.run("io", work, on_result=done, on_error=error, key=key)
