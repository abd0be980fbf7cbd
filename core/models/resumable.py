"""A hub file downloaded so that an interrupted download resumes, then verified.

huggingface_hub 2.x deletes its partial file when a download is cancelled or its process ends,
so a 1.5 GB model over a slow line could never finish. Here the bytes go to
``blobs/<etag>.incomplete`` in the hub's cache layout (in the data folder's models dir) and stay
there across cancels, crashes and restarts; the next try asks only for the rest
(``Range: bytes=N-``, with ``If-Range`` carrying the validator the file server gave, so a file
that changed meanwhile comes back whole and the download starts over).

The partial is named after the hub's etag, which for an LFS file is its sha256: a file changed
on the hub has a new etag and so a new partial, never a mix of two versions. At the end the
size and the checksum (sha256 for LFS files, git's blob sha1 for small ones) are checked; a
mismatch deletes the partial and says so in one sentence. The verified file is put where the
hub client would have put it (blobs/<etag>, snapshots/<commit>/<file>, refs/main), so
``hub.cached_file`` and everything that loads models find it unchanged.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import json
import logging
import os
import re
import shutil
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from core.errors import Cancelled, ModelUnavailableError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

CHUNK_BYTES = 1 << 20  # progress and cancel are checked this often
READ_TIMEOUT_S = 30.0  # a stalled connection fails (and keeps its partial) instead of hanging
RETRIES = 3  # a dropped connection is resumed this many times within one call
PARTIAL_SUFFIX = ".incomplete"
STALE_PARTIAL_DAYS = 14.0  # a partial download untouched this long was given up
VALIDATOR_SUFFIX = ".validator.json"  # the file server's ETag / Last-Modified, for If-Range
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")


class DownloadCorruptError(ModelUnavailableError):
    """The downloaded bytes are not the hub's file; the partial was deleted."""


@dataclass(frozen=True)
class RemoteFile:
    """What the hub says about one file before it is fetched."""

    url: str
    etag: str  # sha256 for LFS files, git blob sha1 otherwise
    commit: str
    size: int


def repo_folder(cache_dir: Path, repo_id: str) -> Path:
    """The hub cache's folder of a model repo (``models--OWNER--NAME``)."""
    return Path(cache_dir) / ("models--" + repo_id.replace("/", "--"))


def partial_path(cache_dir: Path, repo_id: str, etag: str) -> Path:
    return repo_folder(cache_dir, repo_id) / "blobs" / f"{etag}{PARTIAL_SUFFIX}"


def forget_stale_partials(cache_dir: Path, max_age_days: float = STALE_PARTIAL_DAYS) -> int:
    """Delete the partial downloads nobody has added to for ``max_age_days`` (a model chosen
    and then given up for another); returns how many. A recent one is kept: its download may
    be resumed at the next start."""
    cutoff = time.time() - max_age_days * 86400
    gone = 0
    for partial in Path(cache_dir).glob(f"models--*/blobs/*{PARTIAL_SUFFIX}"):
        try:
            if partial.stat().st_mtime < cutoff:
                partial.unlink()
                partial.with_name(partial.name + VALIDATOR_SUFFIX).unlink(missing_ok=True)
                gone += 1
        except OSError as exc:  # vanished meanwhile, or read-only: nothing to do now
            log.debug("partial %s left: %s", partial, exc)
    return gone


def resolve_url(repo_id: str, filename: str, revision: str = "main") -> str:
    """``{endpoint}/{repo}/resolve/{revision}/{file}``; HF_ENDPOINT decides the host (read at
    each call, so a changed ``huggingface_hub.constants.ENDPOINT`` is followed)."""
    from huggingface_hub import constants

    return (f"{constants.ENDPOINT.rstrip('/')}/{repo_id}/resolve/{quote(revision, safe='')}/"
            f"{quote(filename)}")


def remote_file(repo_id: str, filename: str, revision: str = "main") -> RemoteFile:
    """HEAD the file on the hub: its etag (sha256 of an LFS file), size and commit. Raises the
    hub client's errors (RemoteEntryNotFoundError for a 404, as hf_hub_download did)."""
    from huggingface_hub import get_hf_file_metadata

    url = resolve_url(repo_id, filename, revision)
    meta = get_hf_file_metadata(url, timeout=10)
    etag = (meta.etag or "").strip('"').lower()
    if not meta.commit_hash or not etag or meta.size is None:
        raise ModelUnavailableError(
            f"The model hub did not describe {filename} fully (no commit, checksum or size), "
            "so it cannot be downloaded safely; try again later."
        )
    # The bytes are asked of the commit just described, not of "main": a repo that changes
    # between the two requests must not hand over another version.
    return RemoteFile(url=resolve_url(repo_id, filename, meta.commit_hash), etag=etag,
                      commit=meta.commit_hash, size=int(meta.size))


