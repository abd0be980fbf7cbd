"""Settings: model (with download size and a speed/quality note), a weights file of one's own,
device, excluded folders.

Values are saved through core's Settings by the engine. A model switch is handed to the engine,
which prepares and indexes the new model in the background while the old one keeps answering.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine import Engine
from desktop_app.weights_file import WeightsFileRow

DEVICE_LABELS = {"auto": "Automatic (GPU when available)", "cpu": "CPU",
                 "cuda": "GPU (CUDA)", "mps": "GPU (Apple)"}


def known_models(models_dir: Path | None = None) -> list[tuple[str, int, str]]:
    """(name, download MB, note) of the models offered; core.models is light to import.

    The note says what each is good at, its languages, published quality and its speed here:
    measured where this computer has indexed with it, else estimated from the benchmark that
    `photoseek models` or an earlier start ran (never run here: this is the GUI thread).
    """
    from core.models.names import KNOWN_MODELS
    from core.models.speed import model_speed

    rows = []
    for m in KNOWN_MODELS:
        speed = model_speed(m, models_dir, run=False) if models_dir is not None else None
        pace = f" Speed on this computer: {speed.label()}." if speed is not None else ""
        rows.append((m.name, m.download_mb, f"{m.label}. {m.note}{pace}"))
    return rows


class SettingsDialog(QDialog):
    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings — PhotoSeek")
        self.engine = engine
        library = engine.library
        settings = engine.settings
        current_model = library.model_name if library is not None else ""
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.model_box = QComboBox(self)
        self._models = known_models(engine.paths.models_dir)
        if current_model and current_model not in [m[0] for m in self._models]:
            self._models.insert(0, (current_model, 0, "The model in use now."))
        for name, mb, _note in self._models:
            self.model_box.addItem(f"{name}  ({mb:,} MB)" if mb else name, name)
        index = self.model_box.findData(current_model)
        self.model_box.setCurrentIndex(max(0, index))
        form.addRow("Model:", self.model_box)
        self.model_note = QLabel(self)
        self.model_note.setWordWrap(True)
        form.addRow("", self.model_note)
        self.model_box.currentIndexChanged.connect(self._model_changed)
        self._model_changed()
        # Offline, a model can come from a file: checked before it is offered (weights_file).
        self.weights = WeightsFileRow(engine.tasks, self)
        self.weights.chosen.connect(self._weights_chosen)
        form.addRow("", self.weights)

        self.device_box = QComboBox(self)
        device = settings.device if settings is not None else "auto"
        # Only what this computer has (known once the model's libraries have loaded); the saved
        # choice stays listed even if its GPU is gone, so that OK does not change it silently.
        for value in dict.fromkeys((*engine.devices, device)):
            self.device_box.addItem(DEVICE_LABELS.get(value, value), value)
        self.device_box.setCurrentIndex(max(0, self.device_box.findData(device)))
        form.addRow("Compute on:", self.device_box)

        self.excluded = QListWidget(self)
        self.excluded.addItems(list(settings.excluded) if settings is not None else [])
        self.excluded.setMaximumHeight(120)
        buttons = QHBoxLayout()
        add = QPushButton("Add…", self)
        add.clicked.connect(self._add_excluded)
        remove = QPushButton("Remove", self)
        remove.clicked.connect(self._remove_excluded)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.excluded)
        box.addLayout(buttons)
        form.addRow("Skip folders:", box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._initial = (current_model, device, self.excluded_folders())

    def _model_changed(self) -> None:
        row = self.model_box.currentIndex()
        if 0 <= row < len(self._models):
            name, mb, note = self._models[row]
            size = f" Download: about {mb:,} MB, once." if mb else ""
            self.model_note.setText(note + size)

    def _weights_chosen(self, model: str) -> None:
        """A checked weights file becomes the selected model; OK switches to it."""
        if self.model_box.findData(model) < 0:
            arch, _, path = model.partition(":")
            self._models.append((model, 0, f"Weights file {Path(path).name}, checked: it "
                                 f"fits {arch}."))
            self.model_box.addItem(model, model)
        self.model_box.setCurrentIndex(self.model_box.findData(model))

    def _add_excluded(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder to skip", str(Path.home()))
        if path and not self.excluded.findItems(path, Qt.MatchFlag.MatchExactly):
            self.excluded.addItem(path)

    def _remove_excluded(self) -> None:
        for item in self.excluded.selectedItems():
            self.excluded.takeItem(self.excluded.row(item))

    def excluded_folders(self) -> list[str]:
        return [self.excluded.item(i).text() for i in range(self.excluded.count())]

    def accept(self) -> None:
        model = str(self.model_box.currentData())
        device = str(self.device_box.currentData())
        excluded = self.excluded_folders()
        old_model, old_device, old_excluded = self._initial
        if excluded != old_excluded:
            self.engine.set_excluded(excluded)
        if model != old_model or device != old_device:
            self.engine.switch_model(model, device)
        super().accept()
