"""The app's lifecycle, headless: the session the desktop app and `photoseek watch` both drive."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.fs.locks import HeldLock
from core.library import Library
from core.library.library import INDEXER_LOCK
from core.lifecycle.indexing_service import IndexingService
from core.lifecycle.session import LibrarySession
from core.lifecycle.states import Changes, IndexingState, ModelState, SessionCallbacks
from core.search.request import Asked
from tests.conftest import TINY_MODEL, make_photo

TIMEOUT = 180.0  # a hang guard: generous, so that a busy machine never fails it


def eventually(check: Callable[[], object], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


class Recorder:
    """Every callback, in order, as (name, args)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple]] = []
        self._lock = threading.Lock()

    def callbacks(self) -> SessionCallbacks:
        def record(name: str) -> Callable[..., None]:
            def call(*args: object) -> None:
                with self._lock:
                    self.events.append((name, args))
            return call

        return SessionCallbacks(**{n: record(n) for n in (
            "opened", "open_failed", "changed", "model", "download", "progress", "indexing",
            "notice",
        )})

    def of(self, name: str) -> list[tuple]:
        with self._lock:
            return [args for n, args in self.events if n == name]

    def model_states(self) -> list[ModelState]:
        return [args[0] for args in self.of("model")]


@pytest.fixture
def session_factory(isolated_home: Path):
    sessions: list[LibrarySession] = []

    def make(model: str = TINY_MODEL, **kwargs) -> tuple[LibrarySession, Recorder]:
        recorder = Recorder()
        session = LibrarySession(model=model, callbacks=recorder.callbacks(), **kwargs)
        sessions.append(session)
        return session, recorder

    yield make
    for session in sessions:
        session.close()


def test_a_session_opens_finds_photos_loads_the_model_and_indexes(session_factory, photo_dir):
    library = Library(model=TINY_MODEL)
    library.add_folder(photo_dir)
    library.close()
    session, rec = session_factory()
    session.start()
    eventually(lambda: rec.of("opened"))
    eventually(lambda: session.model_ready and session.status().indexed == 16)
    assert rec.model_states()[0] is ModelState.LOADING
    assert ModelState.READY in rec.model_states()
    states = [args[0] for args in rec.of("indexing")]
    assert all(isinstance(s, IndexingState) for s in states)  # typed, not strings
    assert IndexingState.SCANNING in states and IndexingState.INDEXING in states
    eventually(lambda: any(c.status.indexed == 16 for (c,) in rec.of("changed")))
    changes: list[Changes] = [c for (c,) in rec.of("changed")]
    assert any(c.photos for c in changes) and sum(c.searchable for c in changes) == 16


def test_indexing_resumes_after_a_restart_without_any_file_changing(session_factory, tmp_path):
    """Quit part way, start again: the photos left pending are indexed, and so are those
    added while PhotoSeek was closed (issue: it stayed at 538 of 2,627)."""
    root = tmp_path / "many"
    for n in range(40):
        make_photo(root / f"p{n:02d}.jpg", n, size=(64, 48))
    library = Library(model=TINY_MODEL)
    library.add_folder(root)
    library.scan()  # found, none embedded: as if the app quit right after its first scan
    library.close()
    make_photo(root / "added_while_closed.jpg", 99, size=(64, 48))
    session, _rec = session_factory()
    session.start()
    eventually(lambda: session.status() is not None and session.status().indexed == 41)


def test_embedding_held_for_the_model_starts_when_allowed(library: Library, photo_dir):
    """The service scans while the model loads (embedding held), then indexes everything
    pending when allowed, with no file event or scan to prompt it."""
    library.add_folder(photo_dir)
    library.scan()
    service = IndexingService(library, scan_at_start=False, hold_embedding=True)
    service.start()
    try:
        assert service.wait_idle(180)
        assert library.status().indexed == 0  # held
        service.allow_embedding()
        eventually(lambda: library.status().indexed == 16)
    finally:
        service.stop()


