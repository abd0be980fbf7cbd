"""A model file download resumes after a cancel, a dropped connection or a new process, and is
checked against the hub's checksum before anything uses it.

The hub is a local HTTP server (tests/hub_server.py) that honours Range and logs each request,
reached through HF_ENDPOINT as PhotoSeek reaches huggingface.co: no other network is used.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import Cancelled
from core.models import hub, resumable
from tests.hub_server import COMMIT, FakeHub, serving

REPO = "photoseek-test/weights"
NAME = "open_clip_model.safetensors"
DATA = bytes(range(256)) * 40_000  # 10.24 MB: ten chunks and a bit
SMALL = b'{"model_type": "test"}\n'  # a small git file: its etag is git's blob sha1


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    from huggingface_hub import constants

    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with serving(FakeHub({(REPO, NAME): DATA})) as server:
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(resumable, "READ_TIMEOUT_S", 5.0)
        yield server


def _cancel_after(nbytes: int) -> tuple[threading.Event, list[tuple[int, int]], object]:
    """A cancel event set by the progress callback once ``nbytes`` are on the disk."""
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= nbytes:
            cancel.set()

    return cancel, seen, progress


def test_a_cancelled_download_keeps_its_partial_and_resumes_with_range(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    cancel, _seen, progress = _cancel_after(3 * resumable.CHUNK_BYTES)
    with pytest.raises(Cancelled):
        hub.download_file(REPO, NAME, tmp_path, progress, cancel)  # type: ignore[arg-type]
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    kept = partial.stat().st_size
    # What was on the disk when cancelled: the last read's bytes (up to a chunk) past the mark.
    assert 3 * resumable.CHUNK_BYTES <= kept < 4 * resumable.CHUNK_BYTES < len(DATA)
    assert hub.cached_file(REPO, NAME, tmp_path) is None  # not usable until verified

    seen: list[tuple[int, int]] = []
    path = hub.download_file(REPO, NAME, tmp_path, lambda d, t: seen.append((d, t)), offset=7)
    resumed = fake_hub.gets()[-1]
    assert resumed.headers["Range"] == f"bytes={kept}-"
    assert resumed.headers["If-Range"].startswith('"cdn-')  # the serving file's own validator
    assert resumed.status == 206 and resumed.body_bytes == len(DATA) - kept
    assert seen[0] == (7 + kept, 7 + len(DATA))  # resumed bytes count as done
    assert seen[-1] == (7 + len(DATA), 7 + len(DATA))
    assert path.read_bytes() == DATA and not partial.exists()
    assert hub.cached_file(REPO, NAME, tmp_path) == path
    assert path == resumable.repo_folder(tmp_path, REPO) / "snapshots" / COMMIT / NAME


def test_a_new_process_resumes_a_partial_left_on_the_disk(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    # What a killed process leaves: the first bytes in the partial, nothing else.
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    partial.parent.mkdir(parents=True)
    partial.write_bytes(DATA[:1234567])
    path = hub.download_file(REPO, NAME, tmp_path)
    get = fake_hub.gets()[-1]
    assert get.headers["Range"] == "bytes=1234567-" and "If-Range" not in get.headers
    assert get.body_bytes == len(DATA) - 1234567
    assert path.read_bytes() == DATA


def test_a_dropped_connection_is_resumed_within_the_download(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resumable, "_pause", lambda _s, _cancel: None)
    fake_hub.drop_after = 2_500_000
    path = hub.download_file(REPO, NAME, tmp_path)
    first, second = fake_hub.gets()
    assert "Range" not in first.headers and first.body_bytes == 2_500_000
    assert second.headers["Range"] == "bytes=2500000-" and second.status == 206
    assert path.read_bytes() == DATA


def test_a_dropped_connection_without_retries_keeps_the_partial(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.drop_after = 2_500_000
    with pytest.raises((ConnectionError, OSError)):
        resumable.download(REPO, NAME, tmp_path, retries=0)
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    assert partial.stat().st_size == 2_500_000


def test_a_server_that_ignores_range_restarts_cleanly(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    partial.parent.mkdir(parents=True)
    partial.write_bytes(DATA[:3_000_000])
    fake_hub.ranges = False
    seen: list[tuple[int, int]] = []
    path = hub.download_file(REPO, NAME, tmp_path, lambda d, t: seen.append((d, t)))
    get = fake_hub.gets()[-1]
    assert get.headers["Range"] == "bytes=3000000-" and get.status == 200
    assert get.body_bytes == len(DATA)
    assert seen[0] == (0, len(DATA))  # progress starts over with the file
    assert path.read_bytes() == DATA  # not the old bytes followed by the whole file


def test_a_changed_file_on_the_server_restarts_through_if_range(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    cancel, _seen, progress = _cancel_after(2 * resumable.CHUNK_BYTES)
    with pytest.raises(Cancelled):
        hub.download_file(REPO, NAME, tmp_path, progress, cancel)  # type: ignore[arg-type]
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    # The file server's copy changed validator (a re-upload with the same content): If-Range
    # no longer matches, so the server sends the whole file and the partial is rewritten.
    side = partial.with_name(partial.name + resumable.VALIDATOR_SUFFIX)
    side.write_text('{"validator": "\\"an-older-version\\""}')
    path = hub.download_file(REPO, NAME, tmp_path)
    get = fake_hub.gets()[-1]
    assert get.headers["If-Range"] == '"an-older-version"' and get.status == 200
    assert path.read_bytes() == DATA


def test_bytes_that_do_not_match_the_checksum_are_refused_and_deleted(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    corrupt = bytearray(DATA)
    corrupt[5_000_000] ^= 0xFF
    fake_hub.served_instead[(REPO, NAME)] = bytes(corrupt)
    with pytest.raises(resumable.DownloadCorruptError) as info:
        hub.download_file(REPO, NAME, tmp_path)
    message = str(info.value)
    assert message.count(". ") == 0 and message.endswith(".") and NAME in message
    assert "checksum" in message and "deleted" in message
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    assert not partial.exists() and hub.cached_file(REPO, NAME, tmp_path) is None
    del fake_hub.served_instead[(REPO, NAME)]
    assert hub.download_file(REPO, NAME, tmp_path).read_bytes() == DATA  # a new try is clean


def test_a_partial_longer_than_the_file_is_not_trusted(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    partial = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME))
    partial.parent.mkdir(parents=True)
    partial.write_bytes(DATA + b"extra")
    assert hub.download_file(REPO, NAME, tmp_path).read_bytes() == DATA
    assert "Range" not in fake_hub.gets()[-1].headers


def test_a_small_git_file_is_checked_by_its_blob_id(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_hub.files[(REPO, "config.json")] = SMALL
    git_id = hashlib.sha1(b"blob %d\0" % len(SMALL) + SMALL).hexdigest()
    monkeypatch.setattr(FakeHub, "sha", lambda self, r, f: (
        git_id if f == "config.json" else hashlib.sha256(self.files[(r, f)]).hexdigest()))
    path = hub.download_file(REPO, "config.json", tmp_path)
    assert path.read_bytes() == SMALL and path.resolve().name == git_id
    fake_hub.served_instead[(REPO, "config.json")] = SMALL.replace(b"test", b"tset")
    (path.resolve()).unlink()
    path.unlink()
    with pytest.raises(resumable.DownloadCorruptError):
        hub.download_file(REPO, "config.json", tmp_path)


def test_a_file_the_hub_lacks_raises_the_hub_clients_not_found(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    from huggingface_hub.errors import EntryNotFoundError, RemoteEntryNotFoundError

    with pytest.raises(RemoteEntryNotFoundError) as info:
        hub.download_file(REPO, "open_clip_pytorch_model.bin", tmp_path)
    assert isinstance(info.value, EntryNotFoundError)  # what core.models.assets catches
    assert fake_hub.gets() == []


def test_download_weights_resumes_through_the_real_path(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """core.models.download fetches weights via the resumable path; its errors stay one
    sentence (a corrupt file says so instead of 'DownloadCorruptError')."""
    import open_clip.pretrained

    from core.errors import ModelUnavailableError
    from core.models.download import cached_weights, download_weights
    from core.models.names import parse_model_name

    monkeypatch.setitem(open_clip.pretrained._PRETRAINED, "test-tiny",
                        {"tiny": open_clip.pretrained._pcfg(hf_hub=f"{REPO}/")})
    monkeypatch.setattr(hub, "check_reachable", lambda timeout=3.0: None)
    fake_hub.files[(REPO, NAME)] = DATA
    spec = parse_model_name("test-tiny:tiny")
    fake_hub.served_instead[(REPO, NAME)] = DATA[::-1]
    with pytest.raises(ModelUnavailableError) as info:
        download_weights(spec, tmp_path)
    assert "does not match the model hub's checksum" in str(info.value)
    del fake_hub.served_instead[(REPO, NAME)]
    cancel, _seen, progress = _cancel_after(4 * resumable.CHUNK_BYTES)
    with pytest.raises(Cancelled):
        download_weights(spec, tmp_path, progress, cancel)  # type: ignore[arg-type]
    kept = resumable.partial_path(tmp_path, REPO, fake_hub.sha(REPO, NAME)).stat().st_size
    assert kept >= 4 * resumable.CHUNK_BYTES
    found = download_weights(spec, tmp_path)
    assert found.read_bytes() == DATA and cached_weights(spec, tmp_path) == found
    assert fake_hub.gets()[-1].headers["Range"] == f"bytes={kept}-"


def test_a_full_disk_says_so_in_one_sentence(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from core.errors import ModelUnavailableError

    def no_space(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(resumable, "_fetch_rest", no_space)
    with pytest.raises(ModelUnavailableError) as info:
        hub.download_file(REPO, NAME, tmp_path)
    assert "is full" in str(info.value) and str(info.value).count(". ") == 0


def test_partials_untouched_for_weeks_are_forgotten_and_recent_ones_kept(tmp_path: Path) -> None:
    import os
    import time

    old = resumable.partial_path(tmp_path, "owner/given-up", "a" * 64)
    recent = resumable.partial_path(tmp_path, "owner/in-progress", "b" * 64)
    for partial in (old, recent):
        partial.parent.mkdir(parents=True)
        partial.write_bytes(b"some bytes")
        partial.with_name(partial.name + resumable.VALIDATOR_SUFFIX).write_text("{}")
    weeks_ago = time.time() - 30 * 86400
    os.utime(old, (weeks_ago, weeks_ago))
    assert resumable.forget_stale_partials(tmp_path) == 1
    assert not old.exists() and not old.with_name(old.name + resumable.VALIDATOR_SUFFIX).exists()
    assert recent.exists()


def test_two_downloads_of_one_file_at_once_take_turns(fake_hub: FakeHub, tmp_path: Path) -> None:
    """The window and `photoseek watch` fetching the same file: one writes while the other
    waits, then finds the verified file and only links it (no second download)."""
    cancel, _seen, progress = _cancel_after(resumable.CHUNK_BYTES)
    with pytest.raises(Cancelled):  # a partial to resume, as after an earlier try
        hub.download_file(REPO, NAME, tmp_path, progress, cancel)  # type: ignore[arg-type]
    results: list[object] = []

    def fetch() -> None:
        try:
            results.append(hub.download_file(REPO, NAME, tmp_path).read_bytes())
        except Exception as exc:  # noqa: BLE001 - the test reports it
            results.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [DATA, DATA]
    assert len(fake_hub.gets()) == 2  # the cancelled try and one resume, not two


def test_a_file_already_on_the_disk_is_linked_not_downloaded_again(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    import shutil

    path = hub.download_file(REPO, NAME, tmp_path)
    gets = len(fake_hub.gets())
    shutil.rmtree(resumable.repo_folder(tmp_path, REPO) / "snapshots")  # e.g. another commit
    again = hub.download_file(REPO, NAME, tmp_path)
    assert again == path and again.read_bytes() == DATA
    assert len(fake_hub.gets()) == gets
