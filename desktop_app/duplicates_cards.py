"""One group of duplicates as a row of cards: each photo's thumbnail, size, resolution, date
and folder, and a tick that says whether it goes to the trash.

The ticks are not kept here: the window owns them (so that groups not built yet keep their
suggestion); a card only shows its tick and reports a change with ``toggled``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from core.records import DuplicateGroup, DuplicateMember
from desktop_app.i18n import number, translate

THUMB = 176  # the side of a card's picture, in pixels
TEXT_WIDTH = THUMB + 24  # the lines under it may be a little wider than the picture
CARD_WIDTH = TEXT_WIDTH + 16
COLUMNS = 4  # cards per line: a burst of thirty shots wraps instead of widening the window
KEEP_COLOUR, TRASH_COLOUR, PROBLEM_COLOUR = "#1b7f3b", "#b3261e", "#b3261e"
STAMP = "yyyy-MM-dd HH:mm:ss"  # how the catalog writes a date (Photo.taken_at, file_time)


def kind_words(kind: str) -> str:
    """What a group's kind means, as its heading says it."""
    return {
        "exact": translate("DuplicatesWindow", "Exact copies (the very same file)"),
        "copy": translate("DuplicatesWindow", "Re-encoded or resized copies"),
        "burst": translate("DuplicatesWindow", "Burst: near-identical shots"),
    }.get(kind, kind)


def photos_text(count: int) -> str:
    """'1 photo', '2,048 photos' (the locale's digit grouping)."""
    if count == 1:
        return translate("DuplicatesWindow", "1 photo")
    return translate("DuplicatesWindow", "{0} photos").format(number(count))


def file_size(size: int) -> str:
    """'812 KB', '2.4 MB': sizes as a file manager shows them (powers of 1024)."""
    if size < 1024:
        return translate("DuplicatesWindow", "{0} bytes").format(number(size))
    value, units = size / 1024, ["KB", "MB", "GB"]
    while value >= 1024 and len(units) > 1:
        value /= 1024
        units.pop(0)
    return f"{number(value, 1)} {units[0]}"


def minute_text(stamp: str) -> str:
    """A date to the minute, the interface's way (seconds tell copies of one photo nothing);
    the catalog's text itself when it is not one Qt can read."""
    when = QDateTime.fromString(stamp[:19], STAMP)
    if not when.isValid():
        return stamp[:16]
    return QLocale().toString(when, translate(
        "DuplicatesWindow", "yyyy-MM-dd HH:mm", "a date to the minute: a QLocale format"))


def member_lines(member: DuplicateMember) -> list[str]:
    """The lines under a card's picture: name, size and resolution, date, folder."""
    photo = member.photo
    size = file_size(photo.size)
    if photo.width and photo.height:
        size += f" · {photo.width} × {photo.height}"
    if photo.taken_at:
        date = translate("DuplicatesWindow", "Taken {0}").format(minute_text(photo.taken_at))
    elif photo.file_time:
        date = translate("DuplicatesWindow", "Modified {0}").format(minute_text(photo.file_time))
    else:
        date = translate("DuplicatesWindow", "No date")
    return [photo.path.name, size, date, str(member.folder)]


class _Elided(QLabel):
    """A one-line label that cuts its text to its width with "…" (the whole text as its tip)."""

    def __init__(self, text: str, width: int, parent: QWidget | None = None,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle) -> None:
        super().__init__(parent)
        self.full_text = text
        self.setToolTip(text)
        self.setFixedWidth(width)
        self.setText(self.fontMetrics().elidedText(text, mode, width))


