"""First run: a short welcome that offers the Pictures folder or any folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget


def pictures_folder() -> Path | None:
    """The system's Pictures folder, if it exists."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    path = Path(location) if location else None
    return path if path is not None and path.is_dir() else None


class WelcomePage(QWidget):
    folder_chosen = Signal(str)
    dismissed = Signal()
    help_requested = Signal()  # the "How to search" link

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.setSpacing(12)
        title = QLabel("Welcome to PhotoSeek", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel(
            "Find any photo by describing it — “dog on a beach”, “red car at night” — or by "
            "dropping a similar photo.\nEverything stays on this computer. Choose where your "
            "photos are; indexing runs in the background and you can search right away.",
            self,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(560)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self._pictures = pictures_folder()
        if self._pictures is not None:
            self.pictures_button = QPushButton(f"Add my Pictures folder ({self._pictures})", self)
            self.pictures_button.setDefault(True)
            self.pictures_button.clicked.connect(
                lambda: self.folder_chosen.emit(str(self._pictures))
            )
            layout.addWidget(self.pictures_button, 0, Qt.AlignmentFlag.AlignHCenter)
        choose = QPushButton("Choose a folder…", self)
        choose.clicked.connect(self._choose)
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignHCenter)
        later = QPushButton("Not now", self)
        later.setFlat(True)
        later.clicked.connect(self.dismissed.emit)
        layout.addWidget(later, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel("You can also drop a folder on this window.", self)
        hint.setEnabled(False)  # the palette's quiet text colour
        layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        self.help_link = QLabel('<a href="help:search">How to search</a>', self)
        self.help_link.linkActivated.connect(lambda _url: self.help_requested.emit())
        layout.addWidget(self.help_link, 0, Qt.AlignmentFlag.AlignHCenter)

    def _choose(self) -> None:
        start = str(self._pictures or Path.home())
        path = QFileDialog.getExistingDirectory(self, "Choose a folder of photos", start)
        if path:
            self.folder_chosen.emit(path)
