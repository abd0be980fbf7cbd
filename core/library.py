"""The library: one object that the CLI and the desktop app drive.

It ties the data folder, the catalog, the model, the vector index and the searcher together, and
loads the heavy parts (torch, the model, the index) lazily, so that opening a library is instant.
Every method may block; a GUI calls them from worker threads. The object is safe to use from
several threads at once (one indexing, one searching).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.catalog import lookups, queries
from core.catalog.database import Catalog, quarantine_damaged
from core.config.paths import DataPaths, data_paths
from core.config.settings import Settings, choose_model
from core.errors import CatalogDamagedError, ModelUnavailableError, UserFixableError
from core.indexing.embed_pipeline import EmbedCounts, embed_pending
from core.indexing.reconcile import ReconcileCounts, reconcile
from core.models.names import canonical_model_name
from core.records import (
    Failure,
    Folder,
    IndexProgress,
    IndexSummary,
    LibraryStatus,
    Photo,
    SearchResults,
)
from core.search.query import Query
from core.search.searcher import Searcher
from core.vectors import codec as vector_codec
from core.vectors.index import VectorIndex

if TYPE_CHECKING:
    from core.models.embedder import Embedder

log = logging.getLogger(__name__)


class FolderError(UserFixableError):
    """A folder cannot be added or forgotten; the message says why."""


# A weights file's fingerprint reads this much from each end: milliseconds, even for 2 GB.
FINGERPRINT_SPAN = 1 << 20


def weights_fingerprint(path: Path) -> str | None:
    """A cheap digest of a weights file's contents: its size and its first and last MiB.

    Other weights of one architecture have the same size and layout, but their values differ
    at both ends of the file (the first tensors and the last). Contents rather than mtime, so
    that copying or restoring the file does not re-embed the library. None if unreadable.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            digest = hashlib.blake2b(str(size).encode(), digest_size=8)
            digest.update(handle.read(FINGERPRINT_SPAN))
            if size > FINGERPRINT_SPAN:
                handle.seek(max(FINGERPRINT_SPAN, size - FINGERPRINT_SPAN))
                digest.update(handle.read(FINGERPRINT_SPAN))
    except OSError:
        return None
    return digest.hexdigest()


def model_identity_of(name: str) -> str:
    """The key a model's vectors are stored under: its canonical name and, for a local weights
    file, the file's fingerprint (``ARCH:/path/file.safetensors@1a2b…``). Other weights put at
    the same path are then another vector space, never mixed with the old one. People see the
    canonical name; the identity is for the catalog and the index."""
    canonical = canonical_model_name(name)
    _arch, _, rest = canonical.partition(":")
    if not Path(rest).is_absolute():  # a pretrained tag, random:, test-tiny: no file to read
        return canonical
    fingerprint = weights_fingerprint(Path(rest))
    return canonical if fingerprint is None else f"{canonical}@{fingerprint}"


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of a file name, as surrogates (PEP 383)
        return False
    return True


