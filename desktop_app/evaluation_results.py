"""What an evaluation found, in the dialog: the models side by side in a table, the Recall@K
chart (core.evaluation.chart's PNG), "Copy Table" and "Save Chart…".

The chart is drawn with Pillow on the evaluation's thread; only its QImage comes here. Saving
writes on the "io" pool, never into the folder evaluated (PhotoSeek never writes there).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.i18n import number, translate
from desktop_app.tasks import TaskRunner

if TYPE_CHECKING:
    from PIL import Image

    from core.evaluation.results import EvalReport, ModelResult

CHART_SHOWN_WIDTH = 560  # the 800 px chart, scaled to sit beside the table


def perturbation_words(kind: str, words: str) -> str:
    """A robustness test's name (core.evaluation.perturb.PERTURBATIONS), capitalised; core's
    own words for one this window does not know yet."""
    from core.evaluation.perturb import CROP_KEEP, ROTATE_DEGREES

    known = {
        "jpeg_q30": translate("EvaluationDialog", "JPEG quality {0}").format(number(30)),
        "blur": translate("EvaluationDialog", "Gaussian blur"),
        "rotate": translate("EvaluationDialog", "Rotated {0} degrees").format(
            number(ROTATE_DEGREES)),
        "crop": translate("EvaluationDialog", "Centre crop {0}%").format(number(CROP_KEEP * 100)),
    }
    return known.get(kind, words[:1].upper() + words[1:])


def table_rows(report: EvalReport) -> list[tuple[str, str, list[str]]]:
    """(label, tooltip, one cell per model) for every row of the table, in order."""
    from core.evaluation.perturb import PERTURBATIONS

    models = report.models

    def metric(key: str) -> list[str]:
        return [number(m.clean.values[key], 3) for m in models]

    rows = [(translate("EvaluationDialog", "Photos ranked"),
             translate("EvaluationDialog", "Photos of the folder that each model could read"),
             [number(m.photos) for m in models])]
    for k in (1, 5, 10):
        rows.append((translate("EvaluationDialog", "Recall@{0}").format(k),
                     translate("EvaluationDialog", "Share of each query's photos found among "
                               "the first {0}").format(k),
                     metric(f"recall@{k}")))
    rows += [
        (translate("EvaluationDialog", "mAP"),
         translate("EvaluationDialog", "Mean average precision over the whole ranking"),
         metric("map")),
        (translate("EvaluationDialog", "NDCG@10"),
         translate("EvaluationDialog", "How near the top the right photos are, among the "
                   "first 10"),
         metric("ndcg@10")),
        (translate("EvaluationDialog", "MRR"),
         translate("EvaluationDialog", "1 / the rank of the first right photo, averaged"),
         metric("mrr")),
        (translate("EvaluationDialog", "Search time p50 (ms)"),
         translate("EvaluationDialog", "Half of the searches took at most this long"),
         [number(m.latency.p50_ms, 1) for m in models]),
        (translate("EvaluationDialog", "Search time p95 (ms)"),
         translate("EvaluationDialog", "95% of the searches took at most this long"),
         [number(m.latency.p95_ms, 1) for m in models]),
        (translate("EvaluationDialog", "Indexing (photos/s)"),
         translate("EvaluationDialog", "Photos embedded per second"),
         [number(m.indexing.photos_per_second, 1) for m in models]),
    ]
    for kind, (words, _fn) in PERTURBATIONS.items():
        if all(kind in m.robustness for m in models):
            rows.append((translate("EvaluationDialog", "{0}: Recall@1 / mAP")
                         .format(perturbation_words(kind, words)),
                         translate("EvaluationDialog", "The same searches over copies of "
                                   "every photo, altered"),
                         [_robust(m, kind) for m in models]))
    return rows


def _robust(model: ModelResult, kind: str) -> str:
    values = model.robustness[kind].values
    return f"{number(values['recall@1'], 3)} / {number(values['map'], 3)}"


def what_was_asked(report: EvalReport) -> str:
    """One line: the folder, its photos and what was searched for."""
    if report.source == "captions":
        asked = translate("EvaluationDialog", "{0} captions").format(number(report.queries))
    else:
        asked = translate("EvaluationDialog", "{0} labels from subfolders, {1}").format(
            number(report.queries),
            translate("EvaluationDialog", "prompt ensembles") if report.ensembles
            else translate("EvaluationDialog", "one prompt each"))
    return translate("EvaluationDialog", "{0}: {1} photos, {2}.").format(
        report.folder, number(report.photos), asked)


class EvaluationResults(QWidget):
    """The table and the chart of one report; empty (hidden by the dialog) until then."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.report: EvalReport | None = None
        self.chart: Image.Image | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.chart_view = QLabel(self)
        self.chart_view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.copy_button = QPushButton(self.tr("Copy Table"), self)
        self.copy_button.clicked.connect(self.copy_table)
        self.save_button = QPushButton(self.tr("Save Chart…"), self)
        self.save_button.clicked.connect(self.save_chart)
        self.saved = QLabel(self)
        self.saved.setWordWrap(True)

        side = QHBoxLayout()
        side.addWidget(self.table, 1)
        side.addWidget(self.chart_view)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(side, 1)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)

    def show_report(self, report: EvalReport, chart: Image.Image, image: QImage) -> None:
        from core.evaluation.report import short_name

        self.report, self.chart = report, chart
        self.summary.setText(what_was_asked(report))
        rows = table_rows(report)
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(report.models))
        self.table.setHorizontalHeaderLabels([short_name(m.model) for m in report.models])
        for column, model in enumerate(report.models):
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(model.model)
        for row, (label, tip, cells) in enumerate(rows):
            head = QTableWidgetItem(label)
            head.setToolTip(tip)
            self.table.setVerticalHeaderItem(row, head)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows_header = self.table.verticalHeader()
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows_header.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        pixmap = QPixmap.fromImage(image)
        self.chart_view.setPixmap(pixmap.scaledToWidth(
            CHART_SHOWN_WIDTH, Qt.TransformationMode.SmoothTransformation))
        self.notes.setText("\n".join(self._notes(report)))
        self.notes.setVisible(bool(self.notes.text()))
        self.saved.clear()

    def _notes(self, report: EvalReport) -> list[str]:
        notes = []
        if report.source == "folders":
            notes.append(self.tr(
                "Recall@K is the share of a label's photos found among the first K results: "
                "with more than K photos per label it cannot reach 1. MRR says how soon the "
                "first right photo comes (1.000: always first)."))
        if report.missing_captions:
            notes.append(self.tr("{0} caption rows name no photo of the folder and were left "
                                 "out.").format(number(report.missing_captions)))
        for name, reason in report.failed_models:
            notes.append(self.tr("{0} could not be evaluated: {1}").format(name, reason))
        for model in report.models:
            if model.failures:
                path, reason = model.failures[0]
                notes.append(self.tr("{0} photos could not be read (for example {1}: {2}).")
                             .format(number(len(model.failures)), path, reason))
                break  # the same files fail for every model
        return notes

    def table_text(self) -> str:
        """The table as tab-separated lines: it pastes into a spreadsheet as cells."""
        if self.report is None:
            return ""
        from core.evaluation.report import short_name

        lines = ["\t".join(["", *(short_name(m.model) for m in self.report.models)])]
        lines += ["\t".join([label, *cells]) for label, _tip, cells in table_rows(self.report)]
        return "\n".join(lines) + "\n"

    def copy_table(self) -> None:
        QGuiApplication.clipboard().setText(self.table_text())
        self.saved.setText(self.tr("Table copied."))

    def save_chart(self) -> None:
        if self.chart is None or self.report is None:
            return
        start = Path.home() / f"recall-at-k-{self.report.folder.name or 'photos'}.png"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save Chart"), str(start), self.tr("PNG images (*.png)"))
        if chosen:
            self.write_chart(Path(chosen))

    def write_chart(self, path: Path) -> None:
        """Write the chart as a PNG at ``path`` (on the io pool), outside the evaluated folder."""
        if self.chart is None or self.report is None:
            return
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        folder, chart = self.report.folder, self.chart
        inside = self.tr("PhotoSeek never writes into the folder it evaluates: choose a place "
                         "outside {0}.").format(folder)  # worded here: the worker has no tr

        def write(_cancel: object) -> Path:
            if path.resolve().is_relative_to(folder.resolve()):
                raise ValueError(inside)
            chart.save(path, "PNG")
            return path

        self._tasks.run(
            "io", write,
            on_result=lambda saved: self.saved.setText(self.tr("Chart saved to {0}.")
                                                       .format(saved)),
            on_error=lambda exc: self.saved.setText(
                self.tr("The chart was not saved: {0}").format(
                    exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)),
        )
