"""Running an evaluation: each model indexes the folder in a library of its own, then every
query is searched and scored.

For each model, a throwaway data folder (under one temporary folder, deleted at the end, even
on an error or a cancel) holds a ``Library`` that adds the evaluated folder and indexes it
through the real path (``Library.index``): its ``IndexSummary`` gives the indexing rate. Text
queries then go through ``Library.search`` to measure what a person waits for. The metrics use
no search cut-off and no K: every photo's stored vector is scored against every query's text
vector, so mAP sees the whole ranking. With ``robustness``, perturbed copies of every photo
(``core.evaluation.perturb``, made once for all models) are indexed by the same library, and
each set is ranked on its own.

The person's own library is never opened, and the evaluated folder is only read. The one thing
shared is the weights cache (``EvalRequest.weights_cache``), so a model is downloaded once, not
at every evaluation.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.catalog import lookups
from core.errors import Cancelled, PhotoSeekError, UserFixableError
from core.evaluation.dataset import Dataset, EvaluationError, load_dataset
from core.evaluation.metrics import QueryRanks, Summary, ranks_from_scores, summarise
from core.evaluation.perturb import Perturbed, perturb_photos
from core.evaluation.queries import query_vectors, search_text, templates_for
from core.evaluation.results import EvalProgress, EvalReport, Indexing, Latency, ModelResult
from core.library import Library
from core.library.background import BackgroundJob
from core.records import IndexProgress
from core.search.query import build_query
from core.vectors import codec

MAX_TIMED_QUERIES = 200  # enough for a steady p95; thousands of captions need not all be timed
QUERY_CHUNK = 64  # queries scored at once: a (64, photos) matrix, 25 MB at 100k photos

ProgressCallback = Callable[[EvalProgress], None]


@dataclass(frozen=True)
class EvalRequest:
    folder: Path
    models: tuple[str, ...]
    captions: Path | None = None
    ensembles: bool = True
    robustness: bool = False
    curve_k: int = 10  # the Recall@K curve runs from K=1 to this
    device: str | None = None
    # A models folder whose weights the evaluation libraries use (and download into): the
    # person's own, so that a model is fetched once. None: each library downloads its own.
    weights_cache: Path | None = None


class _EvalLibrary(Library):
    """A library without the work done after embedding (places, tags, text in photos): search
    needs only vectors, and naming places or reading text would only slow the evaluation."""

    def background_jobs(self) -> list[BackgroundJob]:
        return []


def _stop(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("the evaluation was cancelled")


class _Reporter:
    """Turns each step's counts into EvalProgress for the caller's callback."""

    def __init__(self, callback: ProgressCallback | None, models: int) -> None:
        self._callback = callback
        self.models = models
        self.model: str | None = None
        self.number = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self._callback is not None:
            self._callback(EvalProgress(phase, self.model, done, total, self.number, self.models))

    def indexing(self, phase: str) -> Callable[[IndexProgress], None]:
        def report(p: IndexProgress) -> None:
            if p.phase == "embedding":
                self(phase, p.done, p.total)

        return report


def evaluate(
    request: EvalRequest,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> EvalReport:
    """Evaluate every model of ``request`` on its folder. Raises EvaluationError (a person can
    fix it), Cancelled when ``cancel`` is set, or what loading a model raises."""
    if not request.models:
        raise ValueError("no model to evaluate")
    if request.curve_k < 1:
        raise ValueError("curve_k must be 1 or more")
    dataset = load_dataset(request.folder, request.captions)
    models = tuple(dict.fromkeys(request.models))
    reporter = _Reporter(progress, len(models))
    with tempfile.TemporaryDirectory(prefix="photoseek-eval-", ignore_cleanup_errors=True) as t:
        work = Path(t).resolve()
        if work.is_relative_to(dataset.root):
            raise EvaluationError(
                f"The temporary folder {work} would be inside {dataset.root}, and nothing is "
                "ever written there: set TMPDIR to a folder outside it."
            )
        perturbed = None
        if request.robustness:
            perturbed = perturb_photos(
                dataset.root, dataset.photos, work / "perturbed",
                progress=lambda done, total: reporter("perturbing", done, total), cancel=cancel,
            )
        results: list[ModelResult] = []
        failed: list[tuple[str, UserFixableError]] = []
        for number, name in enumerate(models, start=1):
            reporter.model, reporter.number = name, number
            home = work / f"home-{number}"
            try:
                results.append(_evaluate_model(dataset, name, request, home, perturbed, reporter,
                                               cancel))
            except UserFixableError as exc:  # one model that cannot load loses no other's result
                failed.append((name, exc))
            finally:
                _remove_home(home)
                gc.collect()  # let the model go before the next one loads
        if not results:
            raise failed[0][1]  # nothing to show: say why the (first) model failed
    return EvalReport(
        folder=dataset.root, source=dataset.source, photos=len(dataset.photos),
        queries=len(dataset.queries), ensembles=request.ensembles and not dataset.is_captions,
        curve_k=request.curve_k, models=tuple(results), missing_captions=dataset.missing,
        failed_models=tuple((name, str(exc)) for name, exc in failed),
    )


def _share_weights(home: Path, cache: Path | None) -> None:
    """Point the library's models folder at ``cache`` (a link), so weights are downloaded once."""
    if cache is None or not cache.is_dir():
        return
    home.mkdir(parents=True, exist_ok=True)
    # Where links cannot be made (Windows without the right), the library downloads its own.
    with contextlib.suppress(OSError):
        (home / "models").symlink_to(cache.resolve(), target_is_directory=True)


