"""Name the catalog's photos that have a GPS position and no place yet.

Runs after embedding (``photoseek index``, the indexing service), below it in priority. Work goes
in batches of ``BATCH`` photos: each is read in a read transaction, named with no transaction
open, and written in one short write transaction, so searches and indexing never wait on it
for long. The state is the catalog's own (``place_id`` is NULL until a photo is named), so a run
that is cancelled or killed resumes where it stopped; a position that names nothing points at
the ``NOWHERE`` place, so it is not looked up again and again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from core.catalog import places as catalog_places
from core.catalog.database import Catalog
from core.places.geocoder import name_positions, release

BATCH = 5000


def name_pending(
    catalog: Catalog,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> int:
    """Name every photo that has a position and no place; returns how many were looked up
    (those found to name no place included). ``cancel`` is checked before each batch;
    ``progress`` gets the running count after each one (and 0: the total is not known)."""
    done = 0
    after = 0
    while cancel is None or not cancel.is_set():
        with catalog.read() as conn:
            positions = catalog_places.pending_positions(conn, after, batch)
        if not positions:
            release()  # all named: the towns' memory goes back until the next new positions
            break
        coords = np.array([(lat, lon) for _pid, lat, lon in positions], dtype=np.float64)
        names = name_positions(coords[:, 0], coords[:, 1])
        with catalog.write() as conn:
            done += catalog_places.assign_places(conn, positions, names)
        after = positions[-1][0]
        if progress is not None:
            progress(done, 0)
    return done
