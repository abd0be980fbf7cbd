"""Settings' "Use a weights file…": pick a file, find its architecture, check it, offer it.

The architecture is detected from the file's keys and shapes on a worker (core.models.
weights_check); one fit is preselected, otherwise the user picks from a list. The file is
checked against the architecture before anything changes: a file that fits is offered as the
model (``chosen``, taken by Settings' OK through the usual model switch), a misfit shows one
sentence and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from core.errors import ModelUnavailableError
from desktop_app.i18n import translate
from desktop_app.tasks import TaskRunner

# The first item while nothing is picked (its English source: shown through translate()).
PICK = str(QT_TRANSLATE_NOOP("WeightsFileRow", "Choose the architecture…"))
TASK_KEY = "weights-file"


def ask_weights_file(parent: QWidget) -> str:
    """A weights file chosen in the system's file dialog ("" when none was)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, translate("WeightsFileRow", "Use a weights file"), "",
        translate("WeightsFileRow", "Model weights (*.safetensors *.pt *.pth *.bin)"))
    return path


def _detect(path: str) -> tuple[list[str], list[str]]:
    """(fitting architectures, every architecture to offer); runs on a worker."""
    from core.models.weights_check import all_archs, detect_architecture

    found = detect_architecture(Path(path))
    return found, list(dict.fromkeys([*found, *all_archs()]))


def _check(path: str, arch: str) -> str | None:
    from core.models.weights_check import check_weights

    return check_weights(Path(path), arch)


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, ModelUnavailableError):
        return str(exc)
    return translate("WeightsFileRow", "The file could not be checked ({0}).").format(
        type(exc).__name__)


class WeightsFileRow(QWidget):
    """A button, then (once a file is read) an architecture choice and one line of outcome."""

    chosen = Signal(str)  # a model name "ARCH:/path" whose file fits ARCH

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.path = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(self.tr("Use a weights file…"), self)
        self.button.clicked.connect(self.choose)
        self.arch_box = QComboBox(self)
        self.arch_box.setToolTip(self.tr("The architecture the file's weights belong to"))
        self.arch_box.hide()
        self.arch_box.activated.connect(self._arch_picked)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.button)
        layout.addWidget(self.arch_box)
        layout.addWidget(self.message, 1)

    def choose(self) -> None:
        path = ask_weights_file(self)
        if path:
            self.use_file(path)

    def use_file(self, path: str) -> None:
        """Read the file on a worker and find which architectures it fits."""
        self.path = path
        self.arch_box.hide()
        self.button.setEnabled(False)
        self._say(self.tr("Reading {0}…").format(Path(path).name))
        self.tasks.run("io", lambda _cancel: _detect(path), on_result=self._detected,
                       on_error=self._failed, key=TASK_KEY)

    def _detected(self, outcome: tuple[list[str], list[str]]) -> None:
        found, archs = outcome
        self.button.setEnabled(True)
        self.arch_box.clear()
        if len(found) != 1:  # several or none: the user says which; nothing is preselected
            self.arch_box.addItem(translate("WeightsFileRow", PICK), "")
        for arch in archs:
            self.arch_box.addItem(arch, arch)
        self.arch_box.setCurrentIndex(0)
        self.arch_box.show()
        if len(found) == 1:
            self._arch_picked()
        elif found:
            self._say(self.tr("This file fits {0}; choose which it is.").format(
                self.tr(" and ").join(found)))
        else:
            self._say(self.tr("The file does not say its architecture; choose it from the list."))

    def _arch_picked(self, _index: int = 0) -> None:
        arch, path = str(self.arch_box.currentData() or ""), self.path
        if not arch or not path:
            return
        self._say(self.tr("Checking the file against {0}…").format(arch))
        self.tasks.run("io", lambda _cancel: _check(path, arch),
                       on_result=lambda problem: self._checked(path, arch, problem),
                       on_error=self._failed, key=TASK_KEY)

    def _checked(self, path: str, arch: str, problem: str | None) -> None:
        if problem is not None:
            self._say(problem, error=True)
            return
        self._say(self.tr("The file fits {0}. OK switches to it.").format(arch))
        self.chosen.emit(f"{arch}:{path}")

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self._say(_sentence(exc), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c0392b;" if error else "")