def test_folders_added_and_forgotten_through_the_session(session_factory, photo_dir, tmp_path):
    session, rec = session_factory()
    session.start()
    eventually(lambda: session.model_ready)
    session.add_folder(photo_dir)
    eventually(lambda: session.status().indexed == 16)
    eventually(lambda: any(c.folders and c.status.folders for (c,) in rec.of("changed")))
    assert session.settings is not None
    assert session.settings.folders == (str(photo_dir.resolve()),)
    session.forget_folder(photo_dir)
    eventually(lambda: session.status().photos == 0)
    eventually(lambda: session.settings.folders == ())
    session.add_folder(tmp_path / "nowhere")
    eventually(lambda: any("not a folder" in n for (n,) in rec.of("notice")))


def test_a_library_that_cannot_be_opened_says_why(tmp_path, monkeypatch):
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    rec = Recorder()
    session = LibrarySession(home, TINY_MODEL, callbacks=rec.callbacks())
    session.start()
    try:
        eventually(lambda: rec.of("open_failed"))
        (message,) = rec.of("open_failed")[0]
        assert "is a file, not a folder" in message
        assert not rec.of("opened")
    finally:
        session.close()


def test_pause_and_resume(session_factory, tmp_path):
    root = tmp_path / "many"
    for n in range(200):
        make_photo(root / f"p{n:03d}.jpg", n, size=(320, 240))
    session, _rec = session_factory()
    session.start()
    eventually(lambda: session.model_ready and session.service is not None)
    session.pause()
    session.add_folder(root)
    eventually(lambda: session.status().photos == 200)
    eventually(lambda: session.indexing_state is IndexingState.PAUSED)
    assert session.status().indexed == 0
    session.resume()
    eventually(lambda: session.status().indexed == 200, timeout=300)


def test_a_second_process_stands_by_searches_and_takes_over(session_factory, photo_dir):
    library = Library(model=TINY_MODEL)
    library.add_folder(photo_dir)
    library.close()
    other = Library(model=TINY_MODEL)  # another process (flock locks are per open file)
    assert other.indexer_lock.acquire()
    session, rec = session_factory(service_options={"standby_poll_s": 0.2})
    session.start()
    try:
        eventually(lambda: session.indexing_state is IndexingState.STANDBY)
        errors = [e for (s, e) in rec.of("indexing") if s is IndexingState.STANDBY]
        assert errors and "another PhotoSeek process" in errors[0]
        other.index()  # the other process indexes; this one searches what it finds
        eventually(lambda: [r for r in session.search(Asked("img"), k=50)][-1].ranked)
        eventually(lambda: any(c.status.indexed == 16 for (c,) in rec.of("changed")))
        make_photo(photo_dir / "later.jpg", 50)
    finally:
        other.close()  # stops: this one takes over and finds the new photo
    eventually(lambda: session.status().indexed == 17)


def test_model_switch_keeps_answering_then_swaps(session_factory, photo_dir, tiny_weights_path):
    library = Library(model=TINY_MODEL)
    library.add_folder(photo_dir)
    library.index()
    library.close()
    session, rec = session_factory()
    session.start()
    eventually(lambda: session.model_ready and session.service is not None)
    new_model = f"test-tiny:{tiny_weights_path}"
    session.switch_model(new_model, "cpu")
    eventually(lambda: ModelState.SWITCHING in rec.model_states())
    eventually(lambda: session.library is not None and session.library.model_name == new_model)
    eventually(lambda: session.status().indexed == 16)
    assert session.settings is not None and session.settings.model == new_model
    assert rec.model_states()[-1] is ModelState.READY
    hits = list(session.search(Asked("a photo"), k=5))[-1]
    assert hits.ranked and hits.hits


def test_a_cancelled_switch_leaves_the_current_model(session_factory, photo_dir, monkeypatch):
    from core.errors import Cancelled
    from core.lifecycle import model_setup

    library = Library(model=TINY_MODEL)
    library.add_folder(photo_dir)
    library.index()
    library.close()
    started = threading.Event()

    def slow_switch(self, *args, **kwargs):
        started.set()
        self._cancel.wait(30)
        raise Cancelled("The model switch was cancelled.")

    monkeypatch.setattr(model_setup.ModelSetup, "switch", slow_switch)
    session, rec = session_factory()
    session.start()
    eventually(lambda: session.model_ready and session.service is not None)
    session.switch_model("test-tiny:/nowhere/else.safetensors", "cpu")
    assert started.wait(30)
    session.cancel_download()
    eventually(lambda: any("did not finish" in n for (n,) in rec.of("notice")))
    assert session.library is not None and session.library.model_name == TINY_MODEL
    assert session.settings is not None and session.settings.model != "test-tiny:/nowhere/else"
    assert session.service is not None and not session.service._held


