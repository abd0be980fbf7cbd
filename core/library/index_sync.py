"""Bringing a model's vector index in line with the catalog when a library loads it."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator

import sqlalchemy as sa

from core.catalog import lookups, queries
from core.catalog.database import Catalog
from core.indexing import video_frames
from core.models.identity import LOCAL_WEIGHTS
from core.vectors.index import VectorIndex

log = logging.getLogger(__name__)


def index_file_name(identity: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", identity).strip("_")
    if len(name) > 80:  # cut short, two identities could share a file: the hash tells them apart
        name = name[:63] + "-" + hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()
    return name + ".hnsw"


def adopt_moved_weights(conn: sa.Connection, identity: str) -> None:
    """Vectors stored by PhotoSeek 0.1 under a weights file's path (``ARCH:/path@fp``) become
    this identity's (``ARCH:weights@fp``): same contents, so the same space."""
    arch, _, rest = identity.partition(":")
    if not rest.startswith(LOCAL_WEIGHTS + "@") or lookups.find_model(conn, identity):
        return
    fingerprint = rest.partition("@")[2]
    queries.rename_model(conn, f"{arch}:/%@{fingerprint}", identity)


def sync_index(catalog: Catalog, index: VectorIndex, model_id: int) -> str | None:
    """Make ``index`` hold exactly the catalog's vectors of the model; a damaged vector is
    dropped from the catalog (its photo is embedded again). Returns a notice for the user when
    something was repaired."""
    # Photos' vectors and videos' frames (core.indexing.video_frames): a video's own row
    # (the mean of its frames) is not searched.
    with catalog.read() as conn:
        ids = video_frames.catalog_labels(conn, model_id)

    def load(labels: list[int]) -> Iterator[tuple[int, bytes]]:
        with catalog.read() as conn:
            yield from video_frames.catalog_blobs(conn, model_id, labels)

    added, removed, damaged = index.sync(ids, load)
    notice = None
    if damaged:
        with catalog.write() as conn:  # a damaged frame: its whole video is embedded again
            queries.drop_embeddings(conn, video_frames.owners(damaged))
        index.remove(video_frames.owners(damaged))
        notice = (f"{len(damaged)} stored vector(s) were damaged; those photos will be indexed "
                  "again.")
        log.warning(notice)
    if added or removed:
        index.save()
    return notice
