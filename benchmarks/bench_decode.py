"""Decoding a 12-megapixel JPEG for the model: load_photo (libjpeg's reduced-scale decode, EXIF,
resize) against a full decode, best of several runs, on real photo content.

    .venv/bin/python benchmarks/bench_decode.py --runs 5
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from PIL import Image

from benchmarks.bench_indexing import make_12mp_jpegs
from core.imaging.loading import load_photo


def best_of(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (path,) = make_12mp_jpegs(Path(tmp), 1)

        def full() -> None:
            with Image.open(path) as im:
                im.load()

        ours = best_of(lambda: load_photo(path, 224), args.runs)
        whole = best_of(full, args.runs)
    print(f"12 MP JPEG: load_photo(224) {ours * 1000:.1f} ms, full decode {whole * 1000:.1f} ms "
          f"({whole / ours:.1f}x)")


if __name__ == "__main__":
    main()