def _remove_home(home: Path) -> None:
    link = home / "models"
    if link.is_symlink():
        link.unlink()  # the shared weights stay where they are
    shutil.rmtree(home, ignore_errors=True)


def _evaluate_model(
    dataset: Dataset,
    name: str,
    request: EvalRequest,
    home: Path,
    perturbed: Perturbed | None,
    report: _Reporter,
    cancel: threading.Event | None,
) -> ModelResult:
    _share_weights(home, request.weights_cache)
    library = _EvalLibrary(home=home, model=name, device=request.device)
    try:
        report.model = library.model_name
        library.add_folder(dataset.root)
        report("loading", 0, 1)
        summary = library.index(progress=report.indexing("indexing"), cancel=cancel)
        if summary.cancelled:
            raise Cancelled("the evaluation was cancelled")
        indexing = Indexing(summary.embedded, summary.embed_seconds)
        latency = _time_queries(library, dataset, report, cancel)
        if perturbed is not None:
            for folder in perturbed.folders.values():
                library.add_folder(folder)
            if library.index(progress=report.indexing("indexing copies"), cancel=cancel).cancelled:
                raise Cancelled("the evaluation was cancelled")
        paths, vectors = _stored_vectors(library)
        subjects = [q.subject for q in dataset.queries]
        texts = query_vectors(library.embedder(), subjects, templates_for(dataset,
                                                                          request.ensembles))
        originals = _members(paths, dataset.root, None)
        if not len(originals[0]):
            raise EvaluationError(
                f"None of the {len(dataset.photos)} photos in {dataset.root} could be read; "
                "photoseek failures lists why once the folder is in a library."
            )
        clean = _rank(dataset, originals, vectors, texts, request.curve_k, report, cancel)
        robustness: dict[str, Summary] = {}
        if perturbed is not None:
            for kind, folder in perturbed.folders.items():
                copies = _members(paths, folder, perturbed.origin[kind])
                robustness[kind] = _rank(dataset, copies, vectors, texts, request.curve_k,
                                         report, cancel)
        failures = tuple(
            (f.path.relative_to(dataset.root).as_posix(), f.reason)
            for f in library.failures()
            if f.kind == "failed" and f.path.is_relative_to(dataset.root)
        )
        return ModelResult(
            model=library.model_name, photos=len(originals[0]),
            indexing=indexing, latency=latency, clean=clean, robustness=robustness,
            failures=failures,
        )
    finally:
        library.close()


