"""Tools ▸ Find Duplicates…: look for duplicates in the background, review them group by group,
and move the ticked photos to the system trash on an explicit, confirmed action.

Looking runs on a thread of its own (``LongJob``) with progress and Cancel; closing the window
cancels it (the hashes computed so far are kept by core, so looking again goes on from there).
Each group shows its photos side by side, the suggested keeper (core.duplicates.keeping)
unticked and marked "Keep", the others ticked for the trash; every tick can be changed.
Nothing is ever removed but by "Move N Photos to Trash…", after a confirmation that says where
they go. Moving runs off the GUI thread; photos that moved leave the rows and ``photos_removed``
lets the main window refresh its grid; a photo that could not move stays, with its reason.

Large results: rows are built a page at a time as the list scrolls near its end, so ten
thousand groups cost the first page, not ten thousand rows of widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.lifecycle.states import ModelState
from core.records import DuplicateGroup, Failure, TrashReport
from desktop_app.duplicates_cards import THUMB, GroupRow, file_size, photos_text
from desktop_app.engine import Engine
from desktop_app.i18n import number
from desktop_app.long_job import LongJob
from desktop_app.thumbnails import ThumbnailLoader

PAGE = 20  # groups built at a time
MORE_WITHIN = 1.5  # build the next page once the end is this many screens away


def _find(engine: Engine) -> Callable[[threading.Event, Callable[..., None]], Any]:
    def work(cancel: threading.Event, progress: Callable[..., None]) -> Any:
        library = engine.library
        if library is None:
            raise RuntimeError("the library closed")
        compared = library.status().indexed
        progress("photos", compared)
        skipped: list[Failure] = []
        groups = library.duplicates(
            cancel, lambda done, total: progress("steps", done, total), skipped)
        return groups, skipped, compared

    return work


class DuplicatesWindow(QWidget):
    photos_removed = Signal(list)  # list[Path] moved to the trash: the grid must follow

    def __init__(self, engine: Engine, loader: ThumbnailLoader,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.engine = engine
        self.loader = loader
        self.setWindowTitle(self.tr("Find Duplicates — PhotoSeek"))
        self.resize(1040, 760)
        self.groups: list[DuplicateGroup] = []
        self.ticked: dict[int, bool] = {}  # photo id -> ticked for the trash (every group)
        self.rows: list[GroupRow] = []  # built so far, in the order of self.groups
        self.skipped: list[Failure] = []
        self.compared = 0
        self.job: LongJob | None = None
        self._trash_job: LongJob | None = None
        self._confirm: QMessageBox | None = None
        self._waiting_for_model = False

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.again_button = QPushButton(self.tr("Look Again"), self)
        self.again_button.clicked.connect(self.start)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        top.addWidget(self.again_button)
        self.skipped_label = QLabel(self)
        self.skipped_label.setWordWrap(True)
        self.skipped_label.hide()

        self.group_list = QWidget(self)
        self.list_layout = QVBoxLayout(self.group_list)
        self.list_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.list_layout.setContentsMargins(4, 0, 4, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.group_list)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._maybe_more)
        self.scroll_area.verticalScrollBar().rangeChanged.connect(self._maybe_more)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.trash_button = QPushButton(self)
        self.trash_button.clicked.connect(self.confirm_trash)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.trash_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        loader.ready.connect(self._thumbnails_arrived)
        engine.model_state.connect(self._model_state)
        self._count_changed()

    # -- looking ------------------------------------------------------------------------------

    def start(self) -> None:
        """Look for duplicates (again), once the library and its model are ready."""
        if (self.job is not None and self.job.running) or self._trash_job is not None:
            return
        self._clear()
        self.again_button.hide()
        if self.engine.library is None or not self.engine.model_ready:
            self._waiting_for_model = True
            self._busy(self.tr("Waiting for the search model to load…"))
            return
        self._waiting_for_model = False
        self._busy(self.tr("Looking for duplicates…"))
        self.job = LongJob(_find(self.engine), "duplicates", self)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._found)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.job.start()

    def cancel(self) -> None:
        if self._waiting_for_model:
            self._waiting_for_model = False
        elif self.job is not None and self.job.running:
            self.job.cancel()
        else:
            return
        self._cancelled()

    def _model_state(self, state: ModelState, _text: str) -> None:
        if self._waiting_for_model and state is ModelState.READY and self.isVisible():
            self.start()

    def _busy(self, text: str) -> None:
        self.heading.setText(text)
        self.progress.setRange(0, 0)  # moving until the first count
        self.progress.show()
        self.cancel_button.show()
        self.trash_button.setEnabled(False)

    def _idle(self, text: str) -> None:
        self.heading.setText(text)
        self.progress.hide()
        self.cancel_button.hide()
        self.again_button.show()
        self._count_changed()

    def _progress(self, args: tuple[Any, ...]) -> None:
        if args[0] == "photos":
            self.compared = int(args[1])
            self.heading.setText(self.tr("Looking for duplicates among {0} photos…")
                                 .format(number(self.compared)))
        elif args[0] == "steps" and args[2] > 0:
            self.progress.setRange(0, int(args[2]))
            self.progress.setValue(int(args[1]))

    def _found(self, outcome: tuple[list[DuplicateGroup], list[Failure], int]) -> None:
        self.groups, self.skipped, self.compared = outcome
        self.ticked = {m.photo.id: not m.keep for g in self.groups for m in g.members}
        self._show_skipped()
        self._more()
        self._show_found()

    def _show_found(self) -> None:
        if not self.groups:
            self._idle(self.tr("No duplicates found among {0} photos compared.")
                       .format(number(self.compared)))
            return
        photos = sum(len(g.members) for g in self.groups)
        text = (self.tr("{0} groups of duplicates ({1} photos) among {2} photos compared.")
                if len(self.groups) != 1 else
                self.tr("1 group of duplicates ({1} photos) among {2} photos compared."))
        self._idle(text.format(number(len(self.groups)), number(photos), number(self.compared)))

    def _failed(self, exc: BaseException) -> None:
        from core.errors import PhotoSeekError

        if not isinstance(exc, PhotoSeekError):
            import logging

            logging.getLogger(__name__).error("looking for duplicates failed", exc_info=exc)
        self._idle(self.tr("Looking for duplicates stopped: {0}").format(exc))

    def _cancelled(self) -> None:
        self._idle(self.tr("Cancelled. What was checked is kept: looking again goes on from "
                           "there."))

    def _show_skipped(self) -> None:
        if not self.skipped:
            self.skipped_label.hide()
            return
        first = "; ".join(f"{f.path.name} ({f.reason})" for f in self.skipped[:3])
        more = len(self.skipped) - 3
        first += f" … (+{number(more)})" if more > 0 else ""
        self.skipped_label.setText(
            self.tr("{0} could not be checked and were left out: {1}")
            .format(photos_text(len(self.skipped)), first))
        self.skipped_label.setToolTip("\n".join(f"{f.path}: {f.reason}" for f in self.skipped))
        self.skipped_label.show()

    # -- rows, built as the list scrolls -------------------------------------------------------

    def _clear(self) -> None:
        for row in self.rows:
            self.list_layout.removeWidget(row)
            row.deleteLater()
        self.rows, self.groups, self.ticked, self.skipped = [], [], {}, []
        self.skipped_label.hide()
        self._count_changed()

    def _more(self) -> None:
        """Build the next page of rows."""
        start = len(self.rows)
        for group in self.groups[start:start + PAGE]:
            row = GroupRow(group, self.ticked, self.group_list)
            row.toggled.connect(self._toggled)
            self.list_layout.addWidget(row)
            self.rows.append(row)
            for card in row.cards.values():
                self._show_picture(card)

    def _maybe_more(self, *_args: object) -> None:
        bar = self.scroll_area.verticalScrollBar()
        near = bar.maximum() - bar.value() <= MORE_WITHIN * self.scroll_area.viewport().height()
        if near and len(self.rows) < len(self.groups):
            self._more()

    def _show_picture(self, card: Any) -> None:
        path = card.member.photo.path
        card.set_picture(self.loader.get(path, THUMB), self.loader.failed(path, THUMB))

    def _thumbnails_arrived(self, paths: list[Path]) -> None:
        arrived = set(paths)
        for row in self.rows:
            for card in row.cards.values():
                if card.member.photo.path in arrived:
                    self._show_picture(card)

    # -- ticks and the trash ------------------------------------------------------------------

    def _toggled(self, photo_id: int, ticked: bool) -> None:
        self.ticked[photo_id] = ticked
        self._count_changed()

    def chosen(self) -> list[int]:
        """The photos ticked for the trash, in the order of the groups."""
        return [m.photo.id for g in self.groups for m in g.members if self.ticked.get(m.photo.id)]

    def _count_changed(self) -> None:
        ids = set(self.chosen())
        count = len(ids)
        size = sum(m.photo.size for g in self.groups for m in g.members if m.photo.id in ids)
        self.trash_button.setText(
            self.tr("Move 1 Photo to Trash…") if count == 1 else
            self.tr("Move {0} Photos to Trash…").format(number(count)))
        busy = (self.job is not None and self.job.running) or self._trash_job is not None
        self.trash_button.setEnabled(count > 0 and not busy)
        if self.groups:
            self.summary.setText(self.tr("{0} ticked for the trash: {1} would be freed.")
                                 .format(number(count), file_size(size)))

    def _groups_without_keeper(self) -> int:
        return sum(1 for g in self.groups if all(self.ticked.get(m.photo.id) for m in g.members))

    def confirm_trash(self) -> None:
        ids = self.chosen()
        if not ids or self._trash_job is not None:
            return
        count = len(ids)
        text = self.tr("Move {0} to the trash?").format(photos_text(count))
        info = self.tr("They go to the system trash, where they can be restored from. "
                       "PhotoSeek stops showing them.")
        lost = self._groups_without_keeper()
        if lost:
            info += "\n\n" + self.tr("In {0} groups every photo is ticked: no copy of "
                                     "them would be kept.").format(number(lost))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Move to Trash"), text,
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(info)
        move = box.addButton(self.tr("Move to Trash"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter alone never moves photos

        def answered(button: QAbstractButton) -> None:
            self._confirm = None
            if button is move:
                self.trash(ids)

        box.buttonClicked.connect(answered)
        self._confirm = box
        box.open()  # not exec(): the window and its looking go on while it is asked

    def trash(self, ids: list[int]) -> None:
        """Move these photos to the trash off the GUI thread (only ever after confirming)."""
        library = self.engine.library
        if library is None:
            return
        self._busy(self.tr("Moving {0} to the trash…").format(photos_text(len(ids))))
        self.cancel_button.hide()  # files already moved cannot be unmoved halfway
        self.again_button.hide()
        job = LongJob(lambda _cancel, _progress: library.trash(ids), "trash", self)
        job.finished.connect(self._trashed)
        job.failed.connect(self._trash_failed)
        self._trash_job = job
        job.start()

    def _trashed(self, report: TrashReport) -> None:
        self._trash_job = None
        moved = {photo.id for photo in report.trashed}
        for failure in report.failed:
            self.ticked[failure.photo_id] = False
            for row in self.rows:
                card = row.cards.get(failure.photo_id)
                if card is not None:
                    card.show_problem(failure.reason)
        self._drop(moved)
        text = self.tr("Moved {0} to the trash ({1} freed).").format(
            photos_text(len(report.trashed)), file_size(report.freed))
        if report.failed:
            text += " " + self.tr("{0} could not be moved: the reason is under each.").format(
                photos_text(len(report.failed)))
        self._idle(text)
        if report.trashed:
            self.photos_removed.emit([photo.path for photo in report.trashed])

    def _trash_failed(self, exc: BaseException) -> None:
        self._trash_job = None
        self._idle(self.tr("Nothing more was moved: {0}").format(exc))

    def _drop(self, moved: set[int]) -> None:
        """Photos that went to the trash leave their groups; a group of one is no group."""
        kept_groups, kept_rows = [], []
        built = dict(zip([id(g) for g in self.groups[:len(self.rows)]], self.rows, strict=True))
        for group in self.groups:
            left = [m for m in group.members if m.photo.id not in moved]
            row = built.get(id(group))
            if len(left) > 1:
                kept_groups.append(group)
                if row is not None:
                    row.remove(moved)
                    kept_rows.append(row)
            elif row is not None:
                self.list_layout.removeWidget(row)
                row.deleteLater()
        for photo_id in moved:
            self.ticked.pop(photo_id, None)
        # A group's members and rows stay those on screen; ``chosen`` reads the ticks.
        self.groups = [DuplicateGroup(g.kind, tuple(m for m in g.members if m.photo.id not in
                                                    moved)) for g in kept_groups]
        for row, group in zip(kept_rows, self.groups, strict=False):
            row.group = group
        self.rows = kept_rows
        self._maybe_more()

    # -- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing cancels looking; a move to the trash under way finishes (and is reported
        to the main window), since a half-done move cannot be undone here."""
        if self._confirm is not None:
            self._confirm.close()
        if self.job is not None and self.job.running:
            self.job.cancel()
            self._cancelled()
        self._waiting_for_model = False
        super().closeEvent(event)
