"""Indexing throughput at steady state on hundreds of 12 MP JPEGs, three ways in one run.

- naive: each file fully decoded, put through open_clip's own preprocess, then encoded by the
  same model's fp32 torch image tower in batches of 8, one step after another (no overlap);
- PhotoSeek: ``Library.index`` (walk, fingerprint, draft decode on a thread pool ahead of batched
  inference, commits, index inserts) with the model's prepared copy (ONNX int8), made once by
  ``Library.prepare_model`` before the clock starts. The work after embedding (places, tags,
  text in photos) is not indexing throughput and is left out of this run;
- the tower alone: the same prepared image tower on pre-decoded batches of 32 (no decoding, no
  catalog), measured before and after the pipeline (the machine's load drifts).

Rates are steady state: the pipeline's from its progress callbacks (one per batch of 32) from a
quarter of the photos on (start-up, model load and the first decodes excluded) to the last report
that leaves its decode-ahead queue full (so both ends of the window hold the same queue), naive's
after its first batch. Targets: pipeline >= 4x naive, pipeline >= 85% of the tower alone. The
JPEGs are made once into /tmp/photoseek-bench/12mp (benchmarks/bench_support.py) and reused.

    .venv/bin/python benchmarks/bench_indexing.py                      # 300 photos
    .venv/bin/python benchmarks/bench_indexing.py --photos 48 --naive-photos 16   # quick look
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_support import (  # noqa: E402
    DEFAULT_MODEL,
    HUB_NOTE,
    JPEG_CACHE,
    cached_12mp_jpegs,
    offline,
    place_hub_files,
    short,
)


def make_12mp_jpegs(folder: Path, count: int) -> list[Path]:
    """Real photo content (scikit-image samples) scaled to 4000x3000 with sensor-like noise.
    (Other benchmarks use these; this one uses bench_support.cached_12mp_jpegs.)"""
    from skimage import data

    sources = [data.astronaut(), data.chelsea(), data.coffee(), data.rocket()]
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        base = Image.fromarray(sources[n % len(sources)]).resize((4000, 3000), Image.BICUBIC)
        pixels = np.asarray(base, dtype=np.int16)
        noise = rng.integers(-12, 13, size=pixels.shape, dtype=np.int16)
        img = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
        path = folder / f"IMG_{n:04d}.jpg"
        img.save(path, quality=92)
        paths.append(path)
    return paths


def naive(model, paths: list[Path], batch_size: int = 8) -> float:
    """Photos/s of the naive pipeline after its first batch."""
    import open_clip
    import torch
    from open_clip.transform import PreprocessCfg, image_transform_v2

    cfg = PreprocessCfg(**open_clip.get_model_preprocess_cfg(model))
    preprocess = image_transform_v2(cfg, is_train=False)
    started, counted = 0.0, 0
    with torch.inference_mode():
        for first in range(0, len(paths), batch_size):
            chunk = paths[first:first + batch_size]
            batch = [preprocess(Image.open(p).convert("RGB")) for p in chunk]
            model.encode_image(torch.stack(batch))
            if first == 0:  # warm-up batch: the clock starts after it
                started = time.perf_counter()
            else:
                counted += len(chunk)
    return counted / (time.perf_counter() - started)


def tower_rate(embedder, batch: np.ndarray, batches: int) -> float:
    """Photos/s of the image tower alone on a pre-decoded batch (after a warm-up call)."""
    embedder.embed_images(batch)
    started = time.perf_counter()
    for _ in range(batches):
        embedder.embed_images(batch)
    return batches * len(batch) / (time.perf_counter() - started)


def decode_ms(embedder, paths: list[Path]) -> float:
    """Milliseconds of one thread to read a photo as the pipeline does (draft decode, EXIF,
    preprocessing): the CPU the decode threads take from the model on this machine."""
    from core.imaging.loading import load_photo

    load_photo(paths[0], embedder.image_size)  # warm-up
    started = time.perf_counter()
    for p in paths:
        embedder.preprocess(load_photo(p, embedder.image_size)[0])
    return (time.perf_counter() - started) * 1000 / len(paths)


def predecoded(embedder, paths: list[Path], size: int) -> np.ndarray:
    from core.imaging.loading import load_photo

    pixels = [embedder.preprocess(load_photo(p, embedder.image_size)[0]) for p in paths[:size]]
    while len(pixels) < size:
        pixels.append(pixels[len(pixels) % len(paths)])
    return np.ascontiguousarray(np.stack(pixels))


class Steady:
    """Progress callback: times each embedding report (one per committed batch)."""

    # The pipeline decodes up to two batches ahead (embed_pipeline's lookahead): a window
    # that ends at the last photo would end with that queue drained but start with it full.
    AHEAD = 64

    def __init__(self) -> None:
        self.marks: list[tuple[float, int, int]] = []  # (time, done, total)

    def __call__(self, p) -> None:
        if p.phase in ("embedding", "done") and p.total:
            self.marks.append((time.perf_counter(), p.done, p.total))

    def rate(self) -> tuple[float, int, int]:
        """(photos/s, first photo, last photo) of the steady window: from the first report at
        a quarter of the photos or more to the last one that leaves the decode-ahead queue
        still full (the last photo when the run is too short for that)."""
        total = self.marks[-1][2]
        start = next(m for m in self.marks if m[1] >= total / 4)
        ends = [m for m in self.marks if m[1] <= total - self.AHEAD and m[1] - start[1] >= 64]
        end = ends[-1] if ends else self.marks[-1]
        if end[1] <= start[1]:
            return 0.0, start[1], end[1]
        return (end[1] - start[1]) / (end[0] - start[0]), start[1], end[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300, help="12 MP JPEGs PhotoSeek indexes")
    parser.add_argument("--naive-photos", type=int, default=48,
                        help="of those, how many the (slow) naive pipeline runs on")
    parser.add_argument("--tower-batches", type=int, default=4,
                        help="timed batches of 32 for the tower alone, before and after")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--cache", type=Path, default=JPEG_CACHE, help="where the JPEGs are kept")
    args = parser.parse_args()
    offline()
    logging.basicConfig(level=logging.ERROR)  # the expected "RANDOM weights" warning

    from core.indexing.embed_pipeline import default_decode_workers
    from core.library import Library
    from core.models.torch_embedder import TorchEmbedder

    paths = cached_12mp_jpegs(args.photos, args.cache)
    size_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
    print(f"{len(paths)} 12 MP JPEGs ({size_mb:.1f} MB each) in {args.cache}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-indexing-") as tmp:
        root = Path(tmp)
        folder = root / "photos"  # a copy: the library's own folder, not the shared cache
        folder.mkdir()
        for p in paths:
            shutil.copyfile(p, folder / p.name)
        home = root / "home"
        first = Library(home=home, model=args.model, device="cpu")
        place_hub_files(first.paths.models_dir, args.model)
        torch_model = first.embedder()  # torch: the naive pipeline's model, and the source
        assert isinstance(torch_model, TorchEmbedder), torch_model.backend
        started = time.perf_counter()
        first.prepare_model()
        prepare_s = time.perf_counter() - started
        assert first.embedder().backend == "onnx", "the model was not prepared"
        first.close()
        print(f"prepared {args.model} in {prepare_s:.0f} s", flush=True)

        naive_rate = naive(torch_model.model, paths[: args.naive_photos])
        print(f"naive (full decode, open_clip preprocess, torch fp32, batches of 8): "
              f"{naive_rate:.2f} photos/s", flush=True)

        library = Library(home=home, model=args.model, device="cpu")
        embedder = library.embedder()
        assert embedder.backend == "onnx", embedder.backend
        batch = predecoded(embedder, paths, 32)
        tower_before = tower_rate(embedder, batch, args.tower_batches)
        print(f"tower alone (prepared {embedder.image_precision}, batches of 32): "
              f"{tower_before:.2f} photos/s", flush=True)

        decode = decode_ms(embedder, paths[:16])
        print(f"decode + preprocess alone (one thread): {decode:.1f} ms per photo", flush=True)

        library.add_folder(folder)
        library.background_jobs = lambda: []  # type: ignore[method-assign]  # not throughput
        steady = Steady()
        summary = library.index(progress=steady)
        assert summary.embedded == len(paths), summary
        pipe_rate, low, high = steady.rate()
        whole = summary.embedded / summary.embed_seconds
        print(f"PhotoSeek Library.index: {pipe_rate:.2f} photos/s at steady state "
              f"(photos {low} to {high}), {whole:.2f} photos/s over all embedding", flush=True)
        tower_after = tower_rate(embedder, batch, args.tower_batches)
        library.close()
    tower = (tower_before + tower_after) / 2

    print()
    print(f"{short(args.model)}, {len(paths)} photos, {os.cpu_count()} cores, "
          f"{default_decode_workers('cpu')} decode threads")
    print(f"{'pipeline':<44} {'photos/s':>9}")
    print(f"{'naive (fp32 torch, no overlap)':<44} {naive_rate:>9.2f}")
    print(f"{'PhotoSeek Library.index (prepared int8)':<44} {pipe_rate:>9.2f}   "
          f"(photos {low} to {high}; {whole:.2f} over all embedding)")
    print(f"{'image tower alone, pre-decoded':<44} {tower:>9.2f}   "
          f"(before {tower_before:.2f}, after {tower_after:.2f})")
    cores = os.cpu_count() or 1
    # If decoding and the tower shared the cores perfectly, the pipeline could reach this.
    ceiling = 1 / (1 / tower + decode / 1000 / cores)
    print(f"{'decode + preprocess, one thread':<44} {1000 / decode:>9.2f}   "
          f"({decode:.1f} ms per photo; tower + decode on {cores} cores: at most "
          f"{ceiling:.2f} photos/s, {100 * ceiling / tower:.0f}% of the tower)")
    print(f"pipeline / naive: {pipe_rate / naive_rate:.2f}x (target >= 4x)   "
          f"pipeline / tower: {100 * pipe_rate / tower:.0f}% (target >= 85%)")
    print(HUB_NOTE)


if __name__ == "__main__":
    main()