def _index_file_name(identity: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", identity).strip("_")
    if len(name) > 80:  # cut short, two identities could share a file: the hash tells them apart
        name = name[:63] + "-" + hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()
    return name + ".hnsw"


class Library:
    def __init__(
        self,
        home: str | Path | None = None,
        model: str | None = None,
        device: str | None = None,
    ) -> None:
        self.paths: DataPaths = data_paths(home).ensure()
        self.settings = Settings.load(self.paths.settings)
        # Canonical (weights path resolved, tag lower-cased) without loading open_clip: vectors
        # are stored under this name, and the counts are looked up before the model loads.
        self.model_name = canonical_model_name(choose_model(model, self.settings))
        self.device = device or self.settings.device
        self.notices: list[str] = []  # what recovery did, for the user to read
        self.catalog = self._open_catalog()
        self._load_lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._model_id: int | None = None
        self._identity: str | None = None  # the loaded model's identity (see model_identity)
        self._index: VectorIndex | None = None
        self._searcher: Searcher | None = None

    # -- opening -----------------------------------------------------------------------------

    def _open_catalog(self) -> Catalog:
        try:
            return Catalog(self.paths.catalog, self.paths.backups_dir)
        except CatalogDamagedError:
            kept = quarantine_damaged(self.paths.catalog, self.paths.backups_dir)
            catalog = Catalog(self.paths.catalog, self.paths.backups_dir)
            with catalog.write() as conn:
                for folder in self.settings.folders:
                    queries.add_folder(conn, Path(folder))
            self.notices.append(
                f"The catalog was damaged; it was kept as {kept} and a new one was started. "
                f"Your {len(self.settings.folders)} folder(s) will be indexed again."
            )
            log.warning(self.notices[-1])
            return catalog

    def embedder(self) -> Embedder:
        """The model, loaded on first use (seconds; never call this on a GUI thread)."""
        with self._load_lock:
            if self._embedder is None:
                from core.models.loading import load_model
                from core.models.names import parse_model_name

                identity = model_identity_of(self.model_name)
                embedder = load_model(
                    parse_model_name(self.model_name), self.paths.models_dir, self.device
                )
                # The weights must be those the identity describes: not replaced meanwhile.
                if model_identity_of(self.model_name) != identity:
                    raise ModelUnavailableError(
                        f"The weights file of {self.model_name} changed while it was loading. "
                        "Try again once it is in place."
                    )
                self._identity, self._embedder = identity, embedder
            return self._embedder

    @property
    def model_identity(self) -> str:
        """What the vectors are stored under: the name plus a local weights file's fingerprint."""
        return self._identity or model_identity_of(self.model_name)

    @property
    def model_loaded(self) -> bool:
        return self._embedder is not None

    def _ready(self) -> tuple[Embedder, int, VectorIndex, Searcher]:
        embedder = self.embedder()
        with self._load_lock:
            if self._index is None:
                identity = self.model_identity
                with self.catalog.write() as conn:
                    self._model_id = lookups.model_id(conn, identity, embedder.dim)
                index = VectorIndex(
                    self.paths.index_dir / _index_file_name(identity),
                    identity, embedder.dim, self.paths.backups_dir,
                )
                self._sync_index(index, self._model_id)
                if index.notice:
                    self.notices.append(index.notice)
                self._index = index
                self._searcher = Searcher(self.catalog, index, self._model_id, self.embedder)
            assert self._model_id is not None and self._searcher is not None
            return embedder, self._model_id, self._index, self._searcher

    def _sync_index(self, index: VectorIndex, model_id: int) -> None:
        with self.catalog.read() as conn:
            ids = lookups.embedding_ids(conn, model_id)

        def load(labels: list[int]) -> Iterator[tuple[int, object]]:
            with self.catalog.read() as conn:
                for label, blob in lookups.embedding_blobs(conn, model_id, labels):
                    yield label, vector_codec.decode(blob)

        added, removed = index.sync(ids, load)
        if added or removed:
            index.save()

    def prepare(self) -> None:
        """Load the model and the index now (for callers that want to pay that cost early)."""
        self._ready()

    def close(self) -> None:
        try:
            with self._load_lock:
                if self._index is not None:
                    self._index.save()  # may fail (a full disk): the catalog closes all the same
        finally:
            self.catalog.close()

    # -- folders -----------------------------------------------------------------------------

    def folders(self) -> list[Folder]:
        with self.catalog.read() as conn:
            return queries.list_folders(conn, self._model_id_if_known(conn))

    def add_folder(self, path: str | Path) -> Folder:
        folder = Path(path).expanduser().resolve()
        if not folder.is_dir():
            raise FolderError(f"{folder} is not a folder that can be read.")
        if folder.is_relative_to(self.paths.home):
            raise FolderError("PhotoSeek's own data folder cannot be a library folder.")
        if not str(folder).isascii() and not _is_utf8(str(folder)):
            # The catalog keeps folder paths as text (file names inside may be any bytes).
            raise FolderError(
                f"{folder} has a name that is not valid UTF-8; rename it (or a folder above it) "
                "to add it to the library."
            )
        with self.catalog.write() as conn:
            for known in queries.list_folders(conn):
                if folder.is_relative_to(known.path):
                    return known  # already covered by a library folder
            queries.add_folder(conn, folder)
            for known in queries.list_folders(conn):
                if known.path != folder and known.path.is_relative_to(folder):
                    parent_id = queries.folder_by_path(conn, folder)
                    assert parent_id is not None
                    queries.absorb_folder(conn, known.id, parent_id, known.path.relative_to(folder))
        self._remember_folders()
        return next(f for f in self.folders() if f.path == folder)

    def forget_folder(self, path: str | Path) -> int:
        """Remove a folder and its photos from the library (the files are untouched)."""
        folder = Path(path).expanduser().resolve(strict=False)
        with self.catalog.write() as conn:
            folder_id = queries.folder_by_path(conn, folder)
            if folder_id is None:
                raise FolderError(f"{folder} is not a library folder.")
            labels = queries.remove_folder(conn, folder_id)
        if self._index is not None:
            self._index.remove(labels)
            self._index.save()
        self._remember_folders()
        return len(labels)

    def _remember_folders(self) -> None:
        self.settings.folders = [str(f.path) for f in self.folders()]
        self.settings.save(self.paths.settings)

    def _model_id_if_known(self, conn: sa.Connection) -> int | None:
        """The current model's id without loading it (or torch): looked up by its identity."""
        if self._model_id is not None:
            return self._model_id
        return lookups.find_model(conn, self.model_identity)

    # -- indexing ----------------------------------------------------------------------------

    def scan(
        self,
        folders: list[Folder] | None = None,
        cancel: threading.Event | None = None,
        subpaths: dict[int, list[str]] | None = None,
    ) -> ReconcileCounts:
        """Reconcile the catalog with the disk (no model needed)."""
        chosen = folders if folders is not None else self.folders()
        excluded = [self.paths.home, *(Path(p) for p in self.settings.excluded)]
        return reconcile(
            self.catalog, self._index, [(f.id, f.path) for f in chosen], cancel, subpaths,
            excluded=excluded,
        )

    def index(
        self,
        progress: Callable[[IndexProgress], None] | None = None,
        cancel: threading.Event | None = None,
        pause: threading.Event | None = None,
        scan: bool = True,
    ) -> IndexSummary:
        """Scan every folder, then embed every photo that lacks a vector of the current model."""
        started = time.monotonic()
        if progress is not None:
            progress(IndexProgress("scanning", 0, 0, 0, 0.0, None))
        counts = self.scan(cancel=cancel) if scan else ReconcileCounts()
        # Opening the index (if the scan ran before it was open) syncs it with the catalog.
        embedder, model_id, index, _ = self._ready()
        embed_started = time.monotonic()
        embedded = embed_pending(
            self.catalog, index, embedder, model_id, progress, cancel, pause=pause
        )
        embed_seconds = time.monotonic() - embed_started
        index.save()
        return IndexSummary(
            scanned=counts.scanned, added=counts.added, changed=counts.changed,
            moved=counts.moved, removed=counts.removed, embedded=embedded.embedded,
            failed=embedded.failed, seconds=time.monotonic() - started,
            cancelled=counts.cancelled or embedded.cancelled, embed_seconds=embed_seconds,
        )

    def embed_pending(
        self,
        progress: Callable[[IndexProgress], None] | None = None,
        cancel: threading.Event | None = None,
        folder_ids: list[int] | None = None,
    ) -> EmbedCounts:
        """Embed what lacks a vector, without scanning or saving (the indexing service's step)."""
        embedder, model_id, index, _ = self._ready()
        return embed_pending(
            self.catalog, index, embedder, model_id, progress, cancel, folder_ids=folder_ids
        )

    def resync_index(self) -> None:
        """Take in vectors another process wrote to the catalog (no-op until the index is open)."""
        with self._load_lock:
            if self._index is not None and self._model_id is not None:
                self._sync_index(self._index, self._model_id)

    def save_index(self) -> None:
        """Write the vector index to disk if it is loaded and has changed (atomic)."""
        with self._load_lock:
            if self._index is not None:
                self._index.save()

    # -- questions ---------------------------------------------------------------------------

    def search(
        self, query: Query, k: int = 50, cancel: threading.Event | None = None
    ) -> Iterator[SearchResults]:
        """Yield a fast answer, then the exact one (see ``Searcher.search``)."""
        _, _, _, searcher = self._ready()
        yield from searcher.search(query, k, cancel)

    def search_by_name(self, text: str, limit: int = 200) -> list[Photo]:
        with self.catalog.read() as conn:
            return lookups.photos_by_name(conn, text, limit)

    def status(self) -> LibraryStatus:
        with self.catalog.read() as conn:
            model_id = self._model_id_if_known(conn)
            photos, indexed, failed = lookups.counts(conn, model_id)
            folders = queries.list_folders(conn, model_id)
        return LibraryStatus(
            photos=photos, indexed=indexed, failed=failed,
            pending=max(0, photos - indexed - failed), model=self.model_name, folders=folders,
        )

    def failures(self) -> list[Failure]:
        with self.catalog.read() as conn:
            return lookups.failures(conn)
