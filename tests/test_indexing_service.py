"""The indexing service: merged requests, batched writes, priority, pause, errors, progress."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from core.library import Library
from core.lifecycle.indexing_service import IndexingService
from core.lifecycle.scan_queue import ScanQueue, collapse, minimal_cover
from core.lifecycle.states import IndexingState
from core.records import IndexProgress
from core.vectors.index import VectorIndex
from tests.conftest import make_photo
from tests.test_watcher import eventually


def test_requests_merge_and_parents_subsume_children():
    assert minimal_cover(["a/b/c.jpg", "a/b", "a b/x.jpg", "z.jpg", "a/b/"]) == [
        "a b/x.jpg", "a/b", "z.jpg",
    ]
    assert minimal_cover(["x", ""]) == [""]
    assert collapse([f"d/{n}.jpg" for n in range(1000)], limit=10) == ["d"]
    queue = ScanQueue(debounce_s=0.0)
    queue.add({1: ["a/1.jpg"], 2: None})
    queue.add({1: ["a"], 2: ["b.jpg"]})
    queue.add({3: ["x.jpg", ""]})
    assert queue.take() == (False, {1: ["a"], 2: None, 3: None})
    assert not queue
    queue.add({None: None})
    assert queue.take() == (True, {})


def test_a_burst_of_files_is_batched(library: Library, photo_dir: Path, tmp_path: Path):
    from core.lifecycle.watcher import FolderWatcher

    library.add_folder(photo_dir)
    service = IndexingService(library, debounce_s=0.2)
    watcher = FolderWatcher(library, service)
    service.start()
    watcher.start()
    try:
        assert service.wait_idle(180)
        source = tmp_path / "burst-source"
        for n in range(300):
            make_photo(source / f"b{n:03d}.jpg", 1000 + n, size=(64, 48))
        before = library.catalog.write_count
        for path in sorted(source.iterdir()):
            shutil.copy(path, photo_dir / path.name)
        eventually(lambda: library.status().indexed == 316, timeout=180)
        assert service.wait_idle(180)
        writes = library.catalog.write_count - before
        # 300 photos: a few scans plus ten embedding batches of 32, not 300 transactions.
        assert writes <= 40, writes
    finally:
        watcher.stop()
        service.stop()


def test_progress_is_throttled_and_complete(library: Library, tmp_path: Path):
    root = tmp_path / "many"
    for n in range(400):
        make_photo(root / f"m{n:03d}.jpg", n, size=(64, 48))
    library.add_folder(root)
    seen: list[tuple[float, IndexProgress]] = []
    states: list[str] = []
    indexed: list[int] = []
    service = IndexingService(
        library, on_progress=lambda p: seen.append((time.monotonic(), p)),
        on_state=states.append, on_indexed=indexed.append,
    )
    started = time.monotonic()
    service.start()
    assert service.wait_idle(180)
    service.stop()
    elapsed = time.monotonic() - started
    assert len(seen) <= 10 * elapsed + 5
    final = seen[-1][1]
    assert (final.phase, final.done, final.total) == ("done", 400, 400)
    assert sum(indexed) == 400
    assert states[:1] == [IndexingState.SCANNING] and IndexingState.INDEXING in states
    assert states[-1] == IndexingState.IDLE
    rates = [p.photos_per_second for _, p in seen if p.phase == "embedding"]
    assert rates and max(rates) > 0  # 400 photos take several progress reports


def test_the_folder_being_viewed_is_embedded_first(library: Library, tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    for n in range(40):
        make_photo(first / f"f{n}.jpg", n, size=(64, 48))
        make_photo(second / f"s{n}.jpg", 100 + n, size=(64, 48))
    library.add_folder(first)
    viewed = library.add_folder(second)
    library.scan()
    service = IndexingService(library, scan_at_start=False)
    service.prioritise_folder(viewed.id)
    service.request_scan(viewed.id, ["nothing-here.jpg"])  # a no-op scan that starts embedding
    service.start()
    assert service.wait_idle(180)
    service.stop()
    with library.catalog.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT p.folder_id, e.id FROM embeddings e JOIN photos p ON p.id = e.photo_id"
        ).all()
    viewed_ids = [e for f, e in rows if f == viewed.id]
    other_ids = [e for f, e in rows if f != viewed.id]
    assert len(viewed_ids) == len(other_ids) == 40
    assert max(viewed_ids) < min(other_ids)


def test_pause_resume_and_stop_saves_the_index(library: Library, photo_dir: Path, isolated_home):
    library.add_folder(photo_dir)
    service = IndexingService(library)
    service.pause()
    service.start()
    assert service.wait_idle(180)
    assert service.paused and service.state == IndexingState.PAUSED
    assert library.status().photos == 16 and library.status().indexed == 0  # scanned, not embedded
    service.resume()
    assert service.wait_idle(180)
    assert library.status().indexed == 16 and service.state == IndexingState.IDLE
    assert service.stop()
    # The saved file needs no repair: it holds exactly the catalog's vectors.
    files = list((isolated_home / "index").glob("*.hnsw"))
    assert len(files) == 1
    embedder = library.embedder()
    index = VectorIndex(files[0], embedder.name, embedder.dim, isolated_home / "backups")
    assert index.notice is None and len(index) == 16


def test_cancel_leaves_photos_pending(library: Library, tmp_path: Path):
    root = tmp_path / "many"
    for n in range(600):
        make_photo(root / f"m{n:03d}.jpg", n, size=(64, 48))
    library.add_folder(root)
    library.prepare()
    cancelled = threading.Event()

    def on_indexed(_count: int) -> None:
        if not cancelled.is_set():
            cancelled.set()
            service.cancel()

    service = IndexingService(library, on_indexed=on_indexed)
    service.start()
    assert service.wait_idle(180)
    assert 0 < library.status().indexed < 600
    service.request_scan()  # new work starts again
    assert service.wait_idle(180)
    assert library.status().indexed == 600
    service.stop()


def test_a_missing_model_is_an_error_but_scans_go_on(isolated_home, photo_dir: Path):
    library = Library(model="ViT-B-32:/nonexistent/weights.safetensors")
    try:
        library.add_folder(photo_dir)
        service = IndexingService(library, debounce_s=0.05)
        service.start()
        assert service.wait_idle(180)
        assert service.state == IndexingState.ERROR and service.last_error
        make_photo(photo_dir / "later.jpg", 77)
        service.request_scan(library.folders()[0].id, ["later.jpg"])
        assert service.wait_idle(180)
        assert library.status().photos == 17 and service.state == IndexingState.ERROR
        assert service.stop()
    finally:
        library.close()
