"""Fetching open_clip pretrained weights from the model hub: the only network PhotoSeek uses.

Cached weights are found without touching the network; a dead network fails in seconds with a
message that says what to do; downloads report progress and can be cancelled (and resumed).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from core.errors import Cancelled, ModelUnavailableError

if TYPE_CHECKING:
    from core.models.names import ModelSpec


def _hf_candidates(spec: ModelSpec) -> tuple[str, list[str]]:
    """The hub repo and file names open_clip would fetch for this tag, safetensors first."""
    import open_clip
    from open_clip.constants import HF_SAFE_WEIGHTS_NAME, HF_WEIGHTS_NAME

    cfg = open_clip.get_pretrained_cfg(spec.arch, spec.pretrained or "")
    hub = cfg.get("hf_hub", "")
    if not hub:
        raise ModelUnavailableError(
            f"{spec.name} is not published on the Hugging Face hub; download it yourself and "
            f"use '--model {spec.arch}:/path/file.safetensors'."
        )
    repo_id, filename = os.path.split(hub)
    filename = filename or HF_WEIGHTS_NAME
    names = []
    if filename == HF_WEIGHTS_NAME:
        names.append(HF_SAFE_WEIGHTS_NAME)
    elif filename.endswith((".bin", ".pth")):
        names.append(filename[:-4] + ".safetensors")
    names.append(filename)
    return repo_id, names


def cached_weights(spec: ModelSpec, cache_dir: Path) -> Path | None:
    """The weights file for a pretrained tag if it was downloaded before; never touches the net."""
    from huggingface_hub import hf_hub_download

    repo_id, names = _hf_candidates(spec)
    for filename in names:
        try:
            return Path(
                hf_hub_download(repo_id, filename, cache_dir=cache_dir, local_files_only=True)
            )
        except Exception:  # not cached under this name
            continue
    return None


def _offline_message(spec: ModelSpec, reason: str) -> str:
    from core.models.names import approx_download_mb

    mb = approx_download_mb(spec)
    size = f"about {mb} MB" if mb else "its weights"
    return (
        f"Model {spec.name} is not downloaded yet and cannot be fetched ({reason}). "
        f"Connect to the internet once to download {size}, or choose a local weights file "
        f"with '--model {spec.arch}:/path/file.safetensors'."
    )


def _check_reachable(timeout: float = 3.0) -> None:
    """Fail in seconds, not minutes: the hub client retries a dead network for ~25 s."""
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    host = url.hostname or "huggingface.co"
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise ConnectionError(f"{host} is unreachable: {exc}") from exc


def download_weights(
    spec: ModelSpec,
    cache_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Download (or find cached) weights for a pretrained tag; report (bytes done, bytes total).

    Cancelling raises core.errors.Cancelled; the partial file stays in the cache and the next
    call resumes it.
    """
    if spec.pretrained is None:
        raise ModelUnavailableError(f"{spec.name} has no weights to download.")
    found = cached_weights(spec, cache_dir)
    if found is not None:
        return found
    try:
        _check_reachable()
    except ConnectionError as exc:
        raise ModelUnavailableError(_offline_message(spec, str(exc))) from exc

    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import RemoteEntryNotFoundError
    from tqdm.auto import tqdm

    class _Progress(tqdm):
        """hf_hub_download reports bytes through a tqdm; forward them and honour cancel."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = True  # no console output from a library
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            if cancel is not None and cancel.is_set():
                raise Cancelled("Model download cancelled.")
            self.n += n or 0
            if progress is not None and self.total:
                progress(int(self.n), int(self.total))
            return None

    repo_id, names = _hf_candidates(spec)
    last: Exception | None = None
    for filename in names:
        try:
            path = hf_hub_download(
                repo_id, filename, cache_dir=cache_dir, etag_timeout=5, tqdm_class=_Progress
            )
            return Path(path)
        except Cancelled:
            raise
        except RemoteEntryNotFoundError as exc:  # 404: try the next file name
            last = exc
        except Exception as exc:
            raise ModelUnavailableError(_offline_message(spec, type(exc).__name__)) from exc
    raise ModelUnavailableError(_offline_message(spec, f"no weights file found: {last}"))
