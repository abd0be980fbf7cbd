"""Settings: model (with download size and a speed/quality note), a weights file of one's own,
device, excluded folders, and the interface's language.

Values are saved through core's Settings by the engine. A model switch is handed to the engine,
which prepares and indexes the new model in the background while the old one keeps answering.
A new language applies at the next start (every string is translated as it is made): the
dialog says so and offers to restart now (desktop_app.restart).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import i18n
from desktop_app.engine import Engine
from desktop_app.i18n import number, translate
from desktop_app.weights_file import WeightsFileRow


def device_label(value: str) -> str:
    """A compute device as Settings lists it (an unknown one by its own name)."""
    return {
        "auto": translate("SettingsDialog", "Automatic (GPU when available)"),
        "cpu": translate("SettingsDialog", "CPU"),
        "cuda": translate("SettingsDialog", "GPU (CUDA)"),
        "mps": translate("SettingsDialog", "GPU (Apple)"),
    }.get(value, value)


def language_choices(system: QLocale | None = None) -> list[tuple[str, str]]:
    """(setting, shown name) of each language offered: the system's first, saying which
    language it gives here, then each one shipped, named in its own language."""
    names = dict(i18n.LANGUAGES)
    resolved = names[i18n.resolve(i18n.SYSTEM, system)]
    return [(i18n.SYSTEM, translate("SettingsDialog", "System ({0})").format(resolved)),
            *i18n.LANGUAGES]


def known_models(models_dir: Path | None = None) -> list[tuple[str, int, str]]:
    """(name, download MB, note) of the models offered; core.models is light to import.

    The note says what each is good at, its languages, published quality and its speed here:
    measured where this computer has indexed with it, else estimated from the benchmark that
    `photoseek models` or an earlier start ran (never run here: this is the GUI thread).
    """
    from core.models.names import KNOWN_MODELS
    from core.models.speed import model_speed
    from desktop_app import model_words

    rows = []
    for m in KNOWN_MODELS:
        speed = model_speed(m, models_dir, run=False) if models_dir is not None else None
        text = translate("SettingsDialog", "{label}. {note}").format(
            label=model_words.phrase(m.label), note=model_words.note(m))
        if speed is not None:
            text += translate("SettingsDialog", " Speed on this computer: {0}.").format(
                model_words.speed_label(speed))
        rows.append((m.name, m.download_mb, text))
    return rows


class SettingsDialog(QDialog):
    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings — PhotoSeek"))
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
            self._models.insert(0, (current_model, 0, self.tr("The model in use now.")))
        for name, mb, _note in self._models:
            self.model_box.addItem(
                self.tr("{name}  ({size} MB)").format(name=name, size=number(mb)) if mb
                else name, name)
        index = self.model_box.findData(current_model)
        self.model_box.setCurrentIndex(max(0, index))
        form.addRow(self.tr("Model:"), self.model_box)
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
            self.device_box.addItem(device_label(value), value)
        self.device_box.setCurrentIndex(max(0, self.device_box.findData(device)))
        form.addRow(self.tr("Compute on:"), self.device_box)

        self.excluded = QListWidget(self)
        self.excluded.addItems(list(settings.excluded) if settings is not None else [])
        self.excluded.setMaximumHeight(120)
        buttons = QHBoxLayout()
        add = QPushButton(self.tr("Add…"), self)
        add.clicked.connect(self._add_excluded)
        remove = QPushButton(self.tr("Remove"), self)
        remove.clicked.connect(self._remove_excluded)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.excluded)
        box.addLayout(buttons)
        form.addRow(self.tr("Skip folders:"), box)

        self.language_box = QComboBox(self)
        language = settings.language if settings is not None else i18n.SYSTEM
        for value, name in language_choices():
            self.language_box.addItem(name, value)
        # A value this version does not ship (a newer one's, or edited by hand) reads as System.
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(language)))
        form.addRow(self.tr("Language:"), self.language_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._initial = (current_model, device, self.excluded_folders(), language)
        self.restart_box: QMessageBox | None = None

    def _model_changed(self) -> None:
        row = self.model_box.currentIndex()
        if 0 <= row < len(self._models):
            name, mb, note = self._models[row]
            size = self.tr(" Download: about {0} MB, once.").format(number(mb)) if mb else ""
            self.model_note.setText(note + size)

    def _weights_chosen(self, model: str) -> None:
        """A checked weights file becomes the selected model; OK switches to it."""
        if self.model_box.findData(model) < 0:
            arch, _, path = model.partition(":")
            self._models.append((model, 0, self.tr("Weights file {name}, checked: it fits "
                                                   "{arch}.").format(name=Path(path).name,
                                                                     arch=arch)))
            self.model_box.addItem(model, model)
        self.model_box.setCurrentIndex(self.model_box.findData(model))

    def _add_excluded(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder to skip"),
                                                str(Path.home()))
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
        language = str(self.language_box.currentData())
        old_model, old_device, old_excluded, old_language = self._initial
        if excluded != old_excluded:
            self.engine.set_excluded(excluded)
        if model != old_model or device != old_device:
            self.engine.switch_model(model, device)
        if language != old_language:
            self.engine.save_settings(language=language)
        super().accept()
        # Only when what is shown would change: System resolving to the language in use
        # already (or back) needs no restart.
        if i18n.resolve(language) != i18n.resolve(old_language):
            self._offer_restart()

    def _offer_restart(self) -> None:
        """Say that the language applies at the next start; "Restart Now" restarts."""
        from desktop_app.restart import restart

        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"),
                          self.tr("The new language applies the next time PhotoSeek starts."),
                          QMessageBox.StandardButton.NoButton, window)
        now = box.addButton(self.tr("Restart Now"), QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(later)
        if window is None:
            now.setEnabled(False)  # nothing to close and start again from

        def answered(button: object) -> None:
            self.restart_box = None
            if button is now and window is not None:
                restart(window)

        box.buttonClicked.connect(answered)
        self.restart_box = box
        box.open()
