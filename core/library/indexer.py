"""One whole indexing run (``Library.index``): scan, then embed, by one process at a time.

The indexer lock serialises indexing across every entry point: two ``photoseek index`` runs, or
``index`` beside the app or ``photoseek watch``, never reconcile the same folders at once. A run
that finds the lock taken waits: either the other process stops (then this one does the work),
or it indexes everything, the folders this run added included (its watcher finds new folders
within seconds), and then there is nothing left to do.

Photos that change while being read are left pending by the embedding step (their pixels may be
half old, half new); the run scans again and embeds them, a couple of times at most.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.errors import UserFixableError
from core.indexing.reconcile import ReconcileCounts
from core.models.speed import record_indexing_rate
from core.records import Folder, IndexProgress, IndexSummary, LibraryStatus

if TYPE_CHECKING:
    from core.library.library import Library

log = logging.getLogger(__name__)

WAIT_POLL_S = 0.5
BUSY_ROUNDS = 2  # extra scan-and-embed rounds for photos that changed while being read


class IndexerBusyError(UserFixableError):
    """Another PhotoSeek process is indexing this library."""


def run_index(
    library: Library,
    progress: Callable[[IndexProgress], None] | None,
    cancel: threading.Event | None,
    scan: bool,
    waiting: Callable[[LibraryStatus], None] | None,
    new_folders: list[Folder],
) -> IndexSummary:
    started = time.monotonic()
    lock = library.indexer_lock
    took_lock = not lock.held
    if not lock.acquire():
        if waiting is None:
            raise IndexerBusyError(
                "Another PhotoSeek process (the app or photoseek watch) is indexing this "
                "library; it will find new photos by itself."
            )
        if not _wait_for_lock(library, waiting, cancel, new_folders):
            status = library.status()
            return IndexSummary(
                scanned=status.photos, added=0, changed=0, moved=0, removed=0, embedded=0,
                failed=status.failed, seconds=time.monotonic() - started,
                cancelled=_set(cancel), unread=status.unread, by_other=True,
            )
    try:
        return _index_holding_the_lock(library, progress, cancel, scan, started)
    finally:
        if took_lock:
            lock.release()


def _set(event: threading.Event | None) -> bool:
    return event is not None and event.is_set()


def _after_embedding(
    library: Library,
    cancel: threading.Event | None,
    progress: Callable[[IndexProgress], None] | None,
) -> None:
    """Name places, tag and read text (see ``Library.background_jobs``). Photos are searchable
    without them: a failure here is logged, not raised, and the next run resumes it."""

    def report(phase: str) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(IndexProgress(phase, done, total, 0, 0.0, None))

    for job in library.background_jobs():
        if _set(cancel):
            return
        try:
            job.run(cancel, report(job.name))
        except UserFixableError as exc:  # the catalog locked or the disk full: the next run
            log.warning("%s: %s", job.name, exc)
        except Exception:  # a bug: log it with its traceback
            log.exception("%s failed", job.name)


def _wait_for_lock(
    library: Library,
    waiting: Callable[[LibraryStatus], None],
    cancel: threading.Event | None,
    new_folders: list[Folder],
) -> bool:
    """Wait until this process holds the lock (True) or the holder indexed everything, or the
    wait was cancelled (False)."""
    since = time.time()
    pause = cancel or threading.Event()
    while not library.indexer_lock.acquire():
        if _set(cancel) or _done_elsewhere(library, new_folders, since):
            return False
        waiting(library.status())
        pause.wait(WAIT_POLL_S)
    return True


def _done_elsewhere(library: Library, new_folders: list[Folder], since: float) -> bool:
    """The other indexer scanned the new folders (whole) since ``since``, and nothing is left
    to embed with this library's model."""
    current = {f.id: f for f in library.folders()}
    for folder in new_folders:
        now = current.get(folder.id)
        if now is not None and now.online and (now.last_scan is None or now.last_scan < since):
            return False
    return library.count_to_embed() == 0


def _index_holding_the_lock(
    library: Library,
    progress: Callable[[IndexProgress], None] | None,
    cancel: threading.Event | None,
    scan: bool,
    started: float,
) -> IndexSummary:
    if progress is not None:
        progress(IndexProgress("scanning", 0, 0, 0, 0.0, None))
    counts = library.scan(cancel=cancel) if scan else ReconcileCounts()
    # Load the model (and sync the index) before the clock starts: photos/s counts embedding.
    library.prepare()
    embed_started = time.monotonic()
    embedded = library.embed_pending(progress, cancel)
    total_embedded, total_failed, busy = embedded.embedded, embedded.failed, embedded.busy
    for _round in range(BUSY_ROUNDS):
        if not busy or _set(cancel):
            break
        again = library.scan(cancel=cancel)  # the changed files get their new size and mtime
        counts.changed += again.changed
        counts.added += again.added
        embedded = library.embed_pending(progress, cancel)
        total_embedded += embedded.embedded
        total_failed += embedded.failed
        busy = embedded.busy
    embed_seconds = time.monotonic() - embed_started
    # Settings and `photoseek models` show this computer's measured speed per model.
    record_indexing_rate(library.paths.models_dir, library.model_name, total_embedded,
                         embed_seconds)
    library.save_index()
    if not _set(cancel):
        _after_embedding(library, cancel, progress)
    return IndexSummary(
        scanned=counts.scanned, added=counts.added, changed=counts.changed,
        moved=counts.moved, removed=counts.removed, embedded=total_embedded,
        failed=total_failed, seconds=time.monotonic() - started,
        cancelled=counts.cancelled or embedded.cancelled, embed_seconds=embed_seconds,
        unread=counts.unread_files, busy=busy, companions=counts.companions,
    )
