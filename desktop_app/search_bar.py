"""One search field plus query chips, each removable.

Chips show example photos ("like IMG_0412.jpg") and terms to avoid ("not dog"), each with a
weight that a click on it changes, and what core understood in the words typed ("2023",
"Paris"): removing one of those puts its words in quotes, so they go to the model as words.

Typing emits ``query_changed`` 250 ms after the last key; Enter emits at once. The bar only
collects what the user asked for (a ``core.search.request.Asked``, with the filters and order
the filter bar sets); the query itself is built by core on the query worker.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

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
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from core.search.filters import Filters
from core.search.request import Asked, Sort
from desktop_app.themed import restyle_on_theme_change
from desktop_app.window_drops import has_local_files, names_local_photos

if TYPE_CHECKING:
    from core.search.understanding import Chip as UnderstoodChip

DEBOUNCE_MS = 250


# What the user has asked for so far (core's record: the GUI keeps no copy of its own).
QueryDraft = Asked

WEIGHTS = (0.5, 1.0, 2.0, 3.0)  # what a chip's weight menu offers
_WEIGHTED = re.compile(r"^([0-9]+(?:\.[0-9]+)?):(.+)$")


def split_weight(term: str) -> tuple[float, str]:
    """"2:/photos/a.jpg" -> (2.0, "/photos/a.jpg"); a term without a weight weighs 1."""
    match = _WEIGHTED.match(term)
    if match and not Path(term).exists():
        return float(match.group(1)), match.group(2)
    return 1.0, term


def with_weight(value: str, weight: float) -> str:
    return value if weight == 1.0 else f"{weight:g}:{value}"


class Chip(QFrame):
    """A rounded label with a remove button; colours come from the palette (dark mode safe).
    With ``weights``, clicking the label offers them (the chosen one: ``reweighed``)."""

    removed = Signal()
    reweighed = Signal(float)

    def __init__(
        self,
        text: str,
        tooltip: str,
        parent: QWidget | None = None,
        *,
        weight: float | None = None,
        understood: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chip")
        # What core understood is drawn in the highlight colour: it is a guess, not a choice.
        border = "palette(highlight)" if understood else "palette(mid)"
        self.setStyleSheet(
            f"#chip {{ border: 1px solid {border}; border-radius: 11px;"
            " background: palette(alternate-base); }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(2)
        self.text = text
        if weight is None:
            label: QWidget = QLabel(text, self)
        else:
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setText(text if weight == 1.0 else f"{text}  ×{weight:g}")
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(button)
            for choice in WEIGHTS:
                act = menu.addAction(self.tr("Weight ×{0}").format(f"{choice:g}"))
                act.setCheckable(True)
                act.setChecked(choice == weight)
                act.triggered.connect(lambda _c=False, w=choice: self.reweighed.emit(w))
            button.setMenu(menu)
            label = button
            tooltip += "\n" + self.tr("Click to change how much it counts.")
        label.setToolTip(tooltip)
        layout.addWidget(label)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Remove"))
        close.setAccessibleName(self.tr("Remove {0}").format(text))
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
    understood_removed = Signal(object)  # the core.search.understanding.Chip undone

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = QueryDraft()
        self._understood: tuple[UnderstoodChip, ...] = ()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._chips = QHBoxLayout()
        self._chips.setSpacing(4)
        layout.addLayout(self._chips)
        self.field = SearchField(self)
        self.field.setPlaceholderText(self.tr("Describe a photo, or drop one here…  (Ctrl+F)"))
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName(self.tr("Search"))
        self.field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.field.setMinimumWidth(240)
        layout.addWidget(self.field, 1)
        self.not_button = QToolButton(self)
        self.not_button.setText(self.tr("Not…"))
        self.not_button.setToolTip(
            self.tr("Turn the typed words into a 'not' term: steer away from them"))
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

    def set_filters(self, filters: Filters) -> None:
        if filters != self._draft.filters:
            self._draft = replace(self._draft, filters=filters, weaker=False)
            self.submit()

    def set_sort(self, sort: Sort) -> None:
        if sort != self._draft.sort:
            self._draft = replace(self._draft, sort=sort)
            self.submit()

    def set_weaker(self, weaker: bool) -> None:
        """Show the photos below the relevance cut-off too (reset by the next query)."""
        if weaker != self._draft.weaker:
            self._draft = replace(self._draft, weaker=weaker)
            self.submit()

    def show_understood(self, chips: tuple[UnderstoodChip, ...]) -> None:
        """What core understood in the words typed, as chips after the field's own."""
        if chips != self._understood:
            self._understood = tuple(chips)
            self._rebuild_chips()

    def undo_understood(self, chip: UnderstoodChip) -> None:
        """Keep the chip's words literal: in quotes they go to the model as words."""
        from core.search.understanding import keep_literal

        text = self.field.text()
        if text != self._draft.text or chip.end > len(text):
            return  # the text changed since it was understood: the chip is about to go
        self.field.setText(keep_literal(text, chip))
        self.submit()

    def set_text(self, text: str) -> None:
        self.field.setText(text)
        self.submit()

    def add_images(self, paths: list[Path], *, replace_all: bool = True) -> None:
        """Search by these example photos (dropped or pasted); typed words are kept. Without
        ``replace_all`` they join the photos already there ("More Like This")."""
        images = tuple(str(p) for p in paths)
        if not replace_all:
            known = {split_weight(i)[1] for i in self._draft.images}
            images = self._draft.images + tuple(i for i in images if i not in known)
        negatives = tuple(n for n in self._draft.negatives if split_weight(n)[1] not in images)
        self._draft = replace(self._draft, images=images, negatives=negatives, weaker=False)
        self._rebuild_chips()
        self.submit()

    def add_negative(self, term: str) -> None:
        """A term to steer away from; a photo that was an example stops being one."""
        term = term.strip()
        known = {split_weight(n)[1] for n in self._draft.negatives}
        if term and term not in known:
            images = tuple(i for i in self._draft.images if split_weight(i)[1] != term)
            self._draft = replace(
                self._draft, images=images, negatives=(*self._draft.negatives, term)
            )
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
            # The filter bar's filters and order stay: they are cleared there.
            self._draft = replace(self._draft, images=(), negatives=(), weaker=False)
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

    def _reweigh(self, kind: str, old: str, weight: float) -> None:
        """The same photo or words, counting ``weight`` times."""
        new = with_weight(split_weight(old)[1], weight)
        if kind == "image":
            images = tuple(new if i == old else i for i in self._draft.images)
            self._draft = replace(self._draft, images=images)
        else:
            negatives = tuple(new if n == old else n for n in self._draft.negatives)
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
            weight, path = split_weight(image)
            chip = Chip(self.tr("like {0}").format(Path(path).name), path, self, weight=weight)
            chip.removed.connect(lambda v=image: self._remove("image", v))
            chip.reweighed.connect(lambda w, v=image: self._reweigh("image", v, w))
            self._chips.addWidget(chip)
        for negative in self._draft.negatives:
            weight, value = split_weight(negative)
            shown = Path(value).name if "/" in value or "\\" in value else value
            chip = Chip(self.tr("not {0}").format(shown), value, self, weight=weight)
            chip.removed.connect(lambda v=negative: self._remove("negative", v))
            chip.reweighed.connect(lambda w, v=negative: self._reweigh("negative", v, w))
            self._chips.addWidget(chip)
        for understood in self._understood:
            chip = Chip(understood.label, self._understood_tip(understood.kind), self,
                        understood=True)
            chip.removed.connect(lambda c=understood: self.understood_removed.emit(c))
            self._chips.addWidget(chip)

    def _understood_tip(self, kind: str) -> str:
        """What a chip core understood in the words means, by its kind."""
        tips = {
            "date": self.tr("Understood as a date: only photos taken then."),
            "place": self.tr("Understood as a place: only photos taken there."),
            "camera": self.tr("Understood as a camera: only photos taken with it."),
            "type": self.tr("Understood as a file type: only files of this type."),
        }
        return tips.get(kind, "")

    def chip_count(self) -> int:
        return self._chips.count()