def download(
    repo_id: str,
    filename: str,
    cache_dir: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    offset: int = 0,
    retries: int = RETRIES,
) -> Path:
    """Download one hub file into the cache, resuming a partial one; returns the snapshot path.

    progress gets (offset + bytes on the disk, offset + file size): resumed bytes count as done.
    Cancel raises Cancelled and keeps the partial for the next try, as does any failure of the
    connection; a file that does not match the hub's size and checksum raises
    DownloadCorruptError after deleting the partial.
    """
    from filelock import FileLock

    _check(cancel)
    remote = remote_file(repo_id, filename)
    partial = partial_path(cache_dir, repo_id, remote.etag)
    partial.parent.mkdir(parents=True, exist_ok=True)
    # One writer per file: the window and `photoseek watch` (or a restart's overlap) may fetch
    # the same file at once, and two appenders would ruin each other's partial.
    with FileLock(str(partial) + ".lock"):
        blob = partial.with_name(remote.etag)
        if blob.is_file() and blob.stat().st_size == remote.size:  # another commit has it
            return _place(remote, None, cache_dir, repo_id, filename)
        _fetch_verified(remote, partial, filename, cache_dir, progress, cancel, offset, retries)
        return _place(remote, partial, cache_dir, repo_id, filename)


def _fetch_verified(
    remote: RemoteFile,
    partial: Path,
    filename: str,
    cache_dir: Path,
    progress: Progress | None,
    cancel: threading.Event | None,
    offset: int,
    retries: int,
) -> None:
    """The whole file in ``partial``, checked; a broken connection resumes ``retries`` times."""
    attempt = 0
    while True:
        try:
            _fetch_rest(remote, partial, progress, cancel, offset)
            break
        except (ConnectionError, TimeoutError, http.client.HTTPException,
                urllib.error.URLError) as exc:
            # A refused answer (404, 403) or a full disk is not helped by trying again.
            if isinstance(exc, urllib.error.HTTPError) or attempt >= retries:
                raise
            attempt += 1
            log.info("download of %s broke (%s); resuming (try %d)", filename, exc, attempt)
            _pause(min(2.0 * attempt, 5.0), cancel)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise ModelUnavailableError(
                    f"The disk holding {Path(cache_dir)} is full, so {filename} cannot be "
                    "downloaded; free some space and try again (the download resumes)."
                ) from exc
            raise
    _verify(remote, partial, filename)


def _pause(seconds: float, cancel: threading.Event | None) -> None:
    """Wait before resuming a broken connection; a cancel meanwhile ends the wait."""
    if cancel is None:
        time.sleep(seconds)
    else:
        cancel.wait(seconds)
    _check(cancel)


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("Model download cancelled.")


def _fetch_rest(
    remote: RemoteFile,
    partial: Path,
    progress: Progress | None,
    cancel: threading.Event | None,
    offset: int,
) -> None:
    """Append what the partial lacks; start over when the server sends the whole file."""
    have = partial.stat().st_size if partial.exists() else 0
    if have > remote.size:  # not this file (or damaged): nothing in it can be trusted
        _discard(partial)
        have = 0
    if have == remote.size:
        return
    from huggingface_hub.utils import build_hf_headers

    # No token: the models offered are public, and urllib would forward it to the CDN.
    headers = dict(build_hf_headers(token=False))
    headers["Accept-Encoding"] = "identity"  # byte offsets must be those of the file
    validator = _read_validator(partial) if have else None
    if have:
        headers["Range"] = f"bytes={have}-"
        if validator:
            headers["If-Range"] = validator
    request = urllib.request.Request(remote.url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=READ_TIMEOUT_S,
                                          context=_tls_context())
    except urllib.error.HTTPError as exc:
        if exc.code == 416:  # the partial does not fit what the server has: start over
            exc.close()
            _discard(partial)
            return _fetch_rest(remote, partial, progress, cancel, offset)
        raise
    with response:
        if have and (response.status != 206 or _range_start(response.headers) != have):
            have = 0  # no range support, or the file changed: the whole file follows
            if response.status == 206:  # a range we did not ask for: ask for all of it
                _discard(partial)
                raise ConnectionError("the server sent another range than the one asked for")
        _write_validator(partial, response.headers)
        mode = "ab" if have else "wb"
        with open(partial, mode) as out:
            if progress is not None:
                progress(offset + have, offset + remote.size)
            # read1: what has arrived (up to CHUNK_BYTES), so that progress and a cancel are
            # seen within a moment even on a slow line, where a full MiB takes seconds.
            while chunk := response.read1(CHUNK_BYTES):
                out.write(chunk)
                have += len(chunk)
                if progress is not None:
                    progress(offset + have, offset + remote.size)
                _check(cancel)  # the chunk is on the disk: a cancel keeps it
    if have < remote.size:
        raise ConnectionError(f"the connection closed after {have} of {remote.size} bytes")
    return None


