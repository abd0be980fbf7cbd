"""Tools ▸ Evaluate Search Quality…: how well do models find the photos of a labelled folder?

The person chooses a folder whose subfolders name what their photos show (or a captions file),
the models to compare (the one in use ticked; the others offered in Settings, each saying
whether it is downloaded), prompt ensembles and robustness. ``core.evaluation.runner.evaluate``
runs on a thread of its own (``LongJob``) with progress and Cancel: each model indexes the
folder in a temporary library of its own, so the person's library is never touched and
nothing is written into the folder. The table and the Recall@K chart then show below.

Models not downloaded yet: the runner loads each model as the app does, which downloads its
weights into the app's models folder first (shared, so once). Offline that fails within
seconds and the evaluation stops with that message; the dialog says so before it is run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine import Engine, gui_wording
from desktop_app.evaluation_results import EvaluationResults
from desktop_app.i18n import number, translate
from desktop_app.long_job import LongJob

ModelRole = Qt.ItemDataRole.UserRole
ERROR_COLOUR = "#b3261e"


def phase_words(phase: str) -> str:
    """A step of core.evaluation.runner's progress, as the status line says it."""
    return {
        "perturbing": translate("EvaluationDialog", "making altered copies"),
        "loading": translate("EvaluationDialog", "loading the model"),
        "indexing": translate("EvaluationDialog", "indexing"),
        "indexing copies": translate("EvaluationDialog", "indexing the altered copies"),
        "timing": translate("EvaluationDialog", "timing searches"),
        "ranking": translate("EvaluationDialog", "ranking every photo"),
    }.get(phase, phase)


def downloaded_models(names: list[str], models_dir: Path) -> dict[str, bool]:
    """Which of these pretrained models' weights are already in ``models_dir`` (a look at the
    disk, never the network; worker side: it imports open_clip)."""
    from core.errors import PhotoSeekError
    from core.models.download import cached_weights
    from core.models.names import parse_model_name

    found: dict[str, bool] = {}
    for name in names:
        try:
            spec = parse_model_name(name)
            found[name] = spec.pretrained is None or cached_weights(spec, models_dir) is not None
        except (PhotoSeekError, OSError, ValueError):
            found[name] = False
    return found


def _no_cli_words(message: str) -> str:
    """Core's messages as the window words them."""
    return gui_wording(message)


