"""Fetching open_clip pretrained weights from the model hub: the only network PhotoSeek uses.

Cached weights are found without touching the network; a dead network fails in seconds with a
message that says what to do; downloads report progress, can be cancelled, resume where an
earlier try stopped (even in an earlier process) and are checked against the hub's checksum
(core.models.resumable).
What a model needs besides weights (tokenizer files, a text tower's config: core.models.assets)
is fetched in the same download, so a model that was downloaded loads offline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import Cancelled, ModelUnavailableError
from core.models import assets, hub

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


def _cached_weights_file(spec: ModelSpec, cache_dir: Path) -> Path | None:
    repo_id, names = _hf_candidates(spec)
    for filename in names:
        found = hub.cached_file(repo_id, filename, Path(cache_dir))
        if found is not None:
            return found
    return None


def cached_weights(spec: ModelSpec, cache_dir: Path) -> Path | None:
    """The weights file for a pretrained tag if it was downloaded before, together with every
    other file the model needs (None while any is missing); never touches the network."""
    found = _cached_weights_file(spec, cache_dir)
    if found is None or assets.missing_assets(spec.arch, cache_dir):
        return None
    return found


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
    hub.check_reachable(timeout)


def download_weights(
    spec: ModelSpec,
    cache_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Download (or find cached) weights for a pretrained tag, and the files the model needs
    besides them (core.models.assets); report (bytes done, bytes total) across all of them.

    Cancelling raises core.errors.Cancelled; files finished before it stay in the cache, and
    the one in progress resumes next time from the bytes already on the disk.
    """
    if spec.pretrained is None:
        raise ModelUnavailableError(f"{spec.name} has no weights to download.")
    assets.require_transformers(spec)
    found = _cached_weights_file(spec, cache_dir)
    if found is None:
        try:
            _check_reachable()
        except ConnectionError as exc:
            raise ModelUnavailableError(_offline_message(spec, str(exc))) from exc
        found = _download_weights_file(spec, cache_dir, progress, cancel)
    assets.fetch_assets(spec, cache_dir, progress, cancel, offset=found.stat().st_size)
    return found


def _download_weights_file(
    spec: ModelSpec,
    cache_dir: Path,
    progress: Callable[[int, int], None] | None,
    cancel: threading.Event | None,
) -> Path:
    from huggingface_hub.errors import RemoteEntryNotFoundError

    repo_id, names = _hf_candidates(spec)
    last: Exception | None = None
    for filename in names:
        try:
            return hub.download_file(repo_id, filename, cache_dir, progress, cancel)
        except (Cancelled, ModelUnavailableError):  # ModelUnavailable: already one sentence
            raise
        except RemoteEntryNotFoundError as exc:  # 404: try the next file name
            last = exc
        except Exception as exc:
            raise ModelUnavailableError(_offline_message(spec, type(exc).__name__)) from exc
    raise ModelUnavailableError(_offline_message(spec, f"no weights file found: {last}"))


def model_choice_needed(saved_model: str, library_model: str, cache_dir: Path) -> bool:
    """Whether a start should ask which model to download: nobody named one (no saved choice,
    no --model or PHOTOSEEK_MODEL: the library got the default) and the default's weights are
    not on the disk. A question left unanswered is asked again at the next start: its answer
    is a download of over a gigabyte. Reads a folder listing only (no open_clip, no torch)."""
    from core.models.names import DEFAULT_MODEL, model_info

    if saved_model or library_model != DEFAULT_MODEL:
        return False
    info = model_info(DEFAULT_MODEL)
    if info is None or not info.hub_repo:
        return False
    snapshots = Path(cache_dir) / ("models--" + info.hub_repo.replace("/", "--")) / "snapshots"
    return not any(snapshots.glob("*/open_clip_*"))  # open_clip's weights file names
