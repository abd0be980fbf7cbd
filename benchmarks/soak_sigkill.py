"""SIGKILL soak: kill indexing at random moments, many times, and check everything after each.

Each round starts `photoseek index` (or `watch`) in a subprocess on a library that changes between
rounds (new photos, hostile files from the test corpus, and photos deleted, renamed and edited),
kills it with SIGKILL after a random delay, and checks: catalog integrity_check ok, no duplicate
photo, no orphan or duplicate vector, no committed vector lost (but for photos deleted or edited
on purpose), and, opening the library as the next start would, every vector in the index file is
its own photo's. A final clean run must finish the work, and the index must hold exactly the
catalog's vectors.

    .venv/bin/python benchmarks/soak_sigkill.py --kills 60
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.catalog import lookups  # noqa: E402
from core.library import Library  # noqa: E402
from core.vectors import codec as vector_codec  # noqa: E402
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


def _vector_ids(db: Path, rels: list[str]) -> set[int]:
    if not db.exists() or not rels:
        return set()
    with sqlite3.connect(db) as conn:
        marks = ",".join("?" * len(rels))
        rows = conn.execute(
            "SELECT e.id FROM embeddings e JOIN photos p ON p.id = e.photo_id"
            f" WHERE p.rel_path IN ({marks})", rels,
        )
        return {r[0] for r in rows}


def _change_library(photos: Path, rng: random.Random, seed: int) -> list[str]:
    """Delete, rename and edit a few generated photos; the relative paths whose vectors may go."""
    generated = sorted(photos.glob("batch*/p*.jpg"))
    gone: list[str] = []
    for path in rng.sample(generated, min(len(generated), rng.randrange(0, 8))):
        rel = path.relative_to(photos).as_posix()
        action = rng.choice(("delete", "rename", "edit"))
        if action == "delete":
            path.unlink()
            gone.append(rel)
        elif action == "rename":  # a move keeps its vector: it is not in ``gone``
            path.rename(path.with_name(f"r{seed}_{path.name}"))
        else:
            make_photo(path, 10_000_000 + seed * 100 + len(gone), (120, 90))
            gone.append(rel)
    return gone


def _index_matches_catalog(home: Path) -> bool:
    """Open the library as a restart would; each index vector must be its own row's."""
    library = Library(home=home, model=MODEL)
    try:
        embedder, model_id, index, _ = library._ready()
        with library.catalog.read() as conn:
            labels = lookups.embedding_ids(conn, model_id)
            blobs = dict(lookups.embedding_blobs(conn, model_id, labels))
        if not labels:
            return True
        held = index.vectors(labels)
        matrix = vector_codec.decode_many([blobs[label] for label in labels], embedder.dim)
        scores = matrix @ np.stack([held[label] for label in labels]).T  # row: catalog
        own = np.diag(scores)
        # Identical pictures (the corpus has some) tie; int8 storage moves scores by ~1e-3.
        wrong = np.flatnonzero(own < scores.max(axis=0) - 2e-3)
        for column in wrong[:5]:
            print(f"  label {labels[column]}: own {own[column]:.4f}, best "
                  f"{scores[:, column].max():.4f} (label {labels[scores[:, column].argmax()]})")
        return wrong.size == 0
    finally:
        library.close()


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
        doomed: set[int] = set()  # vectors of photos the soak deleted or edited
        for kill in range(1, args.kills + 1):
            for _ in range(rng.randrange(10, 60)):  # the library grows between rounds
                make_photo(photos / f"batch{kill:03d}" / f"p{tried:05d}.jpg", tried, (120, 90))
                tried += 1
            may_go = _change_library(photos, rng, kill)
            # Their vectors may go at any later reconcile, not only in the next round.
            doomed |= _vector_ids(home / "catalog.db", may_go)
            delay = _round(home, photos, rng)
            if not (home / "catalog.db").exists():
                continue
            now = _check_catalog(home / "catalog.db")
            lost = committed - now - doomed
            agrees = _index_matches_catalog(home)
            print(f"kill {kill:3d} after {delay:4.1f}s: {len(now)} vectors committed, "
                  f"lost {len(lost)}, {len(may_go)} deleted/edited, index agrees: {agrees}",
                  flush=True)
            if lost or not agrees:
                print(f"FAILED: lost {sorted(lost)[:10]}; index agrees with catalog: {agrees}")
                return 1
            committed = _check_catalog(home / "catalog.db")
        library = Library(home=home, model=MODEL)
        summary = library.index()
        final = _check_catalog(home / "catalog.db")
        status = library.status()
        agree = library._index is not None and library._index.live_ids() == final
        library.close()
        print(f"final run: {summary.line()}")
        print(f"kills survived: {args.kills}; photos tried: {tried} plus the hostile corpus; "
              f"indexed {status.indexed}, failed {status.failed}, pending {status.pending}; "
              f"committed vectors lost: {len(committed - final - doomed)}; index agrees: {agree}")
        ok = agree and not (committed - final - doomed) and status.pending == 0
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
