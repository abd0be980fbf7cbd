"""What an evaluation reports: plain records, filled by the runner and read by the report,
the chart and any window that shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.evaluation.metrics import Summary


@dataclass(frozen=True)
class EvalProgress:
    """A snapshot for progress callbacks. ``phase``: "perturbing" (making the robustness
    copies), "loading" (a model), "indexing", "indexing copies", "timing" (search latency),
    "ranking" (scoring every photo for every query). ``model_number`` counts from 1; 0 while
    no model is being evaluated yet."""

    phase: str
    model: str | None
    done: int
    total: int
    model_number: int = 0
    models: int = 0


@dataclass(frozen=True)
class Indexing:
    """The evaluation library's own indexing run, as ``IndexSummary`` measured it: the rate is
    over embedding alone (the model was loaded before the clock started)."""

    photos: int
    seconds: float

    @property
    def photos_per_second(self) -> float:
        return self.photos / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Latency:
    """Warm text queries through ``Library.search`` (the model and index loaded, each text new
    to the model's cache, so its text tower runs), from the call to the exact answer."""

    p50_ms: float
    p95_ms: float
    queries: int


@dataclass(frozen=True)
class ModelResult:
    model: str  # the canonical model name
    photos: int  # photos of the folder that have a vector (the ranked set)
    indexing: Indexing
    latency: Latency
    clean: Summary
    robustness: dict[str, Summary] = field(default_factory=dict)  # perturbation -> metrics
    failures: tuple[tuple[str, str], ...] = ()  # (path relative to the folder, reason)


@dataclass(frozen=True)
class EvalReport:
    folder: Path
    source: str  # "folders" | "captions"
    photos: int  # photos found in the folder
    queries: int
    ensembles: bool  # prompt ensembles for labels (captions are asked as written)
    curve_k: int
    models: tuple[ModelResult, ...]
    missing_captions: int = 0  # caption rows naming no photo of the folder
    # Models that could not be evaluated (not downloaded while offline, say): (model, why).
    failed_models: tuple[tuple[str, str], ...] = ()
