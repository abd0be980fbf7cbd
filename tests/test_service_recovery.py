"""The indexing service recovers by itself: it retries fixable failures, stands by while
another process indexes the same library, and stops promptly even in the middle of a scan."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from core.errors import CatalogError
from core.fs.locks import HeldLock
from core.indexing import reconcile as reconcile_module
from core.library import Library, NothingIndexedError
from core.library.library import INDEXER_LOCK
from core.lifecycle.indexing_service import STANDBY_MESSAGE, IndexingService
from core.lifecycle.states import IndexingState
from tests.test_watcher import eventually


def test_a_fixable_failure_is_retried_without_any_new_event(
    library: Library, photo_dir, monkeypatch
):
    library.add_folder(photo_dir)
    real_scan = Library.scan
    calls = []

    def scan(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the disk is full the first time only
            raise CatalogError("The disk holding the PhotoSeek library is full; free some space.")
        return real_scan(self, *args, **kwargs)

    monkeypatch.setattr(Library, "scan", scan)
    states: list[str] = []
    service = IndexingService(library, on_state=states.append, retry_after_s=0.5)
    service.start()
    try:
        eventually(lambda: IndexingState.ERROR in states, timeout=180)
        eventually(lambda: library.status().indexed == 16, timeout=180)
        assert service.last_error is None
    finally:
        service.stop()


def test_a_second_indexer_stands_by_then_takes_over(library: Library, photo_dir):
    library.add_folder(photo_dir)
    other_process = HeldLock(library.paths.home / INDEXER_LOCK)
    assert other_process.acquire()  # flock locks per open file: like another process's lock
    service = IndexingService(library, standby_poll_s=0.2)
    service.start()
    try:
        eventually(lambda: service.state == IndexingState.STANDBY, timeout=180)
        assert service.last_error == STANDBY_MESSAGE
        time.sleep(0.5)
        assert library.status().indexed == 0, "nothing is indexed twice"
        other_process.release()
        eventually(lambda: library.status().indexed == 16, timeout=180)
    finally:
        service.stop()
        other_process.release()


def test_a_standing_by_app_searches_what_the_other_process_indexed(photo_dir, isolated_home):
    from core.search.query import build_query
    from core.search.request import SearchRequest
    from tests.conftest import TINY_MODEL

    indexer = Library(model=TINY_MODEL)
    indexer.add_folder(photo_dir)
    viewer = Library(model=TINY_MODEL)
    viewer.prepare()  # its index is open, and empty
    # flock locks per open file: the indexer's lock is like another process's to the viewer.
    assert indexer.indexer_lock.acquire()
    service = IndexingService(viewer, standby_poll_s=0.2)
    service.start()
    try:
        indexer.index()  # the other process does the work
        query = build_query(images=[str(photo_dir / "img_03.jpg")])

        def found() -> int:
            try:
                # Every photo, ranked (weaker ones too): all the other process indexed.
                request = SearchRequest(query, limit=50, weaker=True)
                return len(list(viewer.find(request))[-1].hits)
            except NothingIndexedError:  # the other process has not committed a vector yet
                return 0

        eventually(lambda: found() == 15, timeout=180)
    finally:
        service.stop()
        viewer.close()
        indexer.close()


def test_stop_ends_a_long_scan_part_way(library: Library, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(b"")
    library.add_folder(folder)
    walking = threading.Event()
    real_walk = reconcile_module.walk_photos

    def slow_walk(start: Path, *args, **kwargs):
        should_stop = kwargs["should_stop"]
        for _ in range(600):  # a minute of a slow network share
            walking.set()
            if should_stop():
                return
            time.sleep(0.1)
        yield from real_walk(start, *args, **kwargs)

    monkeypatch.setattr(reconcile_module, "walk_photos", slow_walk)
    service = IndexingService(library)
    service.start()
    assert walking.wait(30)
    assert service.stop(timeout=10), "the scan did not notice the stop"


def test_a_full_disk_while_saving_the_index_is_said(library: Library, photo_dir, monkeypatch):
    from core.vectors.index_file import IndexSaveError

    library.add_folder(photo_dir)

    def save_index() -> None:
        raise IndexSaveError("The disk holding the PhotoSeek library is full")

    monkeypatch.setattr(library, "save_index", save_index)
    states: list[str] = []
    service = IndexingService(library, on_state=states.append)
    service.start()
    try:
        eventually(lambda: library.status().indexed == 16, timeout=180)
        eventually(lambda: service.state == IndexingState.ERROR, timeout=180)
        assert "disk holding the PhotoSeek library is full" in (service.last_error or "")
        assert library.status().indexed == 16, "the catalog kept every vector"
    finally:
        monkeypatch.undo()
        service.stop()
