"""Warm text-query latency, ANN recall and bytes per photo at 10k and 100k photos.

The catalog is filled with clustered synthetic vectors (photos of a personal library cluster by
subject; uniform noise would flatter or ruin recall figures arbitrarily) under the real schema,
then opened through ``Library`` so the index is built by the same sync path a recovery uses.
Queries go through the whole public path: text encoding (real compute cost; ``--prepared`` uses
the model's int8 onnxruntime copy, as a CPU does once it is made), the fast ANN answer, the exact
answer (every vector scored) and the catalog lookups of the hits.

    .venv/bin/python benchmarks/bench_query.py --sizes 10000 100000
    .venv/bin/python benchmarks/bench_query.py --model random:ViT-B-32-SigLIP2-256 --dim 768 \
        --prepared
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from core.catalog import lookups, queries
from core.catalog.database import Catalog
from core.library import Library
from core.search.query import build_query
from core.vectors import codec as vector_codec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.*, tests.*

MODEL = "random:ViT-B-32"
DIM = 512
WORDS = (
    "dog cat beach sunset mountain snow city night street car bicycle child birthday cake "
    "wedding dress forest lake boat bridge flower garden kitchen food pizza coffee concert "
    "guitar museum painting train station airport plane desert camel horse farm cow tree"
).split()


def clustered_vectors(n: int, clusters: int, seed: int) -> np.ndarray:
    """Subjects, each with moments (bursts of near-identical shots), each with its own spread.

    A personal library looks like this: many photos of a few subjects, taken in bursts.
    """
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, DIM)).astype(np.float32)
    moments = clusters * 8
    moment_centres = centres[rng.integers(0, clusters, moments)] + rng.normal(
        scale=0.5, size=(moments, DIM)
    ).astype(np.float32)
    spread = rng.uniform(0.15, 0.6, size=(moments, 1)).astype(np.float32)
    which = rng.integers(0, moments, size=n)
    vecs = moment_centres[which] + spread[which] * rng.normal(size=(n, DIM)).astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def fill_catalog(home: Path, vectors: np.ndarray, model_name: str) -> None:
    catalog = Catalog(home / "catalog.db")
    rng = random.Random(1)
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, Path("/home/someone/Pictures"))
        model_id = lookups.model_id(conn, model_name, DIM)
    for start in range(0, len(vectors), 5000):
        chunk = vectors[start : start + 5000]
        with catalog.write() as conn:
            rows = []
            for n in range(len(chunk)):
                year = 2005 + rng.randrange(20)
                rel = f"{year}/{year}-{rng.randrange(1, 13):02d} trip/IMG_{start + n:06d}.JPG"
                rows.append((rel, 3_000_000 + n, 1_600_000_000_000_000_000 + n, rng.randbytes(16)))
            queries.insert_photos(conn, folder_id, rows)
            ids = list(
                conn.exec_driver_sql(
                    "SELECT id FROM photos ORDER BY id DESC LIMIT ?", (len(chunk),)
                ).scalars()
            )[::-1]
            for photo_id, vec in zip(ids, chunk, strict=True):
                conn.exec_driver_sql(
                    "INSERT INTO embeddings (photo_id, model_id, vector) VALUES (?, ?, ?)",
                    (photo_id, model_id, vector_codec.encode(vec)),
                )
                # What indexing stores for a phone photo: size, date, camera, often a place.
                place = (rng.uniform(-60, 70), rng.uniform(-180, 180)) if rng.random() < 0.6 else (
                    None, None)
                conn.exec_driver_sql(
                    "UPDATE photos SET state=1, width=4032, height=3024, orientation=?,"
                    " taken_at=?, camera_make='Apple', camera_model='iPhone 12 Pro',"
                    " gps_lat=?, gps_lon=? WHERE id=?",
                    (rng.choice((1, 6)), f"20{rng.randrange(5, 25):02d}-0{rng.randrange(1, 10)}-"
                     f"1{rng.randrange(10)} 1{rng.randrange(10)}:3{rng.randrange(10)}:0"
                     f"{rng.randrange(10)}", *place, photo_id),
                )
    catalog.close()


def recall_at_10(library: Library, vectors: np.ndarray, trials: int = 200) -> dict[str, float]:
    """Recall@10 of the fast (ANN) and the exact answer against brute force over the vectors as
    the catalog stores them (int8), and the time the exact scan of every vector takes."""
    index = library._ready()[2]  # the benchmark inspects the index directly on purpose
    rng = np.random.default_rng(7)
    labels = np.array(sorted(index.live_ids()))
    stored = vector_codec.decode_many([vector_codec.encode(v) for v in vectors], DIM)
    fast = exact = 0
    exact_ms = []
    for _ in range(trials):
        q = vectors[rng.integers(len(vectors))] + rng.normal(scale=0.03, size=DIM)
        q = (q / np.linalg.norm(q)).astype(np.float32)
        truth = set(labels[np.argsort(-(stored @ q), kind="stable")[:10]].tolist())
        fast += len(truth & set(index.ann(q, 10).ids.tolist()))
        t = time.perf_counter()
        found = index.exact(q, 10)
        exact_ms.append((time.perf_counter() - t) * 1000)
        exact += len(truth & set(found.ids.tolist()))
    return {
        "recall10_fast": fast / (10 * trials),
        "recall10_exact": exact / (10 * trials),
        "exact_scan_p50_ms": statistics.median(exact_ms),
    }


def run(size: int, queries_n: int, prepared: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if prepared or MODEL != "random:ViT-B-32":
            from benchmarks.bench_support import offline, place_hub_files

            place_hub_files(home / "models", MODEL)
            offline()
        vectors = clustered_vectors(size, clusters=max(10, size // 200), seed=size)
        t0 = time.perf_counter()
        fill_catalog(home, vectors, MODEL)
        library = Library(home=home, model=MODEL, device="cpu")
        library.prepare()  # loads the model and builds the index from the catalog
        build_s = time.perf_counter() - t0
        if prepared:
            library.prepare_model()  # the int8 onnxruntime copy (about a minute, once)
        library.close()
        library = Library(home=home, model=MODEL, device="cpu")
        t0 = time.perf_counter()
        library.prepare()
        reopen_s = time.perf_counter() - t0

        rng = random.Random(3)
        phrases = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(queries_n + 5)]
        for phrase in phrases[:5]:  # warm-up: first calls allocate buffers
            list(library.search(build_query(f"warmup {phrase}"), k=50))
        fast_ms, total_ms, cached_ms = [], [], []
        for phrase in phrases[5:]:
            t = time.perf_counter()
            answers = library.search(build_query(phrase), k=50)
            next(answers)
            fast_ms.append((time.perf_counter() - t) * 1000)
            list(answers)
            total_ms.append((time.perf_counter() - t) * 1000)
        for phrase in phrases[5:25]:
            t = time.perf_counter()
            list(library.search(build_query(phrase), k=50))
            cached_ms.append((time.perf_counter() - t) * 1000)
        recall = recall_at_10(library, vectors)
        library.close()
        catalog_bytes = (home / "catalog.db").stat().st_size
        index_bytes = sum(p.stat().st_size for p in (home / "index").glob("*.hnsw"))
    pct = statistics.quantiles
    return {
        "photos": size,
        "build_s": build_s,
        "reopen_s": reopen_s,
        "fast_p50_ms": statistics.median(fast_ms),
        "total_p50_ms": statistics.median(total_ms),
        "total_p95_ms": pct(total_ms, n=20)[18],
        "cached_p50_ms": statistics.median(cached_ms),
        **recall,
        "catalog_bytes_per_photo": catalog_bytes / size,
        "index_bytes_per_photo": index_bytes / size,
        "bytes_per_photo": (catalog_bytes + index_bytes) / size,
    }


def main() -> None:
    global MODEL, DIM  # the model asked for replaces the defaults every function reads
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--dim", type=int, default=DIM, help="the model's vector size")
    parser.add_argument("--prepared", action="store_true", help="the int8 onnxruntime copy")
    args = parser.parse_args()
    MODEL, DIM = args.model, args.dim
    for size in args.sizes:
        result = run(size, args.queries, args.prepared)
        print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
