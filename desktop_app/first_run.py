"""The first start's model choice: the offered models as radio cards in plain words.

Each card says what the model is for, how big its download is, how fast it indexes on this
computer (core.models.speed, measured on a worker: a short benchmark must not freeze the
window), which languages it reads and how good its results are. The recommended model is
preselected and marked. "Download and continue" hands the choice on (``chosen``); the welcome
page gives it to the engine (Engine.choose_model: the session was waiting in
ModelState.CHOOSING), so the download shows in the banner with its progress, time left and
Cancel, and resumes after a cancel or a crash. Offline, "Use a
weights file…" (desktop_app.weights_file) picks a file the app checks before using it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.models.names import DEFAULT_MODEL, KNOWN_MODELS, ModelInfo
from core.models.speed import Speed
from desktop_app.i18n import number, translate
from desktop_app.model_words import photo_rate
from desktop_app.tasks import TaskRunner
from desktop_app.themed import restyle_on_theme_change
from desktop_app.weights_file import WeightsFileRow

TASK_KEY = "first-run-speeds"
# The plain-words title and one-line summary of each offered model, by its ModelInfo.label
# (marked for translation here; a model without an entry shows core's own wording).
_MARKED: dict[str, tuple[object, object]] = {
    "Recommended": (
        QT_TRANSLATE_NOOP("ModelChoicePage", "Best for most people"),
        QT_TRANSLATE_NOOP("ModelChoicePage",
                          "Clearly better results than the small model, at about the same "
                          "speed."),
    ),
    "High quality": (
        QT_TRANSLATE_NOOP("ModelChoicePage", "Highest quality"),
        QT_TRANSLATE_NOOP("ModelChoicePage",
                          "The best results; indexing takes about three times as long."),
    ),
    "Multilingual": (
        QT_TRANSLATE_NOOP("ModelChoicePage", "Multilingual"),
        QT_TRANSLATE_NOOP("ModelChoicePage",
                          "Search in Chinese and about 100 other languages."),
    ),
    "Small download": (
        QT_TRANSLATE_NOOP("ModelChoicePage", "Small and fast"),
        QT_TRANSLATE_NOOP("ModelChoicePage",
                          "The smallest download and the fastest to index; good results."),
    ),
}
PLAIN_WORDS = {label: (str(title), str(summary)) for label, (title, summary) in _MARKED.items()}


def download_size(mb: int) -> str:
    """1524 -> "1.5 GB", 605 -> "605 MB" (MB and GB of 10^6 and 10^9 bytes, as the hub)."""
    if mb >= 1000:
        return translate("ModelChoicePage", "{0} GB").format(number(mb / 1000, 1))
    return translate("ModelChoicePage", "{0} MB").format(number(mb))


def speed_text(speed: Speed | None) -> str:
    if speed is None:
        return translate("ModelChoicePage", "Not known yet")
    shown = photo_rate(speed)
    if speed.measured:
        return translate("ModelChoicePage",
                         "About {0} photos a second (measured here)").format(shown)
    return translate("ModelChoicePage", "About {0} photos a second (estimated)").format(shown)


def languages_text(info: ModelInfo) -> str:
    if not info.multilingual:
        return translate("ModelChoicePage", "English")
    if "Chinese" in info.languages:
        return translate("ModelChoicePage", "Chinese, English and about 100 other languages")
    return info.languages


def quality_text(info: ModelInfo) -> str:
    """A plain word, from the published MSCOCO text-to-image recall (higher is better)."""
    r1 = info.coco_t2i_r1
    if r1 is None:
        return translate("ModelChoicePage", "Not published")
    if r1 >= 50:
        word = translate("ModelChoicePage", "Best")
    elif r1 >= 45:
        word = translate("ModelChoicePage", "Very good")
    else:
        word = translate("ModelChoicePage", "Good")
    return translate("ModelChoicePage", "{word} (search test score {score})").format(
        word=word, score=number(r1, 1))


def _speeds(models_dir: Path) -> dict[str, Speed | None]:
    """Every offered model's speed on this computer; runs on a worker (benchmarks ~100 ms once,
    then reads the figure cached in the models dir)."""
    from core.models.speed import model_speed

    return {info.name: model_speed(info, models_dir) for info in KNOWN_MODELS}


class ModelCard(QFrame):
    """One model: a radio button with its name in plain words, then four facts."""

    def __init__(self, info: ModelInfo, recommended: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName("modelCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        title, summary = PLAIN_WORDS.get(info.label, (info.label, info.good_at))
        head = QHBoxLayout()
        self.radio = QRadioButton(translate("ModelChoicePage", title), self)
        font = QFont(self.radio.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.radio.setFont(font)
        self.radio.toggled.connect(self._toggled)  # a method: gone with the card, no lambda
        head.addWidget(self.radio)
        head.addStretch(1)
        self.badge: QLabel | None = None
        if recommended:
            self.badge = QLabel(self.tr("Recommended"), self)
            self.badge.setObjectName("recommendedBadge")
            head.addWidget(self.badge)
        layout.addLayout(head)
        text = QLabel(translate("ModelChoicePage", summary), self)
        text.setWordWrap(True)
        layout.addWidget(text)
        facts = QGridLayout()
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(2)
        self.speed_label = QLabel(self.tr("Measuring…"), self)
        rows = (
            (self.tr("Download:"), QLabel(download_size(info.download_mb), self)),
            (self.tr("Speed on this computer:"), self.speed_label),
            (self.tr("Languages:"), QLabel(languages_text(info), self)),
            (self.tr("Quality:"), QLabel(quality_text(info), self)),
        )
        for row, (name, value) in enumerate(rows):
            key = QLabel(name, self)
            key.setEnabled(False)  # the palette's quiet colour: the value is what matters
            value.setWordWrap(True)
            facts.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, row, 1)
        facts.setColumnStretch(1, 1)
        layout.addLayout(facts)
        model = QLabel(info.name, self)  # the model's own name: for the curious, not translated
        model.setEnabled(False)
        small = QFont(model.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        model.setFont(small)
        model.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(model)
        self._restyle()

    def show_speed(self, speed: Speed | None) -> None:
        self.speed_label.setText(speed_text(speed))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.radio.setChecked(True)  # the whole card is the target, not the small circle
        super().mousePressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        restyle_on_theme_change(self, event)
        super().changeEvent(event)

    def _toggled(self, _checked: bool) -> None:
        self._restyle()

    def _restyle(self) -> None:
        edge = "palette(highlight)" if self.radio.isChecked() else "palette(mid)"
        width = 2 if self.radio.isChecked() else 1
        self.setStyleSheet(
            f"#modelCard {{ border: {width}px solid {edge}; border-radius: 8px;"
            " background: palette(base); }"
            " #recommendedBadge { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 8px; padding: 1px 8px; }"
        )


class ModelChoicePage(QWidget):
    """Which model to use, asked once; ``chosen`` carries the model name to switch to."""

    chosen = Signal(str)

    def __init__(self, tasks: TaskRunner, models_dir: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("Choose how PhotoSeek understands your photos"), body)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "A search model runs on this computer to find photos by what they show. It is "
            "downloaded once, and your photos never leave this computer. You can change it "
            "later in Settings."), body)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.group = QButtonGroup(self)
        self.cards: list[ModelCard] = []
        for n, info in enumerate(KNOWN_MODELS):
            card = ModelCard(info, info.name == DEFAULT_MODEL, body)
            self.group.addButton(card.radio, n)
            self.cards.append(card)
            grid.addWidget(card, n // 2, n % 2)
        for column in (0, 1):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        self.select(DEFAULT_MODEL)
        buttons = QHBoxLayout()
        self.weights = WeightsFileRow(tasks, body)
        self.weights.button.setToolTip(self.tr(
            "No internet here? Use weights downloaded on another computer."))
        self.weights.chosen.connect(self.chosen.emit)
        buttons.addWidget(self.weights, 1)
        self.continue_button = QPushButton(self.tr("Download and continue"), body)
        self.continue_button.setDefault(True)
        self.continue_button.setAutoDefault(True)
        self.continue_button.clicked.connect(self._continue)
        buttons.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(buttons)
        layout.addStretch(1)
        if models_dir is not None:
            task = tasks.run("io", lambda _cancel: _speeds(models_dir),
                             on_result=self._show_speeds,
                             on_error=lambda _exc: self._show_speeds({}), key=TASK_KEY)
            self.destroyed.connect(task.cancel)  # a page closed meanwhile gets nothing

    def selected_model(self) -> str:
        card = next((c for c in self.cards if c.radio.isChecked()), None)
        return card.info.name if card is not None else DEFAULT_MODEL

    def select(self, name: str) -> None:
        for card in self.cards:
            if card.info.name == name:
                card.radio.setChecked(True)

    def _show_speeds(self, speeds: dict[str, Speed | None]) -> None:
        for card in self.cards:
            card.show_speed(speeds.get(card.info.name))

    def _continue(self) -> None:
        self.chosen.emit(self.selected_model())
