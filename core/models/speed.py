"""How fast each offered model indexes on this computer: measured where it has indexed here,
else estimated from a short benchmark.

The estimate times a fixed float32 matrix product (the best of ten 10 ms rounds, cached in the
models dir) and scales this computer's rate by each model's image-tower cost
(ModelInfo.image_gmacs). A ViT is almost all such products; EFFICIENCY, measured on a whole
indexing run with the prepared int8 model, accounts for the rest (int8 kernels, decoding and
resizing), so the figure is a guide, and it is always labelled "estimated". Measured rates
(photos per second of whole indexing runs) replace it once a run of at least MIN_PHOTOS is
recorded by ``record_indexing_rate``.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.fs.safe_open import atomic_write_text
from core.models.names import ModelInfo

log = logging.getLogger(__name__)

SPEED_FILE = "speed.json"
BENCH_SECONDS = 0.1
BENCH_ROUNDS = 10
# Photos per second of whole indexing runs per (GMAC/s of the fp32 benchmark / GMACs of the
# image tower): the prepared int8 tower does more than the fp32 product rate, JPEG decoding
# takes back part of it. Calibrated with benchmarks/bench_indexing.py on 12 MP JPEGs: 29.5
# photos/s with ViT-B-32-SigLIP2-256 (5.7 GMACs) on 2 cores benchmarked at 84.5 GMAC/s -> 2.0;
# ViT-B-32's faster tower is held back more by decoding, so 1.9 fits both.
EFFICIENCY = 1.9
MIN_PHOTOS = 50  # shorter runs are dominated by start-up


@dataclass(frozen=True)
class Speed:
    photos_per_s: float
    measured: bool

    def label(self) -> str:
        how = "measured here" if self.measured else "estimated"
        rate = f"{self.photos_per_s:.0f}" if self.photos_per_s >= 10 else f"{self.photos_per_s:.1f}"
        return f"about {rate} photos/s ({how})"


def _read(cache_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(cache_dir) / SPEED_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(cache_dir: Path, data: dict[str, Any]) -> None:
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        atomic_write_text(Path(cache_dir) / SPEED_FILE, json.dumps(data, indent=2))
    except OSError as exc:  # a read-only data folder: the figure is simply not kept
        log.info("cannot save %s (%s)", SPEED_FILE, exc)


def benchmark_gmacs(rounds: int = BENCH_ROUNDS) -> float:
    """This computer's float32 matrix-product rate in GMAC/s (one ViT-B MLP's shapes): the
    best of a few short rounds, so that a moment when other work holds the cores (a first
    start scans folders meanwhile) does not stand for the computer."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 768), dtype=np.float32)
    b = rng.standard_normal((768, 3072), dtype=np.float32)
    a @ b  # warm up the BLAS threads
    macs = 64 * 768 * 3072
    best = 0.0
    for _round in range(rounds):
        done, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < BENCH_SECONDS / rounds:
            a @ b
            done += 1
        best = max(best, done * macs / elapsed / 1e9)
    return best


def cpu_gmacs(cache_dir: Path, run: bool = True) -> float | None:
    """The cached benchmark, run (about 50 ms) and cached if missing and ``run``."""
    data = _read(cache_dir)
    value = data.get("cpu_gmacs")
    if isinstance(value, (int, float)) and value > 0:
        return float(value)
    if not run:
        return None
    value = benchmark_gmacs()
    data["cpu_gmacs"] = value
    _write(cache_dir, data)
    return value


def record_indexing_rate(cache_dir: Path, model: str, photos: int, seconds: float) -> None:
    """Keep the rate of an indexing run of ``model`` on this computer (long runs only)."""
    if photos < MIN_PHOTOS or seconds <= 0:
        return
    data = _read(cache_dir)
    found = data.get("measured")
    measured: dict[str, Any] = found if isinstance(found, dict) else {}
    measured[model] = photos / seconds
    data["measured"] = measured
    _write(cache_dir, data)


def model_speed(info: ModelInfo, cache_dir: Path, run: bool = True) -> Speed | None:
    """Measured photos/s if this computer has indexed with the model, else the estimate;
    None when nothing is known and ``run`` is False (the app's GUI thread never benchmarks)."""
    measured = _read(cache_dir).get("measured", {})
    rate = measured.get(info.name) if isinstance(measured, dict) else None
    if isinstance(rate, (int, float)) and rate > 0:
        return Speed(float(rate), measured=True)
    gmacs = cpu_gmacs(cache_dir, run)
    if gmacs is None:
        return None
    return Speed(gmacs * EFFICIENCY / info.image_gmacs, measured=False)
