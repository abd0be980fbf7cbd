"""Zero-shot tags: the tag vectors' cost (cold, then cached), and tagging 100k stored vectors.

1. Prompt cache, with ``random:ViT-B-32`` (the default model's architecture and text-tower
   cost, random weights): the built-in vocabulary's ~3,500 prompts encoded cold, then read
   back from the file in the data folder by a fresh cache (a restart), then from memory.
2. Tagging: a real catalog is filled with ``--photos`` photo rows and vectors of the default
   model's dimension (512), as the catalog stores them (int8 + scale). The vectors are
   synthetic, which is fine for throughput: most are random unit vectors pulled towards one or
   two tag vectors (a photo "of" something, so the rule keeps a realistic few tags a photo and
   the write volume is realistic), the rest plain random. ``core.tagging.tagger.tag_library``
   then tags them as the background job does: reading every vector, placing each tag's bulk,
   one matrix product in blocks, the threshold rule, and rewriting ``photo_tags`` in one
   write transaction (wall and CPU time: on a busy machine the CPU time is the steadier
   figure; the parts are of the first run). Then a second run (nothing changed: what every
   indexing round costs), and a run after the state is forgotten (everything again, prompt
   cache warm).

    .venv/bin/python benchmarks/bench_tags.py --photos 100000
    .venv/bin/python benchmarks/bench_tags.py --skip-prompts   # random tag vectors, no model
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import core.tagging.tagger as tagger
from core.catalog import lookups, queries
from core.catalog import tags as catalog_tags
from core.catalog.database import Catalog
from core.tagging.prompts import PromptCache
from core.tagging.thresholds import Calibration
from core.tagging.vocabulary import BUILT_IN
from core.vectors import codec

DIM = 512
IDENTITY = "random:ViT-B-32"
PLANTED = 0.7  # share of photos pulled towards one or two tags


class Timed:
    """Wraps a function, adding up the seconds spent in it."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def prompt_costs(folder: Path) -> tuple[np.ndarray, Callable[..., np.ndarray], dict[str, float]]:
    from core.models.loading import load_model
    from core.models.names import parse_model_name

    started = time.perf_counter()
    embedder = load_model(parse_model_name(IDENTITY), folder / "models", device="cpu")
    load_s = time.perf_counter() - started
    prompts = sum(len(c.prompts()) for c in BUILT_IN.categories)
    started = time.perf_counter()
    cold = PromptCache(folder, IDENTITY).vectors(BUILT_IN.categories, embedder.embed_texts)
    cold_s = time.perf_counter() - started
    fresh = PromptCache(folder, IDENTITY)
    started = time.perf_counter()
    warm = fresh.vectors(BUILT_IN.categories, embedder.embed_texts)
    warm_disk_s = time.perf_counter() - started
    started = time.perf_counter()
    fresh.vectors(BUILT_IN.categories, embedder.embed_texts)
    warm_memory_s = time.perf_counter() - started
    assert cold is not None and warm is not None and np.array_equal(cold, warm)
    return cold, embedder.embed_texts, {
        "model_load_s": load_s, "prompts": prompts, "prompts_cold_s": cold_s,
        "prompts_per_s": prompts / cold_s, "prompts_warm_disk_s": warm_disk_s,
        "prompts_warm_memory_s": warm_memory_s,
        "cache_file_kb": fresh.path.stat().st_size / 1024,
    }


def synthetic_vectors(n: int, tag_vectors: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    planted = rng.random(n) < PLANTED
    first = rng.integers(len(tag_vectors), size=n)
    second = rng.integers(len(tag_vectors), size=n)
    both = rng.random(n) < 0.4
    pull = tag_vectors[first] * 0.6 + tag_vectors[second] * (0.45 * both)[:, None]
    vectors[planted] += pull[planted]
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def fill_catalog(catalog: Catalog, vectors: np.ndarray) -> int:
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, Path("/home/someone/Pictures"))
        model_id = lookups.model_id(conn, IDENTITY, DIM)
    for start in range(0, len(vectors), 10_000):
        chunk = vectors[start : start + 10_000]
        with catalog.write() as conn:
            rows = [(f"IMG_{start + n:06d}.JPG", 3_000_000 + n, start + n, None)
                    for n in range(len(chunk))]
            queries.insert_photos(conn, folder_id, rows)
            ids = conn.exec_driver_sql(
                "SELECT id FROM photos WHERE id > ? ORDER BY id", (start,)
            ).scalars().all()
            conn.exec_driver_sql(
                "INSERT INTO embeddings (photo_id, model_id, vector) VALUES (?, ?, ?)",
                [(pid, model_id, codec.encode(v)) for pid, v in zip(ids, chunk, strict=True)],
            )
    return model_id


