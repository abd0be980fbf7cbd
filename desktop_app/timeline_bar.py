"""The strip above a timeline: which month is at the top of the view, and "Jump to year".

A plain widget that ``desktop_app.results_view`` places in its top viewport margin, shows only
while the answer is grouped by date, and feeds (the month under the top edge, the years the
timeline holds). Kept apart from the view: it is ordinary widgets and a menu, where the view is
item geometry and painting.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from desktop_app.thumbnail_delegate import PADDING


class TimelineBar(QWidget):
    """Above a timeline: the month at the top of the view (once its header has scrolled away)
    and "Jump to year", listing the years present, newest first."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # one surface with the grid below
        self.setAutoFillBackground(True)
        self.where = QLabel(self)
        self.where.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.jump_button = QToolButton(self)
        # The triangle is no word: added after the translation
        self.jump_button.setText(self.tr("Jump to year")
                                 + " \N{BLACK DOWN-POINTING SMALL TRIANGLE}")
        # the text says it opens a menu; Fusion's own indicator would overlap the text
        self.jump_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.jump_button.setToolTip(self.tr("Scroll to the newest photos of a year"))
        self.jump_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.jump_button.setAutoRaise(True)
        self.menu = QMenu(self.jump_button)
        self.jump_button.setMenu(self.menu)
        self.box = QHBoxLayout(self)
        self.box.setContentsMargins(PADDING + 2, 0, 2, 0)
        self.box.addWidget(self.where, 1)
        self.box.addWidget(self.jump_button)

    def set_years(self, labels: list[str]) -> None:
        """The jump's choices, newest first; the menu is rebuilt only when they change."""
        if [a.text() for a in self.menu.actions()] != labels:
            self.menu.clear()
            for label in labels:
                self.menu.addAction(label)

    def set_text_left(self, left: int) -> None:
        """Start "where" at ``left`` pixels, where the headers' text starts in the grid."""
        self.box.setContentsMargins(left, 0, 2, 0)