class MemberCard(QFrame):
    toggled = Signal(int, bool)  # photo id, ticked for the trash

    def __init__(self, member: DuplicateMember, ticked: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.member = member
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(CARD_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(3)
        self.picture = QLabel(self.tr("Loading…"), self)
        self.picture.setFixedSize(THUMB, THUMB)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.picture)
        self.state = QLabel(self)
        layout.addWidget(self.state)
        self.tick = QCheckBox(self.tr("Move to trash"), self)
        self.tick.setChecked(ticked)
        self.tick.toggled.connect(self._toggled)
        layout.addWidget(self.tick)
        name, size, date, folder = member_lines(member)
        self.name = _Elided(name, TEXT_WIDTH, self)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        layout.addWidget(self.name)
        for text in (size, date):
            layout.addWidget(_Elided(text, TEXT_WIDTH, self))
        # The end of a folder's path tells folders apart ("…/2023/Holidays"), not its start.
        self.folder = _Elided(folder, TEXT_WIDTH, self, Qt.TextElideMode.ElideLeft)
        self.folder.setToolTip(str(member.photo.path))
        layout.addWidget(self.folder)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {PROBLEM_COLOUR}")
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self._show_state()

    @property
    def photo_id(self) -> int:
        return self.member.photo.id

    def set_picture(self, pixmap: QPixmap | None, problem: str | None) -> None:
        if pixmap is not None and not pixmap.isNull():
            self.picture.setPixmap(pixmap.scaled(
                THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ))
        elif problem:
            self.picture.setText(self.tr("No preview"))
            self.picture.setToolTip(problem)

    def show_problem(self, reason: str) -> None:
        """Why this photo was not moved to the trash (it stays unticked, where it is)."""
        self.problem.setText(self.tr("Not moved: {0}").format(reason))
        self.problem.show()
        self.tick.setChecked(False)

    def _toggled(self, ticked: bool) -> None:
        self._show_state()
        self.toggled.emit(self.photo_id, ticked)

    def _show_state(self) -> None:
        if self.tick.isChecked():
            text, colour = self.tr("To trash"), TRASH_COLOUR
        elif self.member.keep:
            text, colour = self.tr("Keep (suggested)"), KEEP_COLOUR
        else:
            text, colour = self.tr("Keep"), KEEP_COLOUR
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold")
        if self.member.keep:
            self.state.setToolTip(self.tr(
                "Suggested: the largest resolution, then the largest file, then the original "
                "(a name without “copy” or “(1)”, the earliest date)."
            ))


class GroupRow(QFrame):
    """A heading (the kind, how many photos) and one card per photo, the keeper first."""

    toggled = Signal(int, bool)

    def __init__(self, group: DuplicateGroup, ticked: dict[int, bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.warning = QLabel(
            self.tr("Every photo of this group is ticked: none of them would be kept."), self)
        self.warning.setStyleSheet(f"color: {PROBLEM_COLOUR}")
        self.warning.hide()
        layout.addWidget(self.warning)
        grid = QWidget(self)
        self._grid = QGridLayout(grid)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(8)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(grid)
        self.cards: dict[int, MemberCard] = {}
        for member in group.members:
            card = MemberCard(member, ticked.get(member.photo.id, False), grid)
            card.toggled.connect(self._card_toggled)
            self.cards[member.photo.id] = card
        self._place_cards()

    def paths(self) -> list[Path]:
        return [card.member.photo.path for card in self.cards.values()]

    def remove(self, photo_ids: set[int]) -> None:
        """The photos moved to the trash leave the row; the rest close up."""
        for photo_id in photo_ids & self.cards.keys():
            card = self.cards.pop(photo_id)
            self._grid.removeWidget(card)
            card.deleteLater()
        self._place_cards()

    def _place_cards(self) -> None:
        for n, card in enumerate(self.cards.values()):
            self._grid.addWidget(card, n // COLUMNS, n % COLUMNS)
        count = len(self.cards)
        self.heading.setText(self.tr("{0} · {1} photos").format(kind_words(self.group.kind),
                                                                 number(count)))
        self._check_all_ticked()

    def _card_toggled(self, photo_id: int, ticked: bool) -> None:
        self._check_all_ticked()
        self.toggled.emit(photo_id, ticked)

    def _check_all_ticked(self) -> None:
        cards = list(self.cards.values())
        self.warning.setVisible(bool(cards) and all(c.tick.isChecked() for c in cards))
