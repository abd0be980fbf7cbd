"""The model hub: the one place PhotoSeek reaches the network, shared by weights and assets.

Files land in the hub's own cache layout under the data folder's models dir
(``models--OWNER--NAME/snapshots/<commit>/FILE``), so a file is found offline exactly where a
download put it, and a download reports bytes and honours a cancel. PhotoSeek fetches the bytes
itself (core.models.resumable) rather than through hf_hub_download, which (huggingface_hub 2.x)
drops the partial file when a download is cancelled or its process ends: here the partial stays
in the models dir and the next try resumes it, and the finished file is checked against the
hub's checksum.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from core.errors import Cancelled

Progress = Callable[[int, int], None]


def check_reachable(timeout: float = 3.0) -> None:
    """Fail in seconds, not minutes: the hub client retries a dead network for ~25 s."""
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    host = url.hostname or "huggingface.co"
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise ConnectionError(f"{host} is unreachable: {exc}") from exc


def cached_file(repo_id: str, filename: str, cache_dir: Path) -> Path | None:
    """The file if an earlier download left it in the cache; reads the disk only."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(repo_id, filename, cache_dir=cache_dir)
    except Exception:  # a malformed repo id or an unreadable cache: not cached
        return None
    if isinstance(found, str) and Path(found).is_file():
        return Path(found)
    return None


def download_file(
    repo_id: str,
    filename: str,
    cache_dir: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    offset: int = 0,
) -> Path:
    """Download one file into the cache, resuming what an earlier try left, and verify it.

    Raises the hub's errors (RemoteEntryNotFoundError for a missing file), Cancelled (the
    partial stays for the next try) and resumable.DownloadCorruptError (the partial is gone).
    """
    from core.models import resumable

    if cancel is not None and cancel.is_set():
        raise Cancelled("Model download cancelled.")
    return resumable.download(repo_id, filename, Path(cache_dir), progress, cancel, offset)
