"""``photoseek eval FOLDER``: how well does a model search these photos?

Labels come from FOLDER's subfolders (``FOLDER/dog/*.jpg``: every photo there is relevant to
"a photo of a dog"), or from a captions file (``--captions FILE``: CSV or TSV rows
``path,caption``, paths relative to FOLDER). Each model (``--models A B``; default: the
library's model) indexes FOLDER in a temporary data folder of its own, deleted afterwards: the
person's library is never opened, and nothing is written into FOLDER. The table compares the
models side by side: R@K, recall@K, precision@K, MRR, mAP and NDCG@10 over the whole ranking
(see ``core.evaluation.metrics``), the indexing rate and the latency of warm text queries.
``--robustness`` adds the same metrics on perturbed copies (JPEG quality 30, blur, a 15 degree
turn, a 70% centre crop); ``--png FILE`` draws the Recall@K curves, K = 1 .. ``-k``.

``--json`` prints one object on stdout; its keys are listed in ``core.evaluation.report``
(folder, source, photos, queries, ensembles, curve_k, missing_captions, and per model: model,
photos, queries, skipped_queries, metrics, recall_curve, indexing, latency_ms, robustness,
failures). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.cli.output import note, say, say_json

if TYPE_CHECKING:
    from core.evaluation.results import EvalProgress

EXIT_OK = 0
DEFAULT_CURVE_K = 10

_PHASES = {
    "perturbing": "making perturbed copies",
    "loading": "loading the model",
    "indexing": "indexing",
    "indexing copies": "indexing the perturbed copies",
    "timing": "timing queries",
    "ranking": "ranking every photo",
}


def add_parser(sub: argparse._SubParsersAction, counts: Callable[[str], int]) -> None:
    parser = sub.add_parser(
        "eval", help="measure how well models search a folder of labelled photos",
        description="Labels are FOLDER's subfolder names (FOLDER/dog/*.jpg), or captions from "
        "--captions. Models index FOLDER in temporary libraries: your library is not touched "
        "and nothing is written into FOLDER.",
    )
    parser.add_argument("folder", help="photos in one subfolder per label, or with --captions")
    parser.add_argument("--captions", metavar="FILE",
                        help="CSV or TSV of path,caption rows (paths relative to FOLDER)")
    parser.add_argument("--models", nargs="+", metavar="MODEL",
                        help="models to compare (default: the library's model)")
    parser.add_argument("--no-ensembles", dest="ensembles", action="store_false",
                        help="ask each label with one prompt instead of a prompt ensemble")
    parser.add_argument("--robustness", action="store_true",
                        help="also evaluate on perturbed copies (compressed, blurred, turned, "
                        "cropped), made in a temporary folder")
    parser.add_argument("--png", metavar="FILE", help="draw the Recall@K curves into this PNG")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.add_argument("-k", type=counts, default=DEFAULT_CURVE_K,
                        help=f"the Recall@K curve goes up to this K (default {DEFAULT_CURVE_K})")


class _Progress:
    """One line per step on stderr; the count within a step every few seconds at most (a line
    rewritten in place on a terminal)."""

    def __init__(self) -> None:
        try:
            self._tty = sys.stderr.isatty()
        except (OSError, ValueError):
            self._tty = False
        self._step: tuple[str, str | None] | None = None
        self._last = 0.0

    def __call__(self, p: EvalProgress) -> None:
        now = time.monotonic()
        step = (p.phase, p.model)
        if step == self._step and now - self._last < (0.2 if self._tty else 5.0):
            return
        self._last = now
        words = _PHASES.get(p.phase, p.phase)
        model = f"[{p.model_number}/{p.models}] {p.model}: " if p.model else ""
        count = f" {p.done}/{p.total}" if p.total > 1 else ""
        line = f"{model}{words}{count}"
        if self._tty:
            # A new step keeps the last line of the one before; counts rewrite their own line.
            newline = "\n" if self._step is not None and step != self._step else ""
            try:
                sys.stderr.write(newline + "\r\033[K" + line)
                sys.stderr.flush()
            except OSError:
                pass  # stderr full or gone: progress is lost, the evaluation goes on
        else:
            note(line)
        self._step = step

    def finish(self) -> None:
        if self._tty and self._step is not None:
            note("")


def _chart_path(text: str, folder: Path) -> Path:
    from core.evaluation.dataset import EvaluationError

    path = Path(text).expanduser().absolute()
    if path.resolve().is_relative_to(folder.expanduser().resolve()):
        raise EvaluationError(
            f"--png {path} is inside {folder}: PhotoSeek never writes into the folder it "
            "evaluates. Choose a file elsewhere."
        )
    if not path.parent.is_dir():
        raise EvaluationError(f"--png {path}: the folder {path.parent} does not exist.")
    return path


def run_eval(args: argparse.Namespace) -> int:
    from core.config.paths import data_paths
    from core.config.settings import Settings, choose_model
    from core.evaluation.chart import save_recall_chart
    from core.evaluation.dataset import EvaluationError
    from core.evaluation.report import text_lines, to_json
    from core.evaluation.runner import EvalRequest, evaluate

    folder = Path(args.folder)
    chart = _chart_path(args.png, folder) if args.png else None
    # The person's library is read for its settings only (its model and device), never opened.
    paths = data_paths(args.home)
    settings = Settings.load(paths.settings)
    models = tuple(args.models or [choose_model(args.model, settings, paths.catalog)])
    request = EvalRequest(
        folder=folder,
        models=models,
        captions=Path(args.captions) if args.captions else None,
        ensembles=args.ensembles,
        robustness=args.robustness,
        curve_k=args.k,
        device=args.device or settings.device,
        weights_cache=paths.models_dir if paths.models_dir.is_dir() else None,
    )
    progress = _Progress()
    try:
        report = evaluate(request, progress)
    finally:
        progress.finish()
    if chart is not None:
        try:
            save_recall_chart(report, chart)
        except OSError as exc:
            raise EvaluationError(
                f"The chart cannot be written to {chart}: {exc.strerror or exc}"
            ) from exc
        note(f"chart: {chart}")
    if args.json:
        say_json(to_json(report))
    else:
        for line in text_lines(report):
            say(line)
    return EXIT_OK