class EvaluationDialog(QDialog):
    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.job: LongJob | None = None
        self.setWindowTitle(self.tr("Evaluate Search Quality — PhotoSeek"))
        self.resize(1180, 820)
        form = QFormLayout()

        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText(self.tr("A folder with one subfolder per label"))
        choose_folder = QPushButton(self.tr("Choose Folder…"), self)
        choose_folder.clicked.connect(self._choose_folder)
        form.addRow(self.tr("Photos:"), self._beside(self.folder, choose_folder))

        self.by_folders = QRadioButton(
            self.tr("Subfolder names (photos of dogs in dog/, of beaches in beach/…)"), self)
        self.by_captions = QRadioButton(self.tr("A captions file (path,caption rows):"), self)
        self.by_folders.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_folders)
        group.addButton(self.by_captions)
        self.captions = QLineEdit(self)
        self.captions.setPlaceholderText(self.tr("CSV or TSV, paths relative to the folder"))
        choose_captions = QPushButton(self.tr("Choose File…"), self)
        choose_captions.clicked.connect(self._choose_captions)
        labels = QVBoxLayout()
        labels.addWidget(self.by_folders)
        labels.addWidget(self._beside(self.by_captions, self.captions, choose_captions))
        form.addRow(self.tr("Labels from:"), labels)

        self.models = QListWidget(self)
        self.model_note = QLabel(self.tr(
            "A model not downloaded yet is downloaded first, once, into PhotoSeek's models "
            "folder (its size is shown). Without an internet connection it cannot be, and the "
            "evaluation stops with a message saying so."), self)
        self.model_note.setWordWrap(True)
        models = QVBoxLayout()
        models.addWidget(self.models)
        models.addWidget(self.model_note)
        form.addRow(self.tr("Models:"), models)

        self.ensembles = QCheckBox(self.tr(
            "Prompt ensembles: ask for each label in several phrasings (“a photo of a dog”, "
            "“a close-up photo of a dog”…)"), self)
        self.ensembles.setChecked(True)
        self.robustness = QCheckBox(self.tr(
            "Robustness: also search altered copies of every photo (compressed, blurred, "
            "turned, cropped); takes about twice as long"), self)
        options = QVBoxLayout()
        options.addWidget(self.ensembles)
        options.addWidget(self.robustness)
        form.addRow(self.tr("Options:"), options)
        self.by_captions.toggled.connect(self._source_changed)
        self._source_changed(False)

        self.run_button = QPushButton(self.tr("Evaluate"), self)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress)
        run_row.addWidget(self.status, 1)

        self.results = EvaluationResults(engine.tasks, self)
        self.results.hide()
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        close_row.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.results, 1)
        layout.addStretch(0)
        layout.addLayout(close_row)
        self._fill_models()

    @staticmethod
    def _beside(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        return row

    # -- the form -----------------------------------------------------------------------------

    def _fill_models(self) -> None:
        """The model in use (ticked), then the others offered in Settings; whether each is
        downloaded is looked up on the io pool (it imports open_clip)."""
        from core.models.names import KNOWN_MODELS
        from desktop_app import model_words

        library = self.engine.library
        current = library.model_name if library is not None else ""
        known = {m.name: m for m in KNOWN_MODELS}
        names = ([current] if current else []) + [n for n in known if n != current]
        for name in names:
            item = QListWidgetItem(name, self.models)
            item.setData(ModelRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name == current
                               else Qt.CheckState.Unchecked)
            if name == current:
                item.setText(self.tr("{0} (in use now)").format(name))
        rows = max(1, self.models.count())  # every model in sight, no empty space below
        self.models.setFixedHeight(self.models.sizeHintForRow(0) * rows
                                   + 2 * self.models.frameWidth() + 4)
        others = [n for n in names if n != current]
        models_dir = self.engine.paths.models_dir

        def show(found: dict[str, bool]) -> None:
            for row in range(self.models.count()):
                item = self.models.item(row)
                name = item.data(ModelRole)
                if name not in found:
                    continue
                info = known[name]
                state = (self.tr("downloaded") if found[name] else
                         self.tr("not downloaded: about {0} MB first")
                         .format(number(info.download_mb)))
                item.setText(self.tr("{name} — {note} ({state})").format(
                    name=name, note=model_words.note(info), state=state))

        self.engine.tasks.run("io", lambda _c: downloaded_models(others, models_dir),
                              on_result=show, key="eval-models")

    def chosen_models(self) -> list[str]:
        return [self.models.item(r).data(ModelRole) for r in range(self.models.count())
                if self.models.item(r).checkState() == Qt.CheckState.Checked]

    def _source_changed(self, captions: bool) -> None:
        self.captions.setEnabled(captions)
        # Captions are asked as written: ensembles only make sense for labels.
        self.ensembles.setEnabled(not captions)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder of Labelled Photos"),
                                                  self.folder.text() or str(Path.home()))
        if chosen:
            self.folder.setText(chosen)

    def _choose_captions(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Captions File"), self.folder.text() or str(Path.home()),
            self.tr("Captions (*.csv *.tsv *.txt);;All files (*)"))
        if chosen:
            self.captions.setText(chosen)
            self.by_captions.setChecked(True)

    # -- running ------------------------------------------------------------------------------

    def run(self) -> None:
        if self.job is not None and self.job.running:
            return
        folder = self.folder.text().strip()
        models = self.chosen_models()
        captions = self.captions.text().strip() if self.by_captions.isChecked() else ""
        if not folder:
            return self._problem(self.tr("Choose the folder of photos to evaluate."))
        if self.by_captions.isChecked() and not captions:
            return self._problem(self.tr("Choose the captions file, or take labels from "
                                         "subfolder names."))
        if not models:
            return self._problem(self.tr("Tick at least one model."))
        from core.evaluation.runner import EvalRequest

        settings = self.engine.settings
        models_dir = self.engine.paths.models_dir
        request = EvalRequest(
            folder=Path(folder).expanduser(), models=tuple(models),
            captions=Path(captions).expanduser() if captions else None,
            ensembles=self.ensembles.isChecked(), robustness=self.robustness.isChecked(),
            device=settings.device if settings is not None else None,
            weights_cache=models_dir,
        )
        self.job = LongJob(_evaluate(request), "evaluation", self)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self._running(True)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Starting…"))
        self.job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self._cancelled()

    def _running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)

    def _progress(self, args: tuple[Any, ...]) -> None:
        p = args[0]
        if p.total > 0:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        words = phase_words(p.phase)
        count = (self.tr(" {0} of {1}").format(number(p.done), number(p.total))
                 if p.total > 1 else "")
        if p.model:
            self.status.setText(self.tr("Model {0} of {1}, {2}: {3}{4}…").format(
                p.model_number, p.models, p.model, words, count))
        else:
            self.status.setText(f"{words[:1].upper()}{words[1:]}{count}…")  # no words of its own

    def _finished(self, outcome: tuple[Any, Any, Any]) -> None:
        self._running(False)
        self.status.setText(self.tr("Done."))
        self.results.show_report(*outcome)
        self.results.show()

    def _failed(self, exc: BaseException) -> None:
        from core.errors import PhotoSeekError

        self._running(False)
        if not isinstance(exc, PhotoSeekError):
            import logging

            logging.getLogger(__name__).error("the evaluation failed", exc_info=exc)
        self._problem(_no_cli_words(str(exc)) or type(exc).__name__)

    def _cancelled(self) -> None:
        self._running(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Cancelled."))

    def _problem(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOUR}")
        self.status.setText(text)

    def reject(self) -> None:
        """Esc, the Close button and the window's close box all end here (QDialog's close
        event rejects): the evaluation stops, and its temporary folders are removed."""
        self.cancel()
        super().reject()


def _evaluate(request: Any) -> Callable[[threading.Event, Callable[..., None]], Any]:
    def work(cancel: threading.Event, progress: Callable[..., None]) -> Any:
        from core.evaluation.chart import draw_recall_chart
        from core.evaluation.runner import evaluate
        from desktop_app.thumbnails import pil_to_qimage

        report = evaluate(request, progress, cancel)
        chart = draw_recall_chart(report)
        return report, chart, pil_to_qimage(chart)

    return work
