"""An evaluation as a person reads it (one table, the models side by side) and as JSON.

JSON keys (stable; scripts read them)::

    folder, source ("folders" | "captions"), photos, queries, ensembles, curve_k,
    missing_captions, failed_models: [{model, reason}], models: [{
        model, photos, queries, skipped_queries,
        metrics: {R@1, R@5, R@10, recall@1, recall@5, recall@10, precision@1, precision@5,
                  precision@10, mrr, map, ndcg@10},
        recall_curve: [recall@1, ..., recall@curve_k],
        indexing: {photos, seconds, photos_per_second},
        latency_ms: {p50, p95, queries},
        robustness: {jpeg_q30 | blur | rotate | crop: {queries, skipped_queries, metrics,
                     recall_curve}}  ({} without --robustness),
        failures: [{path, reason}],
    }]

See ``core.evaluation.metrics`` for what each metric means.
"""

from __future__ import annotations

from typing import Any

from core.evaluation.metrics import SUMMARY_KS, Summary, metric_keys
from core.evaluation.perturb import PERTURBATIONS
from core.evaluation.results import EvalReport, ModelResult
from core.models.names import WEIGHT_SUFFIXES

COLUMN_WIDTH = 24
LABEL_WIDTH = 24
ROBUSTNESS_METRICS = ("R@1", "map")


def short_name(model: str, width: int = COLUMN_WIDTH - 2) -> str:
    """A model's name for a column: a weights file by its name without the folder and suffix
    ("ViT-B-32:/w/mine.safetensors" as "ViT-B-32:mine"), long names cut in the middle."""
    arch, sep, rest = model.partition(":")
    if sep and ("/" in rest or "\\" in rest):
        file_name = rest.replace("\\", "/").rsplit("/", 1)[-1]
        stem, dot, suffix = file_name.rpartition(".")
        if dot and stem and f".{suffix.lower()}" in WEIGHT_SUFFIXES:
            file_name = stem
        model = f"{arch}:{file_name}"
    if len(model) <= width:
        return model
    keep = width - 1
    return model[: (keep + 1) // 2] + "…" + model[len(model) - keep // 2:]


def _names(models: tuple[ModelResult, ...]) -> list[str]:
    names = [short_name(m.model) for m in models]
    if len(set(names)) < len(names):  # two weights files of one name: number them
        names = [f"{i}. {n}"[: COLUMN_WIDTH - 2] for i, n in enumerate(names, start=1)]
    return names


def _row(label: str, cells: list[str]) -> str:
    return label.ljust(LABEL_WIDTH) + "".join(c.ljust(COLUMN_WIDTH) for c in cells).rstrip()


def _what(report: EvalReport) -> str:
    if report.source == "captions":
        asked = f"{report.queries} captions"
    else:
        ensembles = "prompt ensembles" if report.ensembles else "one prompt"
        asked = f"{report.queries} labels from subfolders, {ensembles}"
    return f"{report.folder}: {report.photos} photos, {asked}"


def text_lines(report: EvalReport) -> list[str]:
    """The table, line by line."""
    models = report.models
    lines = [_what(report)]
    if report.missing_captions:
        lines.append(f"({report.missing_captions} caption rows name no photo of the folder)")
    for model, reason in report.failed_models:
        lines.append(f"{model} could not be evaluated: {reason}")
    lines += ["", _row("", _names(models))]
    lines.append(_row("photos ranked", [str(m.photos) for m in models]))
    for key in metric_keys():
        lines.append(_row(key, [f"{m.clean.values[key]:.3f}" for m in models]))
    if report.curve_k not in SUMMARY_KS and report.curve_k > 1:
        k = report.curve_k
        lines.append(_row(f"recall@{k}", [f"{m.clean.recall_curve[k - 1]:.3f}" for m in models]))
    lines.append(_row("indexing photos/s",
                      [f"{m.indexing.photos_per_second:.1f}" for m in models]))
    lines.append(_row("query p50 / p95 ms",
                      [f"{m.latency.p50_ms:.1f} / {m.latency.p95_ms:.1f}" for m in models]))
    kinds = [k for k in PERTURBATIONS if all(k in m.robustness for m in models)]
    if kinds:
        lines += ["", "robustness: " + " / ".join(ROBUSTNESS_METRICS) + " on perturbed copies"]
        lines.append(_row("  originals", [_pair(m.clean) for m in models]))
        for kind in kinds:
            lines.append(_row(f"  {PERTURBATIONS[kind][0]}",
                              [_pair(m.robustness[kind]) for m in models]))
    lines += ["", "R@K: a relevant photo in the top K; recall@K: the share of the relevant photos "
              "in the top K;", "map: over the whole ranking (every photo scored); latency: warm "
              "text queries through the search path."]
    skipped = {m.clean.skipped for m in models}
    if skipped != {0}:
        lines += ["", f"{max(skipped)} queries had no readable photo and were left out"]
    for m in models:
        if m.failures:
            path, reason = m.failures[0]
            lines.append(f"{short_name(m.model)}: {len(m.failures)} photos could not be read "
                         f"(e.g. {path}: {reason})")
    return lines


def _pair(summary: Summary) -> str:
    return " / ".join(f"{summary.values[k]:.3f}" for k in ROBUSTNESS_METRICS)


def _round(value: float) -> float:
    return round(value, 6)


def _summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "queries": summary.queries,
        "skipped_queries": summary.skipped,
        "metrics": {k: _round(summary.values[k]) for k in metric_keys()},
        "recall_curve": [_round(v) for v in summary.recall_curve],
    }


def _model_json(m: ModelResult) -> dict[str, Any]:
    return {
        "model": m.model,
        "photos": m.photos,
        **_summary_json(m.clean),
        "indexing": {
            "photos": m.indexing.photos,
            "seconds": _round(m.indexing.seconds),
            "photos_per_second": _round(m.indexing.photos_per_second),
        },
        "latency_ms": {
            "p50": _round(m.latency.p50_ms), "p95": _round(m.latency.p95_ms),
            "queries": m.latency.queries,
        },
        "robustness": {kind: _summary_json(s) for kind, s in m.robustness.items()},
        "failures": [{"path": path, "reason": reason} for path, reason in m.failures],
    }


def to_json(report: EvalReport) -> dict[str, Any]:
    """The report as plain JSON values (see the module for the keys)."""
    return {
        "folder": str(report.folder),
        "source": report.source,
        "photos": report.photos,
        "queries": report.queries,
        "ensembles": report.ensembles,
        "curve_k": report.curve_k,
        "missing_captions": report.missing_captions,
        "failed_models": [{"model": m, "reason": r} for m, r in report.failed_models],
        "models": [_model_json(m) for m in report.models],
    }