def _tls_context() -> ssl.SSLContext:
    """certifi's authorities (as the hub client uses): a bundled OpenSSL looks for the system's
    in the folder of the machine it was built on, which other Linux distributions lack."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _range_start(headers: http.client.HTTPMessage) -> int | None:
    """N of ``Content-Range: bytes N-M/T``."""
    match = re.match(r"bytes\s+(\d+)-", headers.get("Content-Range") or "")
    return int(match.group(1)) if match else None


def _read_validator(partial: Path) -> str | None:
    try:
        data = json.loads(partial.with_name(partial.name + VALIDATOR_SUFFIX).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("validator") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def _write_validator(partial: Path, headers: object) -> None:
    """Keep the serving file's strong ETag (else Last-Modified): If-Range must carry the
    validator of the server that sends the bytes, which behind the hub's redirect is a CDN."""
    get = getattr(headers, "get", None)
    etag = get("ETag") if get else None
    value = etag if etag and not etag.startswith("W/") else (get("Last-Modified") if get else None)
    side = partial.with_name(partial.name + VALIDATOR_SUFFIX)
    try:
        if value:
            side.write_text(json.dumps({"validator": value}), "utf-8")
        else:
            side.unlink(missing_ok=True)
    except OSError as exc:  # without it a resume sends Range alone; the checksum still guards
        log.info("cannot keep the download's validator (%s)", exc)


def _discard(partial: Path) -> None:
    partial.unlink(missing_ok=True)
    partial.with_name(partial.name + VALIDATOR_SUFFIX).unlink(missing_ok=True)


def _verify(remote: RemoteFile, partial: Path, filename: str) -> None:
    size = partial.stat().st_size
    ok = size == remote.size
    if ok and _SHA256.match(remote.etag):
        ok = _digest(partial, hashlib.sha256()) == remote.etag
    elif ok and _SHA1.match(remote.etag):  # a small git file: its etag is git's blob id
        ok = _digest(partial, hashlib.sha1(f"blob {size}\0".encode())) == remote.etag
    if not ok:
        _discard(partial)
        raise DownloadCorruptError(
            f"The downloaded {filename} does not match the model hub's checksum, so it was "
            "deleted; download it again."
        )


def _digest(path: Path, hasher: hashlib._Hash) -> str:
    with open(path, "rb") as f:
        while block := f.read(CHUNK_BYTES * 4):
            hasher.update(block)
    return hasher.hexdigest()


def _place(remote: RemoteFile, partial: Path | None, cache_dir: Path, repo_id: str,
           filename: str) -> Path:
    """blobs/<etag> (the verified partial; None: the blob is there already),
    snapshots/<commit>/<file> pointing at it, refs/main: the hub's layout."""
    repo = repo_folder(cache_dir, repo_id)
    blob = repo / "blobs" / remote.etag
    if partial is not None:
        os.replace(partial, blob)
        partial.with_name(partial.name + VALIDATOR_SUFFIX).unlink(missing_ok=True)
    pointer = repo / "snapshots" / remote.commit / filename
    pointer.parent.mkdir(parents=True, exist_ok=True)
    if pointer.is_symlink() or pointer.exists():
        pointer.unlink()
    try:
        pointer.symlink_to(os.path.relpath(blob, pointer.parent))
    except OSError:  # no symlinks (Windows without developer mode): the hub client moves it
        shutil.move(str(blob), str(pointer))
    refs = repo / "refs"
    refs.mkdir(parents=True, exist_ok=True)
    (refs / "main").write_text(remote.commit, "utf-8")
    return pointer