def _time_queries(
    library: Library, dataset: Dataset, report: _Reporter, cancel: threading.Event | None
) -> Latency:
    texts = list(dict.fromkeys(search_text(dataset, q.subject) for q in dataset.queries))
    if len(texts) > MAX_TIMED_QUERIES:  # an even spread, the same every run
        step = len(texts) / MAX_TIMED_QUERIES
        texts = [texts[int(i * step)] for i in range(MAX_TIMED_QUERIES)]
    if library.status().indexed == 0:
        return Latency(0.0, 0.0, 0)
    _search(library, "warming up the search path", cancel)  # not timed: first-call costs
    took: list[float] = []
    for done, text in enumerate(texts):
        _stop(cancel)
        started = time.perf_counter()
        if _search(library, text, cancel):
            took.append((time.perf_counter() - started) * 1000.0)
        report("timing", done + 1, len(texts))
    if not took:
        return Latency(0.0, 0.0, 0)
    p50, p95 = np.percentile(took, [50, 95])
    return Latency(float(p50), float(p95), len(took))


def _search(library: Library, text: str, cancel: threading.Event | None) -> bool:
    """Search ``text`` to the exact answer; False for a text the query parser refuses."""
    try:
        for _results in library.search(build_query(text), k=10, cancel=cancel):
            pass
    except PhotoSeekError:
        return False  # e.g. a caption that reads as an example photo's path
    return True


def _stored_vectors(library: Library) -> tuple[list[Path], np.ndarray]:
    """Every photo's path and its stored vector (unit length) for the library's model."""
    with library.catalog.read() as conn:
        model_id = lookups.find_model(conn, library.model_identity)
        if model_id is None:
            return [], np.zeros((0, 1), dtype=np.float32)
        rows = list(lookups.embedding_blobs(conn, model_id))
        photos = lookups.photos_for_embeddings(conn, [label for label, _blob in rows])
    kept = [(photos[label].path, blob) for label, blob in rows if label in photos]
    paths: list[Path] = []
    blobs: list[bytes] = []
    dim = library.embedder().dim
    for path, blob in kept:
        try:
            codec.split(blob, dim)
        except codec.DamagedVectorError:
            continue  # cannot happen in a fresh library, but never spread NaN into the scores
        paths.append(path)
        blobs.append(blob)
    return paths, codec.decode_many(blobs, dim)


def _members(
    paths: Sequence[Path], folder: Path, origin: dict[str, str] | None
) -> tuple[np.ndarray, list[str]]:
    """The rows of the stored vectors that lie in ``folder``, and the dataset photo (relative
    path) each one stands for: itself, or for a perturbed copy the photo it was made from."""
    rows: list[int] = []
    rels: list[str] = []
    for row, path in enumerate(paths):
        try:
            rel: str | None = path.relative_to(folder).as_posix()
        except ValueError:
            continue
        if origin is not None:
            rel = origin.get(rel or "")
        if rel is not None:
            rows.append(row)
            rels.append(rel)
    return np.asarray(rows, dtype=np.int64), rels


def _rank(
    dataset: Dataset,
    members: tuple[np.ndarray, list[str]],
    vectors: np.ndarray,
    texts: np.ndarray,
    curve_k: int,
    report: _Reporter,
    cancel: threading.Event | None,
) -> Summary:
    """Score every photo of the set for every query and summarise where the relevant landed.
    A query none of whose photos is in the set (all unreadable) is skipped."""
    rows, rels = members
    photos = vectors[rows]
    position = {rel: i for i, rel in enumerate(rels)}
    queries = dataset.queries
    ranks: list[QueryRanks] = []
    for start in range(0, len(queries), QUERY_CHUNK):
        _stop(cancel)
        chunk = queries[start:start + QUERY_CHUNK]
        scores = texts[start:start + len(chunk)] @ photos.T
        for offset, query in enumerate(chunk):
            relevant = np.zeros(len(rels), dtype=bool)
            relevant[[position[r] for r in query.relevant if r in position]] = True
            ranks.append(ranks_from_scores(scores[offset], relevant))
        report("ranking", start + len(chunk), len(queries))
    return summarise(ranks, curve_k)
