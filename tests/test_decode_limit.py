"""A decode that hangs (a stalled network mount, a pathological file) costs that file only."""

from __future__ import annotations

import threading

from core.imaging.reasons import REASON_TIMEOUT
from core.indexing import embed_pipeline
from core.library import Library
from tests.conftest import TINY_MODEL, make_photo


def test_hung_decodes_fail_alone_and_do_not_hold_up_the_run(tmp_path, monkeypatch):
    photos = tmp_path / "photos"
    for n in range(10):
        make_photo(photos / f"ok_{n}.jpg", n)
    for n in range(2):  # as many hung files as decode workers: the whole pool stalls
        make_photo(photos / f"hang_{n}.jpg", 100 + n)
    release = threading.Event()
    real_load = embed_pipeline.load_photo

    def load(path, *args, **kwargs):
        if path.name.startswith("hang_"):
            release.wait(120)  # stuck until the test ends
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(embed_pipeline, "load_photo", load)
    monkeypatch.setattr(embed_pipeline, "DECODE_TIMEOUT_S", 1.0)
    monkeypatch.setattr(embed_pipeline, "default_decode_workers", lambda _device: 2)
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photos)
    try:
        summary = lib.index()
        # index() came back while both hung decodes are still stuck in their threads.
        assert not release.is_set()
        assert (summary.embedded, summary.failed) == (10, 2)
        failures = {f.path.name: f.reason for f in lib.failures()}
        assert failures == {"hang_0.jpg": REASON_TIMEOUT, "hang_1.jpg": REASON_TIMEOUT}
    finally:
        release.set()
        lib.close()


def test_photos_queued_behind_a_slow_one_are_not_timed_out(tmp_path, monkeypatch):
    """Slow decodes under the limit are never cut, however long the run as a whole takes."""
    import time

    photos = tmp_path / "photos"
    for n in range(6):
        make_photo(photos / f"p_{n:02d}.jpg", n)
    real_load = embed_pipeline.load_photo

    def slow_load(path, *args, **kwargs):
        time.sleep(0.3)  # each decode well under the limit; all together well over it
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(embed_pipeline, "load_photo", slow_load)
    monkeypatch.setattr(embed_pipeline, "DECODE_TIMEOUT_S", 1.0)
    monkeypatch.setattr(embed_pipeline, "default_decode_workers", lambda _device: 1)
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photos)
    summary = lib.index()
    assert (summary.embedded, summary.failed) == (6, 0)
    lib.close()
