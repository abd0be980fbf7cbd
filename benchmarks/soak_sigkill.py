"""SIGKILL soak: kill indexing at random moments, many times, and check everything after each.

Each round starts `photoseek index` (or `watch`) in a subprocess on a library that grows between
rounds (new photos plus hostile files from the test corpus), kills it with SIGKILL after a random
delay, and checks the catalog: integrity_check ok, no duplicate photo, no orphan or duplicate
vector, and no committed vector lost. A final clean run must finish the work, and the index must
hold exactly the catalog's vectors.

    .venv/bin/python benchmarks/soak_sigkill.py --kills 60
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.library import Library  # noqa: E402
from tests.conftest import make_photo  # noqa: E402
from tests.corpus import build_corpus  # noqa: E402
from tests.test_crash_safety import _check_catalog  # noqa: E402

MODEL = "test-tiny"


def _round(home: Path, photos: Path, rng: random.Random) -> float:
    env = {**os.environ, "PHOTOSEEK_HOME": str(home), "PHOTOSEEK_MODEL": MODEL}
    command = ["watch", str(photos)] if rng.random() < 0.25 else ["index", str(photos)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", *command], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    delay = rng.uniform(0.3, 5.0)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    return delay


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        home, photos = Path(tmp) / "home", Path(tmp) / "photos"
        build_corpus(photos / "hostile")
        tried = 0
        committed: set[int] = set()
        for kill in range(1, args.kills + 1):
            for _ in range(rng.randrange(10, 60)):  # the library grows between rounds
                make_photo(photos / f"batch{kill:03d}" / f"p{tried:05d}.jpg", tried, (120, 90))
                tried += 1
            delay = _round(home, photos, rng)
            if not (home / "catalog.db").exists():
                continue
            now = _check_catalog(home / "catalog.db")
            lost = committed - now
            print(f"kill {kill:3d} after {delay:4.1f}s: {len(now)} vectors committed, "
                  f"lost {len(lost)}", flush=True)
            if lost:
                print(f"FAILED: committed vectors lost: {sorted(lost)[:10]}")
                return 1
            committed = now
        library = Library(home=home, model=MODEL)
        summary = library.index()
        final = _check_catalog(home / "catalog.db")
        status = library.status()
        agree = library._index is not None and library._index.live_ids() == final
        library.close()
        print(f"final run: {summary.line()}")
        print(f"kills survived: {args.kills}; photos tried: {tried} plus the hostile corpus; "
              f"indexed {status.indexed}, failed {status.failed}, pending {status.pending}; "
              f"committed vectors lost: {len(committed - final)}; index agrees: {agree}")
        ok = agree and not (committed - final) and status.pending == 0
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
