"""Indexing throughput on 12-megapixel JPEGs: PhotoSeek's pipeline against a naive one.

Naive: each file fully decoded and put through open_clip's own preprocess, one after another,
then encoded in fp32 PyTorch batches of 8, with no overlap between decoding and inference.
PhotoSeek: ``Library.index`` (walk, fingerprint, draft decode on a thread pool ahead of batched
inference, commits, index inserts). Both use random:ViT-B-32, which costs what the real model costs.

    .venv/bin/python benchmarks/bench_indexing.py --photos 48
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image


def make_12mp_jpegs(folder: Path, count: int) -> list[Path]:
    """Real photo content (scikit-image samples) scaled to 4000x3000 with sensor-like noise."""
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


def naive(paths: list[Path]) -> float:
    import open_clip
    import torch

    model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained=None)
    model.eval()
    started = time.perf_counter()
    batch = []
    with torch.no_grad():
        for path in paths:
            batch.append(preprocess(Image.open(path).convert("RGB")))
            if len(batch) == 8:
                model.encode_image(torch.stack(batch))
                batch = []
        if batch:
            model.encode_image(torch.stack(batch))
    return len(paths) / (time.perf_counter() - started)


def photoseek(folder: Path, home: Path, precision: str) -> tuple[float, float]:
    import os

    from core.library import Library

    os.environ["PHOTOSEEK_IMAGE_PRECISION"] = precision
    library = Library(home=home, model="random:ViT-B-32", device="cpu")
    library.prepare()  # model load is not indexing throughput
    library.add_folder(folder)
    started = time.perf_counter()
    summary = library.index()
    seconds = time.perf_counter() - started
    library.close()
    assert summary.embedded == len(list(folder.glob("*.jpg"))), summary
    return summary.embedded / seconds, seconds


def agreement(home_a: Path, home_b: Path) -> float:
    """Lowest cosine between the two runs' stored vectors of the same photo."""
    import sqlite3

    from core.vectors import codec as vector_codec

    def vectors(home: Path) -> dict[str, np.ndarray]:
        db = sqlite3.connect(home / "catalog.db")
        rows = db.execute(
            "SELECT p.rel_path, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id"
        ).fetchall()
        db.close()
        out = {}
        for rel, blob in rows:
            v = vector_codec.decode(blob)
            out[rel] = v / np.linalg.norm(v)
        return out

    a, b = vectors(home_a), vectors(home_b)
    return min(float(a[k] @ b[k]) for k in a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=48)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        paths = make_12mp_jpegs(root / "photos", args.photos)
        size_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(f"made {len(paths)} 12 MP JPEGs ({size_mb:.1f} MB each) in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
        naive_rate = naive(paths)
        print(f"naive pipeline: {naive_rate:.2f} photos/s", flush=True)
        for precision in ("auto", "fp32"):
            rate, seconds = photoseek(root / "photos", root / f"home-{precision}", precision)
            label = "int8 image tower" if precision == "auto" else "fp32 image tower"
            print(f"photoseek pipeline ({label}): {rate:.2f} photos/s ({seconds:.1f} s), "
                  f"speed-up {rate / naive_rate:.2f}x", flush=True)
        print(f"int8 vs fp32 vectors of the same photos: min cosine "
              f"{agreement(root / 'home-auto', root / 'home-fp32'):.5f}", flush=True)


if __name__ == "__main__":
    main()
