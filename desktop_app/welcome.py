"""First run: which search model to use (only while that is still open), then a short welcome
that offers the Pictures folder or any folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.first_run import ModelChoicePage

if TYPE_CHECKING:
    from desktop_app.engine import Engine


def pictures_folder() -> Path | None:
    """The system's Pictures folder, if it exists."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    path = Path(location) if location else None
    return path if path is not None and path.is_dir() else None


class WelcomePage(QWidget):
    folder_chosen = Signal(str)
    dismissed = Signal()
    help_requested = Signal()  # the "How to search" link
    model_chosen = Signal(str)  # the first start's model choice, once applied

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.steps = QStackedWidget(self)
        outer.addWidget(self.steps)
        self.folders_step = QWidget(self.steps)
        self.steps.addWidget(self.folders_step)
        self.model_choice: ModelChoicePage | None = None
        self._engine: Engine | None = None
        layout = QVBoxLayout(self.folders_step)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.setSpacing(12)
        title = QLabel(self.tr("Welcome to PhotoSeek"), self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel(
            self.tr("Find any photo by describing it — “dog on a beach”, “red car at night” — or "
                    "by dropping a similar photo.\nEverything stays on this computer. Choose "
                    "where your photos are; indexing runs in the background and you can search "
                    "right away."),
            self,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(560)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self._pictures = pictures_folder()
        if self._pictures is not None:
            self.pictures_button = QPushButton(
                self.tr("Add my Pictures folder ({0})").format(self._pictures), self)
            self.pictures_button.setDefault(True)
            self.pictures_button.clicked.connect(
                lambda: self.folder_chosen.emit(str(self._pictures))
            )
            layout.addWidget(self.pictures_button, 0, Qt.AlignmentFlag.AlignHCenter)
        choose = QPushButton(self.tr("Choose a folder…"), self)
        choose.clicked.connect(self._choose)
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignHCenter)
        later = QPushButton(self.tr("Not now"), self)
        later.setFlat(True)
        later.clicked.connect(self.dismissed.emit)
        layout.addWidget(later, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel(self.tr("You can also drop a folder on this window."), self)
        hint.setEnabled(False)  # the palette's quiet text colour
        layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        how = self.tr("How to search")  # outside the markup: the translator sees words only
        self.help_link = QLabel(f'<a href="help:search">{how}</a>', self)
        self.help_link.linkActivated.connect(lambda _url: self.help_requested.emit())
        layout.addWidget(self.help_link, 0, Qt.AlignmentFlag.AlignHCenter)

    def _choose(self) -> None:
        start = str(self._pictures or Path.home())
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder of photos"), start)
        if path:
            self.folder_chosen.emit(path)

    # -- the first start's model choice ---------------------------------------------------------

    def ask_model_choice(self, engine: Engine) -> None:
        """A first start waits for its owner to choose a model (ModelState.CHOOSING: nothing is
        downloaded yet): the choice comes before the folders."""
        self._engine = engine
        if self.model_choice is None:
            self.model_choice = ModelChoicePage(engine.tasks, engine.paths.models_dir, self)
            self.model_choice.chosen.connect(self._apply_model_choice)
            self.steps.insertWidget(0, self.model_choice)
        self.steps.setCurrentWidget(self.model_choice)

    def _apply_model_choice(self, model: str) -> None:
        """The session saves the choice and downloads that model (the banner shows it)."""
        if self._engine is not None:
            self._engine.choose_model(model)
        self.steps.setCurrentWidget(self.folders_step)
        self.model_chosen.emit(model)
