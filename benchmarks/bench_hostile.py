"""The hostile corpus (tests/corpus.py) read case by case: the slowest cases and the growth of
peak memory (decompression bombs, huge dimensions, endless files must all stay bounded).

    .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import contextlib
import os
import resource
import tempfile
import time
import warnings
from pathlib import Path

from core.errors import ImageLoadError
from core.imaging.loading import load_photo
from tests.corpus import build_corpus


def main() -> None:
    warnings.simplefilter("ignore")  # Pillow's warnings about damaged EXIF are expected here
    with tempfile.TemporaryDirectory() as tmp:
        cases = build_corpus(Path(tmp) / "corpus")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        timings = []
        for case in cases:
            if not os.path.lexists(case.path):
                continue
            start = time.perf_counter()
            with contextlib.suppress(ImageLoadError):  # failing cleanly is the point
                load_photo(case.path, 224)
            timings.append((time.perf_counter() - start, case.kind))
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    timings.sort(reverse=True)
    print(f"{len(timings)} cases read; peak memory grew by {grown_mb:.0f} MB")
    for seconds, kind in timings[:5]:
        print(f"  {seconds * 1000:7.1f} ms  {kind}")


if __name__ == "__main__":
    main()
