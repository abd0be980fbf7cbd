"""Filtered queries at 100k photos: latency, recall@50 against brute force, the cut-off's cost.

The catalog is filled as ``bench_query`` fills it (clustered synthetic vectors; dates over 20
years, a camera, GPS positions for 60% of the photos), then opened through ``Library``. Each
filter keeps about 1%, 10% or 50% of the library; every query goes through the public path
(``Library.find``: text encoding with random:ViT-B-32, the facets' mask, the exact scores, the
relevance cut-off, the catalog lookups of the hits). Recall@50 compares the 50 best photos that
pass the filter (the cut-off off: ``weaker``) with brute force over the filtered vectors as the
catalog stores them.

    .venv/bin/python benchmarks/bench_filters.py --size 100000
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from benchmarks.bench_query import MODEL, WORDS, clustered_vectors, fill_catalog
from core.library import Library
from core.search.filters import Filters
from core.search.query import build_query
from core.search.relevance import QueryKind, cutoff
from core.search.request import SearchRequest

FILTERS = {
    "1%": Filters(taken_from=datetime(2012, 1, 1), taken_until=datetime(2012, 3, 1)),
    "10%": Filters(taken_from=datetime(2012, 1, 1), taken_until=datetime(2014, 1, 1)),
    "50%": Filters(taken_from=datetime(2015, 1, 1)),
    "camera+place": Filters(camera="iphone", has_place=True),
}


def brute_force(library: Library, filters: Filters, vector: np.ndarray, k: int) -> set[int]:
    """Photo ids of the k best photos that pass ``filters``, from every stored vector."""
    _embedder, model_id, index, _searcher = library._ready()  # inspected on purpose
    finder = library._finder
    selection = finder.select(finder.facets(model_id), filters)
    labels = selection.labels[selection.labels >= 0]
    stored = index.vectors(labels.tolist())
    matrix = np.stack([stored[int(label)] for label in labels])
    best = labels[np.argsort(-(matrix @ vector), kind="stable")[:k]]
    with library.catalog.read() as conn:
        from core.catalog import lookups

        photos = lookups.photos_for_embeddings(conn, best.tolist())
    return {photos[int(label)].id for label in best}


def run(size: int, queries_n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        vectors = clustered_vectors(size, clusters=max(10, size // 200), seed=size)
        fill_catalog(home, vectors, MODEL)
        library = Library(home=home, model=MODEL, device="cpu")
        library.prepare()
        t = time.perf_counter()
        finder = library._finder
        facets = finder.facets(library._ready()[1])
        print(f"photos={size} facets_load_s={time.perf_counter() - t:.3f}")
        rng = random.Random(5)
        for n in range(5):  # warm-up: buffers, the first text encodings
            list(library.find(SearchRequest(build_query(f"warm up {n}"), FILTERS["10%"])))
        searcher = library._ready()[3]
        for name, filters in FILTERS.items():
            kept = len(finder.select(facets, filters).photo_ids)
            # Words not asked before (the text tower runs), then the same words again (its
            # answers cached, as when a query is refined or re-run).
            phrases = [" ".join(rng.sample(WORDS, rng.randint(1, 3))) + f" {name} {n}"
                       for n in range(queries_n)]
            fresh, again, hits, recall = [], [], 0, []
            for timings in (fresh, again):
                for phrase in phrases:
                    t = time.perf_counter()
                    answers = list(library.find(SearchRequest(build_query(phrase), filters)))
                    timings.append((time.perf_counter() - t) * 1000)
                    hits += answers[-1].matches or 0
            for phrase in phrases:
                query = build_query(phrase)
                everything = list(library.find(SearchRequest(query, filters, weaker=True,
                                                             limit=50)))[-1]
                found = {h.photo.id for h in everything.hits}
                vector, _ = searcher.query_vector(query)
                truth = brute_force(library, filters, vector, 50)
                recall.append(len(found & truth) / max(1, len(truth)))
            print(f"filter={name} kept={kept / size:.1%} "
                  f"p50_ms={statistics.median(fresh):.1f} "
                  f"p95_ms={statistics.quantiles(fresh, n=20)[18]:.1f} "
                  f"repeated_p50_ms={statistics.median(again):.1f} "
                  f"recall50={statistics.mean(recall):.4f} "
                  f"mean_matches={hits / (2 * len(phrases)):.1f}", flush=True)
        scores = np.random.default_rng(0).normal(0.18, 0.03, size).astype(np.float32)
        cut_ms = []
        for _ in range(50):
            t = time.perf_counter()
            cutoff(scores, QueryKind.TEXT)
            cut_ms.append((time.perf_counter() - t) * 1000)
        print(f"cutoff_p50_ms={statistics.median(cut_ms):.2f} over {size} scores")
        library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    run(args.size, args.queries)


if __name__ == "__main__":
    main()