def test_random_weights_are_said_to_the_user(session_factory):
    session, rec = session_factory(model="random:test-tiny")
    session.start()
    eventually(lambda: session.model_ready)
    eventually(lambda: any("random weights" in n for (n,) in rec.of("notice")))


def test_only_the_devices_this_computer_has_are_offered(session_factory):
    import torch

    session, _rec = session_factory()
    session.start()
    eventually(lambda: session.model_ready)
    assert session.devices[:2] == ("auto", "cpu")
    assert ("cuda" in session.devices) == torch.cuda.is_available()


def test_a_missing_model_fails_with_a_reason_and_name_search_still_answers(
    session_factory, photo_dir
):
    library = Library(model=TINY_MODEL)
    library.add_folder(photo_dir)
    library.scan()
    library.close()
    session, rec = session_factory(model="test-tiny:/nowhere/missing.safetensors")
    session.start()
    eventually(lambda: ModelState.FAILED in rec.model_states())
    failed = [m for s, m in rec.of("model") if s is ModelState.FAILED]
    assert "not found" in failed[0].lower()
    found = list(session.search(Asked("img_0"), k=50))[-1]
    assert not found.ranked and len(found.hits) == 10
    assert all(h.name_match for h in found.hits)
    eventually(lambda: session.indexing_state is IndexingState.WAITING_FOR_MODEL)


def test_close_returns_promptly_with_a_model_still_loading(session_factory, monkeypatch):
    """Quitting never waits for a model load (the window may close while torch imports)."""
    release = threading.Event()
    real_prepare = Library.prepare
    monkeypatch.setattr(Library, "prepare", lambda self: (release.wait(60), real_prepare(self)))
    session, rec = session_factory()
    session.start()
    eventually(lambda: ModelState.LOADING in rec.model_states())
    closed = threading.Event()
    threading.Thread(target=lambda: (session.close(), closed.set()), daemon=True).start()
    try:
        assert closed.wait(30), "close waited for the model"
    finally:
        release.set()


def test_an_other_process_lock_is_the_indexer_lock(isolated_home):
    """The lock the session's service takes is the one `photoseek index` and watch take."""
    library = Library(model=TINY_MODEL)
    try:
        assert library.indexer_lock.path == isolated_home / INDEXER_LOCK
        other = HeldLock(isolated_home / INDEXER_LOCK)
        assert library.indexer_lock.acquire() and not other.acquire()
    finally:
        library.close()


def test_a_first_start_in_a_window_downloads_nothing_until_a_model_is_chosen(
    session_factory, no_network
):
    """Nothing named a model and the default is not on the disk: the window asks first
    (CHOOSING) instead of starting a download of over a gigabyte the owner may not want."""
    from core.config.settings import SettingsStore

    session, rec = session_factory(model=None, ask_model_choice=True)
    session.start()
    eventually(lambda: ModelState.CHOOSING in rec.model_states())
    time.sleep(0.5)  # a load would have been asked for by now: _open decides at once
    assert ModelState.LOADING not in rec.model_states()
    assert not session.model_ready
    session.choose_model(TINY_MODEL)
    eventually(lambda: session.model_ready)
    assert SettingsStore(session.paths.settings).reload().model == TINY_MODEL
    assert session.library is not None and session.library.model_name == TINY_MODEL


def test_photoseek_watch_has_nobody_to_ask_and_fetches_the_default(session_factory, no_network):
    session, rec = session_factory(model=None)  # ask_model_choice=False: headless
    session.start()
    eventually(lambda: ModelState.FAILED in rec.model_states())  # offline here: it tried
    assert ModelState.CHOOSING not in rec.model_states()
