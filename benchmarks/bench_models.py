"""Each model's towers on this CPU side by side: torch fp32, torch dynamic int8, prepared int8.

For every model (random weights: the real architectures, so the real compute cost):

- image tower throughput (img/s) on pre-decoded batches of ``--batch`` (32) real-photo pixels,
  ``--batches`` timed batches after one warm-up batch, through ``Embedder.embed_images``, for
  torch fp32, torch dynamic int8 (today's ``core.models.loading._int8_image_tower``: only
  nn.Linear, so open_clip's nn.MultiheadAttention stays fp32) and the prepared ONNX int8 model
  (``core.models.onnx_export.prepare_package``, what ``Library.prepare_model`` makes);
- the int8/fp32 speed ratio, and the min and mean cosine between each int8 vector and the fp32
  vector of the same photo, on scikit-image's varied real photos (16 or more);
- warm text-query latency p50/p95 (ms) through ``Embedder.embed_texts``, one new text per call
  so the query cache never answers, torch fp32 against the prepared model;
- how long preparing took, and the prepared files' sizes (against the fp32 weights' size).

SigLIP 2 and XLM-R tokenizers cannot be downloaded here: tests/hf_assets.py builds small
real-format stand-ins (see benchmarks/bench_support.py); the towers are the real ones.

    .venv/bin/python benchmarks/bench_models.py                  # the four models
    .venv/bin/python benchmarks/bench_models.py --models random:ViT-B-32-SigLIP2-256 \
        --batches 2 --queries 10                                  # a quick look at one
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_support import (  # noqa: E402
    HUB_NOTE,
    offline,
    percentile,
    place_hub_files,
    real_photos,
    short,
)

MODELS = (
    "random:ViT-B-32-SigLIP2-256",
    "random:ViT-B-16-SigLIP2",
    "random:xlm-roberta-base-ViT-B-32",
    "random:ViT-B-32",
)
WORDS = (
    "dog cat beach sunset mountain snow city night street car bicycle child birthday cake "
    "wedding dress forest lake boat bridge flower garden kitchen food pizza coffee concert "
    "guitar museum painting train station airport plane desert camel horse farm cow tree "
    "receipt grandma party rain umbrella river castle market"
).split()


@dataclass
class Row:
    label: str
    img_s: float
    min_cos: float | None = None
    mean_cos: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None


@dataclass
class ModelResult:
    name: str
    rows: list[Row] = field(default_factory=list)
    prepare_s: float = 0.0
    precision: str = ""
    files_mb: dict[str, float] = field(default_factory=dict)
    fp32_mb: float = 0.0


def _batch(pixels: np.ndarray, size: int) -> np.ndarray:
    """``size`` pre-decoded pictures, cycling through the real photos."""
    picks = [pixels[i % len(pixels)] for i in range(size)]
    return np.ascontiguousarray(np.stack(picks))


def image_rate(embedder, batch: np.ndarray, batches: int) -> float:
    embedder.embed_images(batch)  # warm-up: allocations, kernel choice, lazy session
    started = time.perf_counter()
    for _ in range(batches):
        embedder.embed_images(batch)
    return batches * len(batch) / (time.perf_counter() - started)


def cosines(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    c = np.sum(a * b, axis=1)
    return float(c.min()), float(c.mean())


def query_latency(embedder, count: int, seed: int) -> tuple[float, float]:
    """p50 and p95 (ms) of one new query per call (the cache never holds it)."""
    rng = random.Random(seed)

    def text(n: int) -> str:
        return f"{' '.join(rng.sample(WORDS, rng.randint(2, 6)))} {n}"

    for n in range(3):  # warm-up
        embedder.embed_texts([text(-1 - n)])
    times = []
    for n in range(count):
        query = text(n)
        started = time.perf_counter()
        embedder.embed_texts([query])
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50), percentile(times, 95)


def bench_model(name: str, folder: Path, photos, args: argparse.Namespace) -> ModelResult:
    from core.models import loading
    from core.models.identity import model_identity_of
    from core.models.names import parse_model_name
    from core.models.onnx_embedder import OnnxEmbedder
    from core.models.onnx_export import prepare_package
    from core.models.onnx_package import package_dir
    from core.models.torch_embedder import TorchEmbedder

    result = ModelResult(name)
    place_hub_files(folder, name)
    os.environ["PHOTOSEEK_IMAGE_PRECISION"] = "fp32"  # torch, fp32 image tower
    try:
        fp32 = loading.load_model(parse_model_name(name), folder, device="cpu")
    finally:
        del os.environ["PHOTOSEEK_IMAGE_PRECISION"]
    assert isinstance(fp32, TorchEmbedder) and fp32.image_precision == "fp32"
    model = fp32.model
    result.fp32_mb = sum(p.numel() * p.element_size() for p in model.parameters()) / 1e6
    tower = loading._int8_image_tower(model)  # noqa: SLF001 - today's int8 path, measured
    dynamic = TorchEmbedder(model=model, tokenizer=fp32.tokenizer, name=fp32.name, dim=fp32.dim,
                            device="cpu", image_tower=tower)

    started = time.perf_counter()
    identity = model_identity_of(fp32.name)
    manifest = prepare_package(fp32, identity, folder)
    result.prepare_s = time.perf_counter() - started
    prepared = OnnxEmbedder(manifest, package_dir(folder, identity))
    result.precision = f"image {manifest.image_precision}, text {manifest.text_precision}"
    for file in sorted(package_dir(folder, identity).iterdir()):
        result.files_mb[file.name] = file.stat().st_size / 1e6

    pixels = np.stack([fp32.preprocess(image) for _name, image in photos])
    batch = _batch(pixels, args.batch)
    exact = fp32.embed_images(pixels)
    for label, embedder in (("torch fp32", fp32), ("torch int8 (dynamic)", dynamic),
                            ("prepared ONNX", prepared)):
        if label == "torch int8 (dynamic)" and tower is None:
            continue
        if label == "prepared ONNX":
            label = f"prepared ONNX {manifest.image_precision}"
        row = Row(label, image_rate(embedder, batch, args.batches))
        if embedder is not fp32:
            row.min_cos, row.mean_cos = cosines(embedder.embed_images(pixels), exact)
        result.rows.append(row)
        print(f"  {short(name)}: {label}: {row.img_s:.1f} img/s", flush=True)
    for row, embedder in ((result.rows[0], fp32), (result.rows[-1], prepared)):
        row.p50_ms, row.p95_ms = query_latency(embedder, args.queries, seed=len(name))
    return result


def _f(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(results: list[ModelResult], photos: int, args: argparse.Namespace) -> None:
    print()
    print(f"image tower: batches of {args.batch}, {args.batches} timed after a warm-up; "
          f"cosine vs torch fp32 on {photos} real photos; text: {args.queries} new queries, "
          f"{os.cpu_count()} cores")
    head = (f"{'model':<26} {'backend':<22} {'img/s':>7} {'x fp32':>7} {'min cos':>8} "
            f"{'mean cos':>8} {'q p50':>7} {'q p95':>7}")
    print(head)
    print("-" * len(head))
    for r in results:
        base = r.rows[0].img_s
        for n, row in enumerate(r.rows):
            print(f"{short(r.name) if n == 0 else '':<26} {row.label:<22} {row.img_s:>7.1f} "
                  f"{row.img_s / base:>6.2f}x {_f(row.min_cos, '.5f'):>8} "
                  f"{_f(row.mean_cos, '.5f'):>8} {_f(row.p50_ms, '.1f'):>7} "
                  f"{_f(row.p95_ms, '.1f'):>7}")
        files = ", ".join(f"{k} {v:.1f} MB" for k, v in r.files_mb.items() if v >= 0.05)
        print(f"{'':<26} prepared in {r.prepare_s:.0f} s ({r.precision}); {files}; "
              f"fp32 weights {r.fp32_mb:.0f} MB")
    print("(q p50/p95: warm text query in ms; img/s: pre-decoded pixels, no JPEG decoding)")
    print(HUB_NOTE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS),
                        help="model names (random: ones cost what the real ones cost)")
    parser.add_argument("--batch", type=int, default=32, help="images per batch")
    parser.add_argument("--batches", type=int, default=4, help="timed batches per backend")
    parser.add_argument("--queries", type=int, default=40, help="timed text queries")
    args = parser.parse_args()
    offline()
    logging.basicConfig(level=logging.ERROR)  # the expected "RANDOM weights" warning
    photos = real_photos()
    print(f"{len(photos)} real photos: {', '.join(n for n, _ in photos)}", flush=True)
    results: list[ModelResult] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-models-") as tmp:
        for name in args.models:
            print(f"{name}: loading, preparing, measuring…", flush=True)
            try:
                results.append(bench_model(name, Path(tmp) / short(name), photos, args))
            except Exception as exc:  # one model that cannot be measured leaves the others
                logging.getLogger(__name__).exception("%s", name)
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
            gc.collect()
    print_table(results, len(photos), args)
    for line in failed:
        print(f"NOT MEASURED {line}")


if __name__ == "__main__":
    main()
