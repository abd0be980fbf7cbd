"""The library: one object that the CLI, the app's session and the indexing service drive.

It ties the data folder, the catalog, the settings, the model, the vector index and the searcher
together, and loads the heavy parts (torch, the model, the index) lazily, so that opening a
library is instant. Every method may block; a GUI calls them from worker threads. The object is
safe to use from several threads at once (one indexing, one searching).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from core.catalog import companions as catalog_companions
from core.catalog import lookups, queries
from core.catalog import text as catalog_text
from core.config.paths import DataPaths, data_paths
from core.config.settings import Settings, SettingsStore, choose_model
from core.errors import Cancelled, ModelUnavailableError, UserFixableError
from core.fs.locks import HeldLock
from core.indexing.embed_pipeline import EmbedCounts, embed_pending
from core.indexing.reconcile import ReconcileCounts, reconcile
from core.library.background import BackgroundJob, JobProgress
from core.library.finder import Finder, nothing_indexed
from core.library.index_sync import adopt_moved_weights, index_file_name, sync_index
from core.library.indexer import run_index
from core.library.opening import open_catalog
from core.models.identity import model_identity_of
from core.models.names import canonical_model_name
from core.ocr.matching import exact_text, text_words
from core.records import (
    Description,
    Failure,
    FilterChoices,
    Folder,
    IndexProgress,
    IndexSummary,
    LibraryStatus,
    Photo,
    SearchResults,
    TagCount,
)
from core.search.query import Query
from core.search.relevance import Calibration
from core.search.request import Asked, SearchRequest
from core.search.searcher import Searcher
from core.vectors.index import VectorIndex

if TYPE_CHECKING:
    from core.models.embedder import Embedder
    from core.records import DuplicateGroup, TrashReport
    from core.search.understanding import Understanding
    from core.tagging.tagger import TaggingModel
    from core.tagging.vocabulary import Vocabulary

log = logging.getLogger(__name__)

# From this many photos to embed, preparing the model first saves time (see embed_pending).
PREPARE_FIRST_AT = 3000

INDEXER_LOCK = "indexer.lock"


class DownloadWatch(Protocol):
    """Told about a model download that ``Library.embedder`` starts (the command line draws its
    progress bar from it): bytes (done, total) across the files, then ``finished`` once the
    download succeeded. Never called when the model is on the disk already."""

    def __call__(self, done: int, total: int) -> None: ...

    def finished(self) -> None: ...


class FolderError(UserFixableError):
    """A folder cannot be added or forgotten; the message says why."""


class NothingIndexedError(UserFixableError):
    """A search cannot be answered: no photo has a vector of the current model yet."""


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of a file name, as surrogates (PEP 383)
        return False
    return True


def _words(query: Query) -> str:
    return " ".join(t.value for t in query.terms if t.kind == "text" and not t.negative)


class Library:
    def __init__(
        self,
        home: str | Path | None = None,
        model: str | None = None,
        device: str | None = None,
        settings: SettingsStore | None = None,
    ) -> None:
        self.paths: DataPaths = data_paths(home).ensure()
        # One owner of the settings per process: the app's session passes its store to every
        # library it opens (a model switch opens a second one).
        self.settings_store = settings or SettingsStore(self.paths.settings)
        current = self.settings_store.current
        # Canonical (weights path resolved, tag lower-cased) without loading open_clip: vectors
        # are stored under this name, and the counts are looked up before the model loads.
        self.model_name = canonical_model_name(choose_model(model, current, self.paths.catalog))
        self.device = device or current.device
        self.notices: list[str] = []  # what recovery did, for the user to read
        self.catalog = open_catalog(self.paths, current.folders, self.notices)
        # One process indexes a library at a time (the app, `photoseek watch`, `index`).
        self.indexer_lock = HeldLock(self.paths.home / INDEXER_LOCK)
        self._load_lock = threading.Lock()
        self._prepare_lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._model_id: int | None = None
        self._identity: str | None = None  # the loaded model's identity (see model_identity)
        self._index: VectorIndex | None = None
        self._searcher: Searcher | None = None
        self._finder = Finder(self.catalog)
        # Set by the command line to show a model download; None: downloads are silent.
        self.download_watch: DownloadWatch | None = None

    @property
    def settings(self) -> Settings:
        """The current settings (a snapshot: change them through ``settings_store.update``)."""
        return self.settings_store.current

    # -- the model ---------------------------------------------------------------------------

    def embedder(self) -> Embedder:
        """The model, loaded on first use (seconds; never call this on a GUI thread)."""
        with self._load_lock:
            if self._embedder is None:
                from core.models.prepared import prepared_embedder

                identity = model_identity_of(self.model_name)
                # The prepared copy needs neither torch nor open_clip, not even to parse the
                # name: a search from a cold start answers in about a second.
                embedder = prepared_embedder(self.model_name, self.paths.models_dir, self.device)
                if embedder is None:
                    from core.models.loading import load_model
                    from core.models.names import parse_model_name

                    watch = self.download_watch
                    embedder = load_model(
                        parse_model_name(self.model_name), self.paths.models_dir, self.device,
                        watch,
                    )
                    if watch is not None:
                        watch.finished()
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
        """What the vectors are stored under: see ``core.models.identity``."""
        return self._identity or model_identity_of(self.model_name)

    @property
    def model_loaded(self) -> bool:
        return self._embedder is not None

    def remember_model(self) -> None:
        """Make this library's model (and device) the one later starts use."""
        self.settings_store.update(model=self.model_name, device=self.device)

    def _ready(self) -> tuple[Embedder, int, VectorIndex, Searcher]:
        embedder = self.embedder()
        with self._load_lock:
            if self._index is None:
                identity = self.model_identity
                with self.catalog.write() as conn:
                    adopt_moved_weights(conn, identity)
                    self._model_id = lookups.model_id(conn, identity, embedder.dim)
                index = VectorIndex(
                    self.paths.index_dir / index_file_name(identity),
                    identity, embedder.dim, self.paths.backups_dir,
                )
                self._sync_index(index, self._model_id)
                if index.notice:
                    self.notices.append(index.notice)
                self._index = index
                self._searcher = Searcher(
                    self.catalog, index, self._model_id, self.embedder,
                    Calibration(embedder.logit_scale, embedder.logit_bias)
                    if embedder.logit_bias is not None else None,
                )
            assert self._model_id is not None and self._searcher is not None
            return embedder, self._model_id, self._index, self._searcher

    def _sync_index(self, index: VectorIndex, model_id: int) -> None:
        notice = sync_index(self.catalog, index, model_id)
        if notice:
            self.notices.append(notice)

    def prepare(self) -> None:
        """Load the model and the index now (for callers that want to pay that cost early)."""
        self._ready()

    def close(self) -> None:
        try:
            with self._load_lock:
                if self._index is not None:
                    self._index.save()  # may fail (a full disk): the catalog closes all the same
        finally:
            self.indexer_lock.release()
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
        self.settings_store.update(folders=[str(f.path) for f in self.folders()])

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
        scan: bool = True,
        waiting: Callable[[LibraryStatus], None] | None = None,
        new_folders: list[Folder] | None = None,
    ) -> IndexSummary:
        """Scan every folder, then embed every photo that lacks a vector of the current model.

        Only one process indexes a library at a time. If another one is (the app, or
        ``photoseek watch``), this waits, calling ``waiting`` every half second, until it stops
        or until it has indexed everything, ``new_folders`` included; without ``waiting`` it
        raises IndexerBusyError. See ``core.library.indexer``.
        """
        return run_index(self, progress, cancel, scan, waiting, new_folders or [])

    def embed_pending(
        self,
        progress: Callable[[IndexProgress], None] | None = None,
        cancel: threading.Event | None = None,
        folder_ids: list[int] | None = None,
    ) -> EmbedCounts:
        """Embed what lacks a vector, without scanning or saving (the indexing service's step).

        Before a large first run on a CPU, the model is prepared first (about a minute): its int8
        ONNX copy embeds up to twice as fast as torch, which repays the minute within a few
        thousand photos. Smaller runs start at once and prepare it afterwards."""
        from core.models.prepared import might_prepare

        embedder, model_id, index, _ = self._ready()
        if might_prepare(self.model_name, self.device) and embedder.backend == "torch" \
                and self.count_to_embed() >= PREPARE_FIRST_AT:
            def prepare_progress(done: int, total: int) -> None:
                if progress is not None:
                    progress(IndexProgress("model", done, total, 0, 0.0, None))

            self.prepare_model(cancel, prepare_progress)
            if cancel is not None and cancel.is_set():
                return EmbedCounts(cancelled=True)
            embedder = self.embedder()
        return embed_pending(
            self.catalog, index, embedder, model_id, progress, cancel, folder_ids=folder_ids
        )

    def count_to_embed(self) -> int:
        """Photos in online folders still without a vector of this model (not failed)."""
        with self.catalog.read() as conn:
            model_id = self._model_id_if_known(conn)
            # A model never seen before has no vectors: every photo is still to embed.
            return queries.count_to_embed(conn, model_id if model_id is not None else -1)

    def resync_index(self) -> int:
        """Take in vectors another process wrote to the catalog; returns how many were added
        (0 until the index is open)."""
        with self._load_lock:
            if self._index is None or self._model_id is None:
                return 0
            before = len(self._index)
            self._sync_index(self._index, self._model_id)
            return max(0, len(self._index) - before)

    def save_index(self) -> None:
        """Write the vector index to disk if it is loaded and has changed (atomic)."""
        with self._load_lock:
            if self._index is not None:
                self._index.save()

    # -- questions ---------------------------------------------------------------------------

    def search(
        self, query: Query, k: int = 50, cancel: threading.Event | None = None
    ) -> Iterator[SearchResults]:
        """A plain ranking: the ``k`` photos nearest to ``query``, those below the relevance
        cut-off included (each hit says whether it is a real match). ``find`` and ``ask`` keep
        only the real matches unless asked for more."""
        yield from self.find(SearchRequest(query, limit=k, weaker=True), cancel)

    def find(
        self, request: SearchRequest, cancel: threading.Event | None = None
    ) -> Iterator[SearchResults]:
        """Answer a request: a fast answer, then the exact one (see ``Searcher.search``), of
        the photos that really match, narrowed by its filters; photos whose file or folder name
        contains the words typed come first. A request with no query browses (one answer, by
        date, no model needed). NothingIndexedError when no photo has a vector of this model
        yet."""
        if request.browsing:
            yield self._finder.browse(request, self._known_model_id())
            return
        assert request.query is not None
        _, model_id, index, searcher = self._ready()
        if len(index) == 0:
            raise NothingIndexedError(self._nothing_indexed())
        scope, selection = self._finder.scope(request, model_id)
        words = request.names if request.names is not None else _words(request.query)
        named = self._finder.named(words, model_id)
        texts, exact = self._with_text(words, request.query, model_id)
        if exact:  # a query in quotes: only the photos whose text holds it
            named, scope = [], replace(scope, only_first=True)
        if selection is not None and (named or texts):
            passing = set(selection.photo_ids.tolist())
            named = [(photo, label) for photo, label in named if photo.id in passing]
            texts = [(photo, label) for photo, label in texts if photo.id in passing]
        for results in searcher.search(
            request.query, request.limit, cancel, named, scope, texts
        ):
            if selection is not None:
                results = replace(results, dated_by_file=selection.dated_by_file)
            yield results

    def ask(
        self, asked: Asked, limit: int = 50, cancel: threading.Event | None = None
    ) -> Iterator[SearchResults]:
        """Answer what a person typed and chose (see ``core.library.asking``)."""
        from core.library.asking import ask

        yield from ask(self, asked, limit, cancel)

    def filter_choices(self) -> FilterChoices:
        """The cameras, places, file types and years found in the library."""
        return self._finder.choices(self._known_model_id())

    def understand(self, typed: str) -> Understanding:
        """What the words typed ask for: dates, places, cameras and file types become filters,
        the rest is left for the model (see ``core.search.understanding``)."""
        from core.search.understanding import understand

        return understand(typed, date.today(), self._finder.vocabulary(self._known_model_id()))

    def _known_model_id(self) -> int | None:
        with self.catalog.read() as conn:
            return self._model_id_if_known(conn)

    def _nothing_indexed(self) -> str:
        return nothing_indexed(self.catalog, self.status(), self.model_name, self.model_identity)

    def search_by_name(self, text: str, limit: int = 200) -> list[Photo]:
        with self.catalog.read() as conn:
            return lookups.photos_by_name(conn, text, limit)

    def status(self) -> LibraryStatus:
        with self.catalog.read() as conn:
            model_id = self._model_id_if_known(conn)
            photos, indexed, failed, unread = lookups.counts(conn, model_id)
            folders = queries.list_folders(conn, model_id)
            companions = catalog_companions.count_by_kind(conn)
        return LibraryStatus(
            photos=photos, indexed=indexed, failed=failed,
            pending=max(0, photos - indexed - failed), model=self.model_name, folders=folders,
            unread=unread, companions=companions,
        )

    def failures(self) -> list[Failure]:
        with self.catalog.read() as conn:
            return lookups.failures(conn)

    # -- places ------------------------------------------------------------------------------

    def name_places(
        self, cancel: threading.Event | None = None, progress: JobProgress | None = None
    ) -> int:
        """Name the GPS positions of photos that have no place yet, offline (see
        ``core.places.naming``); returns how many were looked up. No model is needed."""
        from core.places.naming import name_pending  # not needed to open a library

        return name_pending(self.catalog, cancel, progress)

    # -- the prepared model ------------------------------------------------------------------

    def prepare_model(
        self, cancel: threading.Event | None = None, progress: JobProgress | None = None
    ) -> int:
        """Make the int8 ONNX copy of a model that runs on torch on the CPU, and use it from
        now on (see ``core.models.prepared``). Returns 1 when a copy was made, else 0."""
        from core.models.prepared import NotPrepared, might_prepare, prepare, wants_prepared

        models = self.paths.models_dir
        if not might_prepare(self.model_name, self.device) \
                or not wants_prepared(self.embedder(), models):
            return 0
        with self._prepare_lock:
            current = self.embedder()
            if not wants_prepared(current, models):  # made meanwhile by another caller
                return 0
            try:
                prepared = prepare(current, models, progress, cancel)
            except NotPrepared as exc:  # remembered: not tried again by this version
                log.warning("%s", exc)
                return 0
            except Cancelled:  # the next run starts again (nothing half-made is kept)
                return 0
            except OSError as exc:  # a full disk, say: torch serves, the next run tries again
                log.warning("%s could not be prepared: %s", current.name, exc)
                return 0
            with self._load_lock:
                if self._embedder is current:
                    self._embedder = prepared
        return 1

    # -- work after embedding ----------------------------------------------------------------

    def background_jobs(self) -> list[BackgroundJob]:
        """What runs once photos are embedded, in order (see ``core.library.background``)."""
        return [
            BackgroundJob("model", needs_model=True, run=self.prepare_model),
            BackgroundJob("places", needs_model=False, run=self.name_places),
            BackgroundJob("tags", needs_model=True, run=self.tag_photos),
            BackgroundJob("text", needs_model=False, run=self.read_text),
        ]

    # -- tags --------------------------------------------------------------------------------

    # The vocabulary tags come from; None: the built-in one (tests give a smaller one).
    tag_vocabulary: Vocabulary | None = None
    _tagging_lock = threading.Lock()  # one tagging run at a time in this process

    def tag_photos(
        self, cancel: threading.Event | None = None, progress: JobProgress | None = None
    ) -> int:
        """Tag every photo from its stored vector (see ``core.tagging.tagger``): no photo is
        decoded. Returns how many photos were looked at, 0 when nothing changed since the
        last run. Loads the model; the tags' text vectors are cached in the data folder."""
        from core.tagging.tagger import tag_library

        model = self._tagging_model()
        model_id = self._known_model_id()
        if model_id is None:  # no vector of this model yet
            return 0
        with self._tagging_lock:
            return tag_library(self.catalog, model_id, self.embedder().dim, model,
                               self._vocabulary(), cancel, progress)

    def tags(self, include_unused: bool = False) -> list[TagCount]:
        """Tags and how many photos carry each, most used first: those in use and one's own
        (``include_unused``: every built-in tag too). No model needed."""
        from core.tagging.own import tag_counts

        return tag_counts(self.catalog, self._vocabulary(), include_unused)

    def add_tag(self, phrase: str) -> TagCount:
        """Add a tag of one's own ("my red bike"). It fills itself at once when the model is
        loaded, else at the next tagging run. TagError for a built-in name or no words."""
        from core.tagging.own import add_own_tag, tag_count

        name = add_own_tag(self.catalog, self._vocabulary(), phrase)
        if self.model_loaded:
            self.tag_photos()
        return tag_count(self.catalog, self._vocabulary(), name)

    def remove_tag(self, name: str) -> None:
        """Remove a tag of one's own; a built-in one cannot be (TagError)."""
        from core.tagging.own import remove_own_tag

        remove_own_tag(self.catalog, self._vocabulary(), name)

    def tags_of(self, photo_id: int) -> list[tuple[str, float]]:
        """A photo's tags with their scores (cosines), best first. No model needed."""
        from core.catalog.tags import tags_of_photo

        with self.catalog.read() as conn:
            return tags_of_photo(conn, photo_id)

    def describe(self, photo: Path | int) -> Description:
        """What a photo shows: its tags and the five short descriptions the model finds
        closest ("a dog on the beach"). A library photo (its id or path) is described from
        its stored vector, any other file is embedded. Loads the model."""
        import numpy as np

        from core.imaging.loading import load_photo
        from core.tagging.describe import describe_photo

        embedder = self.embedder()

        def embed_file(path: Path) -> np.ndarray:
            image, _meta = load_photo(path, embedder.image_size)
            return embedder.embed_pil([image])[0]

        # A library photo keeps the tags the last tagging run gave it (the background job
        # tags new photos after each indexing round): describing one must not tag them all.
        model = self._tagging_model()
        model_id = self._known_model_id()
        return describe_photo(
            self.catalog, model_id if model_id is not None else -1, embedder.dim, model,
            self._vocabulary(), photo, embed_file,
        )

    def _vocabulary(self) -> Vocabulary:
        from core.tagging.vocabulary import BUILT_IN

        return self.tag_vocabulary or BUILT_IN

    def _tagging_model(self) -> TaggingModel:
        from core.tagging.prompts import prompt_cache
        from core.tagging.tagger import TaggingModel
        from core.tagging.thresholds import Calibration as TagCalibration

        embedder = self.embedder()
        identity = self.model_identity
        return TaggingModel(
            identity, embedder.embed_texts,
            TagCalibration.of(embedder.logit_scale, embedder.logit_bias),
            prompt_cache(self.paths.index_dir, identity),
        )

    # -- text in photos ----------------------------------------------------------------------

    def read_text(
        self, cancel: threading.Event | None = None, progress: JobProgress | None = None
    ) -> int:
        """Read the text in indexed photos that have none stored yet, offline, newest first
        (see ``core.ocr.pending``); returns how many were read. No model is needed."""
        from core.ocr.pending import read_pending  # rapidocr: not needed to open a library

        return read_pending(self.catalog, cancel, progress)

    def companions_of(self, photo_id: int) -> list[tuple[Path, str]]:
        """The files kept with a photo of the same shot: its RAW ("raw") or its Live Photo's
        video ("live"), by name (core.indexing.companions)."""
        with self.catalog.read() as conn:
            return catalog_companions.companions_of(conn, photo_id)

    def text_of(self, photo_id: int) -> str | None:
        """The text read in a photo, lines joined by newlines ("" when it shows none); None
        when it has not been read yet."""
        with self.catalog.read() as conn:
            return catalog_text.text_of(conn, photo_id)

    def _with_text(
        self, typed: str, query: Query, model_id: int
    ) -> tuple[list[tuple[Photo, int | None]], bool]:
        """The photos whose text holds the words asked for (those left for the model), and
        whether the query demands an exact text: typed whole in quotes ('"TOTAL 42.50"'). When
        no photo's text holds it, the query is searched as words after all: quotes also keep a
        word away from the filters (``keep_literal``), and '"Paris"' must not answer nothing."""
        exact = exact_text(typed)
        if exact is not None:
            found = self._finder.with_text([exact], model_id, exact=True)
            if found:
                return found, True
        return self._finder.with_text(text_words(_words(query)), model_id), False

    # -- duplicates --------------------------------------------------------------------------

    def duplicates(
        self,
        cancel: threading.Event | None = None,
        progress: JobProgress | None = None,
        skipped: list[Failure] | None = None,
    ) -> list[DuplicateGroup]:
        """Groups of exact copies, copies (re-encoded, resized) and bursts of near-identical
        shots among the photos of online folders, each with its suggested keeper first (see
        ``core.duplicates``). Loads the model and the index. Photos that could not be checked
        (gone, changed, damaged) are appended to ``skipped`` with their reasons; ``cancel``
        raises core.errors.Cancelled after the current batch (the work done is kept)."""
        from core.duplicates.finding import find_duplicates  # not needed to open a library

        _, model_id, index, _ = self._ready()
        return find_duplicates(self.catalog, index, model_id, cancel, progress, skipped)

    def trash(self, photo_ids: list[int]) -> TrashReport:
        """Move these photos' files to the system trash (never deleted; nothing else moves)
        and forget them at once: catalog rows, vectors, the loaded index. A file that cannot
        move (gone, changed since it was indexed, read-only, no trash on its drive) stays,
        reported with its reason (see ``core.duplicates.trash``)."""
        from core.duplicates.trash import trash_photos

        with self._load_lock:
            index = self._index
        return trash_photos(self.catalog, index, photo_ids)