def tagging_costs(
    folder: Path, n: int, tag_vectors: np.ndarray, embed: Callable[..., np.ndarray], seed: int
) -> dict[str, float | int]:
    catalog = Catalog(folder / "catalog.db")
    started = time.perf_counter()
    model_id = fill_catalog(catalog, synthetic_vectors(n, tag_vectors, seed))
    fill_s = time.perf_counter() - started
    cache = PromptCache(folder, IDENTITY)
    model = tagger.TaggingModel(IDENTITY, embed, Calibration(100.0), cache)
    read = Timed(tagger.read_vectors)
    bulk = Timed(tagger.bulk_of)
    choose = Timed(tagger.choose)
    write = Timed(catalog_tags.replace_photo_tags)
    tagger.read_vectors = read  # type: ignore[assignment]
    tagger.bulk_of = bulk  # type: ignore[assignment]
    tagger.choose = choose  # type: ignore[assignment]
    catalog_tags.replace_photo_tags = write  # type: ignore[assignment]
    writes = catalog.write_count
    started, cpu = time.perf_counter(), time.process_time()
    tagged = tagger.tag_library(catalog, model_id, DIM, model, BUILT_IN)
    run_s, run_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    transactions = catalog.write_count - writes
    parts = {"read_s": read.seconds, "bulk_s": bulk.seconds, "choose_s": choose.seconds,
             "write_s": write.seconds}
    started = time.perf_counter()
    again = tagger.tag_library(catalog, model_id, DIM, model, BUILT_IN)
    again_s = time.perf_counter() - started
    with catalog.write() as conn:
        catalog_tags.forget_state(conn)
    started = time.perf_counter()
    tagger.tag_library(catalog, model_id, DIM, model, BUILT_IN)
    rerun_s = time.perf_counter() - started
    with catalog.read() as conn:
        rows = conn.exec_driver_sql("SELECT count(*) FROM photo_tags").scalar_one()
        untagged = conn.exec_driver_sql(
            "SELECT count(*) FROM photos WHERE id NOT IN (SELECT photo_id FROM photo_tags)"
        ).scalar_one()
        used = len([t for t in catalog_tags.tag_counts(conn) if t.photos])
    catalog.close()
    return {
        "photos": n, "fill_s": fill_s, "tagged": tagged, "run_s": run_s,
        "run_cpu_s": run_cpu_s, "photos_per_s": tagged / run_s, **parts,
        "other_s": run_s - sum(parts.values()),  # the product in blocks, bookkeeping
        "write_transactions": transactions, "rows": int(rows),
        "tags_per_photo": rows / n, "untagged_share": untagged / n, "tags_used": used,
        "second_run_s": again_s, "second_run_tagged": again, "rerun_s": rerun_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-prompts", action="store_true",
                        help="random unit tag vectors instead of the model's (no text tower)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result: dict[str, Any] = {}
        if args.skip_prompts:
            rng = np.random.default_rng(args.seed)
            tags = rng.normal(size=(len(BUILT_IN.categories), DIM)).astype(np.float32)
            tags /= np.linalg.norm(tags, axis=1, keepdims=True)
            cache = PromptCache(folder, IDENTITY)
            cache._rows = {}  # seeded with these vectors: the tagging run finds them cached
            from core.tagging.prompts import prompt_key

            cache._rows.update(zip((prompt_key(c) for c in BUILT_IN.categories), tags,
                                   strict=True))
            cache._save(cache._rows)

            def embed(texts: Any) -> np.ndarray:
                raise AssertionError("the tag vectors are cached")
        else:
            tags, embed, costs = prompt_costs(folder)
            result.update(costs)
        result.update(tagging_costs(folder, args.photos, tags, embed, args.seed))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                   for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
