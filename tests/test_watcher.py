"""Watching: every change on disk shows in search within seconds; moves keep their vectors."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.catalog import lookups
from core.library import Library, NothingIndexedError
from core.lifecycle.indexing_service import IndexingService
from core.lifecycle.watcher import FolderWatcher, _Handler, filesystem_type, relevant
from core.search.query import build_query
from tests.conftest import make_photo


def eventually(check: Callable[[], object], timeout: float = 120.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.fixture
def queries_dir(tmp_path: Path) -> Path:
    return tmp_path / "queries"


def query_photo(queries_dir: Path, seed: int) -> Path:
    """A copy of picture ``seed`` outside the library (a library photo is excluded from its
    own search results)."""
    return make_photo(queries_dir / f"q{seed}.jpg", seed)


def top_hit(library: Library, query: Path) -> tuple[Path, float] | None:
    try:
        hits = list(library.search(build_query(images=[str(query)]), k=1))[-1].hits
    except NothingIndexedError:  # nothing is indexed yet: no hit yet
        return None
    return (hits[0].photo.path, hits[0].score) if hits else None


def found_at(library: Library, query: Path, path: Path) -> bool:
    hit = top_hit(library, query)
    return hit is not None and hit[0] == path and hit[1] > 0.99


def embedding_id(library: Library, path: Path) -> int | None:
    with library.catalog.read() as conn:
        at = lookups.photo_at(conn, path)
        model = lookups.find_model(conn, library.model_name)
        if at is None or model is None:
            return None
        found = lookups.embedding_of_photo(conn, at[0], model)
    return found[0] if found else None


@pytest.fixture
def watched(library: Library, photo_dir: Path):
    library.add_folder(photo_dir)
    service = IndexingService(library, debounce_s=0.1, max_delay_s=0.5)
    watcher = FolderWatcher(library, service, check_interval_s=0.2)
    service.start()
    watcher.start()
    assert service.wait_idle(180)
    assert library.status().indexed == 16
    yield library, service, watcher
    watcher.stop()
    assert service.stop()


def test_new_modified_and_deleted_files(watched, photo_dir, queries_dir):
    library, _, _ = watched
    new = make_photo(photo_dir / "deep" / "new.jpg", 100)
    eventually(lambda: found_at(library, query_photo(queries_dir, 100), new))

    target = photo_dir / "img_03.jpg"
    make_photo(target, 200)  # rewritten in place with another picture
    eventually(lambda: found_at(library, query_photo(queries_dir, 200), target))

    (photo_dir / "img_04.jpg").unlink()
    eventually(lambda: library.status().photos == 16)  # 16 + new - deleted
    hit = top_hit(library, query_photo(queries_dir, 4))
    assert hit is not None and hit[0] != photo_dir / "img_04.jpg"


def test_file_rename_and_move_keep_their_vectors(watched, photo_dir, queries_dir):
    library, _, _ = watched
    before = {n: embedding_id(library, photo_dir / f"img_0{n}.jpg") for n in (5, 6)}
    renamed = photo_dir / "renamed.jpg"
    (photo_dir / "img_05.jpg").rename(renamed)
    moved = photo_dir / "sub" / "img_06.jpg"
    (photo_dir / "img_06.jpg").rename(moved)
    eventually(lambda: found_at(library, query_photo(queries_dir, 5), renamed))
    eventually(lambda: found_at(library, query_photo(queries_dir, 6), moved))
    assert embedding_id(library, renamed) == before[5], "a rename must not re-embed"
    assert embedding_id(library, moved) == before[6]
    assert library.status().photos == 16


def test_folder_create_rename_move_delete(watched, photo_dir, queries_dir):
    library, _, _ = watched
    trip = photo_dir / "trip"
    for n in range(300, 303):
        make_photo(trip / f"t{n}.jpg", n)
    eventually(lambda: found_at(library, query_photo(queries_dir, 301), trip / "t301.jpg"))
    ids = {n: embedding_id(library, trip / f"t{n}.jpg") for n in range(300, 303)}

    holiday = photo_dir / "holiday"
    trip.rename(holiday)
    eventually(lambda: found_at(library, query_photo(queries_dir, 301), holiday / "t301.jpg"))
    nested = photo_dir / "sub" / "2024" / "holiday"
    nested.parent.mkdir()
    holiday.rename(nested)
    eventually(lambda: found_at(library, query_photo(queries_dir, 302), nested / "t302.jpg"))
    assert {n: embedding_id(library, nested / f"t{n}.jpg") for n in ids} == ids

    shutil.rmtree(photo_dir / "sub")
    eventually(lambda: library.status().photos == 12)
    assert library.status().indexed == 12


def test_a_folder_moved_in_from_outside_is_indexed(watched, photo_dir, tmp_path, queries_dir):
    library, _, _ = watched
    outside = tmp_path / "camera"
    make_photo(outside / "inner" / "c1.jpg", 400)
    outside.rename(photo_dir / "camera")
    target = photo_dir / "camera" / "inner" / "c1.jpg"
    eventually(lambda: found_at(library, query_photo(queries_dir, 400), target))


def test_unplugged_folder_keeps_its_photos_until_it_returns(watched, photo_dir, tmp_path):
    library, _, _ = watched
    away = tmp_path / "unplugged"
    photo_dir.rename(away)
    eventually(lambda: not library.folders()[0].online)
    assert library.status().photos == 16
    away.rename(photo_dir)
    eventually(lambda: library.folders()[0].online)
    make_photo(photo_dir / "after.jpg", 500)  # watched again after its return
    eventually(lambda: library.status().indexed == 17)


def test_unwatchable_folder_falls_back_to_polling(library, photo_dir, queries_dir):
    from watchdog.observers import Observer

    class FullObserver(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, *args: object, **kwargs: object):  # noqa: ANN202
            raise OSError(28, "inotify watch limit reached")

    library.add_folder(photo_dir)
    service = IndexingService(library, debounce_s=0.1)
    watcher = FolderWatcher(
        library, service, poll_interval_s=0.5, check_interval_s=0.1, observer=FullObserver()
    )
    service.start()
    watcher.start()
    try:
        assert library.folders()[0].watch_mode == "polling"
        assert watcher.modes() == {library.folders()[0].id: "polling"}
        new = make_photo(photo_dir / "polled.jpg", 600)
        eventually(lambda: found_at(library, query_photo(queries_dir, 600), new))
    finally:
        watcher.stop()
        service.stop()


class _Recorder:
    def __init__(self) -> None:
        self.requests: list[dict] = []

    def request_scans(self, requests: dict) -> None:
        self.requests.append(requests)


def test_events_map_to_requests_and_noise_is_ignored(tmp_path):
    from watchdog.events import DirMovedEvent, FileCreatedEvent, FileModifiedEvent

    root = tmp_path / "lib"
    recorder = _Recorder()
    handler = _Handler(7, root, recorder)  # type: ignore[arg-type]
    handler.dispatch(FileCreatedEvent(str(root / ".cache" / "a.jpg")))
    handler.dispatch(FileCreatedEvent(str(root / "@eaDir" / "a.jpg")))
    handler.dispatch(FileModifiedEvent(str(root / "notes.txt")))
    handler.dispatch(FileCreatedEvent(str(root / ".partial.jpg")))
    assert recorder.requests == []
    handler.dispatch(FileCreatedEvent(str(root / "a" / "b.JPG")))
    handler.dispatch(DirMovedEvent(str(root / "x"), str(root / "y" / "z")))
    assert recorder.requests == [{7: ["a/b.JPG"]}, {7: ["x", "y/z"]}]
    assert relevant("a/b/c.png", False) and not relevant("a/.b/c.png", False)


def test_filesystem_type_reads_the_longest_mount(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\nserver:/x /mnt/nas nfs4 rw 0 0\n")
    assert filesystem_type(Path("/mnt/nas/photos"), mounts) == "nfs4"
    assert filesystem_type(Path("/mnt/nasty"), mounts) == "ext4"


def test_watched_folders_get_a_safety_rescan_when_events_are_lost(library, photo_dir, queries_dir):
    """An event queue that overflowed loses changes; the periodic safety rescan finds them."""
    from watchdog.observers.api import BaseObserver, EventEmitter

    class DeafEmitter(EventEmitter):  # alive, but reports nothing: every event is lost
        def queue_events(self, timeout: float) -> None:
            time.sleep(timeout)

    library.add_folder(photo_dir)
    service = IndexingService(library, debounce_s=0.1)
    watcher = FolderWatcher(library, service, check_interval_s=0.1, safety_rescan_s=1.0,
                            observer=BaseObserver(DeafEmitter))
    service.start()
    watcher.start()
    try:
        assert watcher.modes() == {library.folders()[0].id: "events"}
        new = make_photo(photo_dir / "unannounced.jpg", 610)
        eventually(lambda: found_at(library, query_photo(queries_dir, 610), new))
    finally:
        watcher.stop()
        service.stop()
