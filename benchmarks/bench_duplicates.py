"""Looking for duplicates in a 100,000-photo library, and the cost of hashing a 12 MP JPEG.

Grouping: the catalog (real schema) is filled with clustered vectors of the default model's
dimension (bench_query.clustered_vectors: subjects shot in bursts, so many neighbours pass the
candidate threshold and the perceptual hash has to turn them down) and planted duplicates:
groups of 2 to 4 near copies of a photo, copies (vectors at cosine 0.97 to 0.995, hashes 0 to 4
bits apart) and bursts (0.965 to 0.985, 8 to 12 bits), and pairs of exact copies (real small
files with the same bytes, so they are read and compared). Every photo has a cached perceptual
hash, as after a first run: this is the run a person starts again later. Each photo is a
sparse file on disk, since every photo shown is checked (stat) to be there unchanged. The
graph is built and saved first, then the library reopened as at any start (the load is
reported apart).

Reported: ``Library.duplicates`` whole; the k-nearest-neighbour pass alone; the exact
alternative (every pair scored in blocks, extrapolated from a few blocks); planted groups found
exactly, and groups found that were not planted (random 64-bit hashes meet within 14 bits with
a probability of 3.5e-6 a pair: a few among the candidate pairs are expected).

Hashing: ``perceptual_hash`` on real 12 MP JPEGs (bench_indexing.make_12mp_jpegs), one at a
time and on the pool the search uses: what a first run costs for each candidate.

    .venv/bin/python benchmarks/bench_duplicates.py --photos 100000 --jpegs 16
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_indexing import make_12mp_jpegs  # noqa: E402
from benchmarks.bench_query import DIM, MODEL, clustered_vectors  # noqa: E402
from core.catalog import lookups, queries  # noqa: E402
from core.catalog.database import Catalog  # noqa: E402
from core.catalog.duplicates import photos_by_label  # noqa: E402
from core.duplicates import cache  # noqa: E402
from core.duplicates.candidates import NEIGHBOURS, similar_pairs  # noqa: E402
from core.duplicates.confirming import CANDIDATE_SIMILARITY  # noqa: E402
from core.duplicates.hashes import perceptual_hash  # noqa: E402
from core.duplicates.steps import Steps  # noqa: E402
from core.indexing.scanner import content_hash  # noqa: E402
from core.library import Library  # noqa: E402
from core.vectors import codec  # noqa: E402

_SIGNED = 1 << 63


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= _SIGNED else value


def _near(vector: np.ndarray, cosine: float, rng: np.random.Generator) -> np.ndarray:
    """A unit vector at about ``cosine`` from ``vector``."""
    sigma = np.sqrt((1 / cosine**2 - 1) / DIM)
    out = vector + rng.normal(scale=sigma, size=DIM).astype(np.float32)
    return out / np.linalg.norm(out)


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def _placeholder(path: Path, size: int, rng: random.Random) -> tuple[int, int, bytes]:
    """A sparse file of ``size`` bytes (no disk used), for the checks that stat each photo
    shown; (size, mtime_ns, a fingerprint that is its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(size)
    return size, path.stat().st_mtime_ns, rng.randbytes(16)


def build(home: Path, photos_dir: Path, size: int, planted: int, exact: int) -> list[set[str]]:
    """Fill the catalog; returns the planted groups as sets of relative paths."""
    rng, nprng = random.Random(5), np.random.default_rng(5)
    vectors = list(clustered_vectors(size, clusters=max(10, size // 200), seed=size))
    hashes = [rng.getrandbits(64) for _ in range(size)]
    names = [f"{2005 + n % 20}/IMG_{n:06d}.JPG" for n in range(size)]
    files: dict[str, tuple[int, int, bytes]] = {}  # exact copies: rel -> (size, mtime, hash)
    groups: list[set[str]] = []
    for g, base in enumerate(rng.sample(range(size), planted)):
        burst = g % 2 == 1
        group = {names[base]}
        for m in range(rng.randint(1, 3)):
            # Bursts aimed 0.015 above the rule's 0.95: int8 storage and the noise itself
            # move a vector's cosine by up to 0.006.
            cosine = rng.uniform(0.965, 0.985) if burst else rng.uniform(0.97, 0.995)
            vectors.append(_near(vectors[base], cosine, nprng))
            hashes.append(_flip(hashes[base], rng.randint(8, 12) if burst else rng.randint(0, 4),
                                rng))
            names.append(f"planted/{g:05d}_{m}{'_burst' if burst else ''}.JPG")
            group.add(names[-1])
        groups.append(group)
    for e in range(exact):
        data = os.urandom(3000 + e)
        pair = set()
        for copy in ("", " (1)"):
            rel = f"exact/DSC_{e:05d}{copy}.JPG"
            path = photos_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            info = path.stat()
            files[rel] = (info.st_size, info.st_mtime_ns, content_hash(path, info.st_size))
            vectors.append(nprng.normal(size=DIM).astype(np.float32))
            vectors[-1] /= np.linalg.norm(vectors[-1])
            if copy:
                vectors[-1] = vectors[-2]
            hashes.append(hashes[-1] if copy else rng.getrandbits(64))
            names.append(rel)
            pair.add(rel)
        groups.append(pair)

    catalog = Catalog(home / "catalog.db")
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, photos_dir)
        model_id = lookups.model_id(conn, MODEL, DIM)
    for start in range(0, len(names), 5000):
        with catalog.write() as conn:
            rows = []
            for n in range(start, min(len(names), start + 5000)):
                if names[n] not in files:
                    files[names[n]] = _placeholder(photos_dir / names[n], 2_500_000 + n, rng)
                rows.append((names[n], *files[names[n]]))
            queries.insert_photos(conn, folder_id, rows)
            ids = list(conn.exec_driver_sql(
                "SELECT id FROM photos ORDER BY id DESC LIMIT ?", (len(rows),)).scalars())[::-1]
            width = [(4032, 3024) if "exact" not in rows[i][0] else (800, 600)
                     for i in range(len(rows))]
            conn.exec_driver_sql("UPDATE photos SET state=1 WHERE id >= ?", (ids[0],))
            conn.connection.executemany(
                "UPDATE photos SET width=?, height=? WHERE id=?",
                [(w, h, pid) for (w, h), pid in zip(width, ids, strict=True)])
            conn.connection.executemany(
                "INSERT INTO embeddings (photo_id, model_id, vector) VALUES (?, ?, ?)",
                [(pid, model_id, codec.encode(vectors[start + i])) for i, pid in enumerate(ids)])
            conn.connection.executemany(
                "INSERT INTO photo_hashes (photo_id, phash) VALUES (?, ?)",
                [(pid, _signed(hashes[start + i])) for i, pid in enumerate(ids)])
    catalog.close()
    return groups


def exact_alternative_s(library: Library, blocks: int = 3) -> float:
    """Every pair scored exactly (float32 blocks of 1024 rows against all), extrapolated."""
    index = library._ready()[2]  # the benchmark inspects the index directly on purpose
    labels = sorted(index.live_ids())
    stored = index.vectors(labels)
    matrix = np.stack([stored[label] for label in labels]).astype(np.float32)
    start = time.perf_counter()
    for b in range(blocks):
        scores = matrix[b * 1024 : (b + 1) * 1024] @ matrix.T
        np.argpartition(-scores, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
    return (time.perf_counter() - start) / blocks * len(labels) / 1024


def grouping(size: int, planted: int, exact: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        home, photos_dir = Path(tmp) / "home", Path(tmp) / "photos"
        photos_dir.mkdir()
        truth = build(home, photos_dir, size, planted, exact)
        library = Library(home=home, model=MODEL, device="cpu")
        library.prepare()  # builds the graph from the catalog, saved at close
        library.close()

        library = Library(home=home, model=MODEL, device="cpu")
        start = time.perf_counter()
        library.prepare()
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        groups = library.duplicates()
        group_s = time.perf_counter() - start

        _, model_id, index, _ = library._ready()
        with library.catalog.read() as conn:
            photo_of = photos_by_label(conn, model_id)
        start = time.perf_counter()
        pairs = similar_pairs(index, photo_of, CANDIDATE_SIMILARITY, Steps(None, None))
        knn_s = time.perf_counter() - start
        exact_s = exact_alternative_s(library)
        library.close()

    found = [{m.photo.path.relative_to(photos_dir).as_posix() for m in g.members} for g in groups]
    planted_paths = set().union(*truth)
    return {
        "photos": size + sum(len(g) - 1 for g in truth[:planted]) + 2 * exact,
        "load_s": load_s,
        "duplicates_s": group_s,
        "knn_pass_s": knn_s,
        "candidate_pairs": len(pairs),
        "exact_all_pairs_s": exact_s,
        "planted_groups": len(truth),
        "found_exactly": sum(1 for g in truth if g in found),
        "found_inside_larger": sum(1 for g in truth if g not in found and
                                   any(g <= f for f in found)),
        "groups_not_planted": sum(1 for f in found if not f & planted_paths),
    }


def hashing(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_12mp_jpegs(Path(tmp), count)
        perceptual_hash(paths[0])  # warm-up: imports scipy's DCT
        times = []
        for path in paths:
            start = time.perf_counter()
            perceptual_hash(path)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with ThreadPoolExecutor(cache._WORKERS) as pool:
            list(pool.map(perceptual_hash, paths))
        pooled = time.perf_counter() - start
    return {
        "jpegs_12mp": count,
        "hash_ms_p50": statistics.median(times) * 1000,
        "hash_per_s_pool": count / pooled,
        "pool_threads": cache._WORKERS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--planted", type=int, default=2_000, help="near-duplicate groups")
    parser.add_argument("--exact", type=int, default=200, help="pairs of exact copies")
    parser.add_argument("--jpegs", type=int, default=16, help="12 MP JPEGs to hash (0: skip)")
    args = parser.parse_args()
    results = [grouping(args.photos, args.planted, args.exact)]
    if args.jpegs:
        results.append(hashing(args.jpegs))
    for result in results:
        print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
