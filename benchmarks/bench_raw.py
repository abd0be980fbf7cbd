"""Decoding a 24-megapixel RAW for the model through each path: the camera's embedded preview
(1620x1080, as Canon, Sony and Nikon embed) and LibRaw's half-size demosaic (a RAW whose preview
is too small), plus a grid thumbnail. Real photo content (scikit-image's astronaut, enlarged);
the DNG is uncompressed, so the demosaic figure leaves out the lossless-JPEG unpacking that
CR2/NEF/ARW files add. Best of several runs, one thread.

    .venv/bin/python benchmarks/bench_raw.py --runs 5
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from core.imaging.loading import load_photo, make_thumbnail
from tests.raw_files import write_dng


def best_of(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def real_picture(width: int, height: int) -> np.ndarray:
    from skimage import data

    return np.asarray(Image.fromarray(data.astronaut()).resize((width, height)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    picture = real_picture(6000, 4000)
    with tempfile.TemporaryDirectory() as tmp:
        previewed = write_dng(Path(tmp) / "previewed.dng", (6000, 4000), (1620, 1080),
                              picture=picture, preview_picture=Image.fromarray(picture))
        bare = write_dng(Path(tmp) / "bare.dng", (6000, 4000), None, picture=picture)
        size_mb = bare.stat().st_size / 1e6
        for name, path in (("preview", previewed), ("demosaic", bare)):
            model = best_of(lambda p=path: load_photo(p, 224), args.runs)
            thumb = best_of(lambda p=path: make_thumbnail(p, 256), args.runs)
            print(f"24 MP DNG ({size_mb:.0f} MB), {name} path: load_photo(224) "
                  f"{model * 1000:.0f} ms ({1 / model:.1f} photos/s), "
                  f"thumbnail(256) {thumb * 1000:.0f} ms")


if __name__ == "__main__":
    main()
