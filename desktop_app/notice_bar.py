"""A slim bar above the grid: a message, optional action buttons, a close button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop_app.themed import restyle_on_theme_change


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        # palette() references keep it right in light and dark themes
        self.setStyleSheet(
            "#notice { background: palette(tool-tip-base); border: 1px solid palette(mid);"
            " border-radius: 6px; } #notice QLabel { color: palette(tool-tip-text); }"
        )
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self._layout.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        self._close = close
        self._layout.addWidget(close)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        restyle_on_theme_change(self, event)
        super().changeEvent(event)

    def show_message(
        self, text: str, actions: list[tuple[str, Callable[[], None]]] | None = None
    ) -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        self.label.setText(text)
        for title, callback in actions or []:
            button = QPushButton(title, self)
            button.clicked.connect(callback)
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        self.show()

    def button(self, title: str) -> QPushButton | None:
        return next((b for b in self._buttons if b.text() == title), None)
