"""One search field plus query chips (example photos, "not" terms), each removable.

Typing emits ``query_changed`` 250 ms after the last key; Enter emits at once. The bar only
collects what the user asked for; the query itself is built by core on the query worker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from desktop_app.themed import restyle_on_theme_change
from desktop_app.window_drops import has_local_files, names_local_photos

DEBOUNCE_MS = 250


@dataclass(frozen=True)
class QueryDraft:
    """What the user has asked for so far; core.search.build_query turns it into a Query."""

    text: str = ""
    images: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.images


class Chip(QFrame):
    """A rounded label with a remove button; colours come from the palette (dark mode safe)."""

    removed = Signal()

    def __init__(self, text: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chip")
        self.setStyleSheet(
            "#chip { border: 1px solid palette(mid); border-radius: 11px;"
            " background: palette(alternate-base); }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(2)
        label = QLabel(text, self)
        label.setToolTip(tooltip)
        layout.addWidget(label)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip("Remove")
        close.setAccessibleName(f"Remove {text}")
        close.clicked.connect(self.removed.emit)
        layout.addWidget(close)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        restyle_on_theme_change(self, event)
        super().changeEvent(event)


class SearchField(QLineEdit):
    """Esc clears the text (then the chips); the window handles Esc when there is nothing.

    A QLineEdit takes Ctrl+V and drops for itself (it would paste nothing, or type a dropped
    file's file:// URL); when they hold pictures or files rather than words, this field hands
    them to the window instead, which searches by them.
    """

    escape = Signal()
    paste_requested = Signal()  # Ctrl+V with an image or files (no text) on the clipboard
    files_dropped = Signal(QMimeData)  # files or folders dropped on the field

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        if event.matches(QKeySequence.StandardKey.Paste) and _clipboard_holds_pictures():
            self.paste_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if has_local_files(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if has_local_files(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        if has_local_files(mime):
            event.acceptProposedAction()
            self.files_dropped.emit(mime)
            return
        super().dropEvent(event)


def _clipboard_holds_pictures() -> bool:
    """Photos copied in a file manager (their urls, with their paths as text beside) or an
    image's pixels; plain words paste into the field as anywhere else."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return False
    if names_local_photos(mime):
        return True
    if mime.hasText() and mime.text().strip():
        return False
    return mime.hasImage() or has_local_files(mime)


class SearchBar(QWidget):
    query_changed = Signal(object)  # QueryDraft

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = QueryDraft()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._chips = QHBoxLayout()
        self._chips.setSpacing(4)
        layout.addLayout(self._chips)
        self.field = SearchField(self)
        self.field.setPlaceholderText("Describe a photo, or drop one here…  (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.field.setMinimumWidth(240)
        layout.addWidget(self.field, 1)
        self.not_button = QToolButton(self)
        self.not_button.setText("Not…")
        self.not_button.setToolTip("Turn the typed words into a 'not' term: steer away from them")
        self.not_button.clicked.connect(self.exclude_typed_text)
        layout.addWidget(self.not_button)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.field.textEdited.connect(self._typed)
        self.field.textChanged.connect(self._text_changed)  # the clear button, set_text
        self.field.returnPressed.connect(self.submit)
        self.field.escape.connect(self.clear_step)

    @property
    def draft(self) -> QueryDraft:
        return self._draft

    def _typed(self, _text: str) -> None:
        self._debounce.start()  # restart: fire 250 ms after the last key

    def _text_changed(self, text: str) -> None:
        if not text and self._draft.text:
            self.submit()  # cleared with the button: show the library again at once

    def submit(self) -> None:
        self._debounce.stop()
        self._emit()

    def _emit(self) -> None:
        self._draft = replace(self._draft, text=self.field.text())
        self.query_changed.emit(self._draft)

    def set_text(self, text: str) -> None:
        self.field.setText(text)
        self.submit()

    def add_images(self, paths: list[Path], *, replace_all: bool = True) -> None:
        """Search by these example photos (dropped or pasted); typed words are kept."""
        images = tuple(str(p) for p in paths)
        if not replace_all:
            images = self._draft.images + tuple(i for i in images if i not in self._draft.images)
        self._draft = replace(self._draft, images=images)
        self._rebuild_chips()
        self.submit()

    def add_negative(self, term: str) -> None:
        if term.strip() and term not in self._draft.negatives:
            self._draft = replace(self._draft, negatives=(*self._draft.negatives, term.strip()))
            self._rebuild_chips()
            self.submit()

    def exclude_typed_text(self) -> None:
        text = self.field.text().strip()
        if text:
            self.field.clear()
            self._draft = replace(self._draft, text="")
            self.add_negative(text)

    def clear_step(self) -> None:
        """Esc: clear the words first, then the chips."""
        if self.field.text():
            self.field.clear()
        elif self._draft.images or self._draft.negatives:
            self._draft = QueryDraft()
            self._rebuild_chips()
        self.submit()

    def _remove(self, kind: str, value: str) -> None:
        if kind == "image":
            images = tuple(i for i in self._draft.images if i != value)
            self._draft = replace(self._draft, images=images)
        else:
            negatives = tuple(n for n in self._draft.negatives if n != value)
            self._draft = replace(self._draft, negatives=negatives)
        self._rebuild_chips()
        self.submit()

    def _rebuild_chips(self) -> None:
        while self._chips.count():
            item = self._chips.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from view now, freed on the next loop turn
                widget.deleteLater()
        for image in self._draft.images:
            chip = Chip(f"like {Path(image).name}", image, self)
            chip.removed.connect(lambda v=image: self._remove("image", v))
            self._chips.addWidget(chip)
        for negative in self._draft.negatives:
            shown = Path(negative).name if "/" in negative or "\\" in negative else negative
            chip = Chip(f"not {shown}", negative, self)
            chip.removed.connect(lambda v=negative: self._remove("negative", v))
            self._chips.addWidget(chip)

    def chip_count(self) -> int:
        return self._chips.count()
