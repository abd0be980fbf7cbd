"""Which backend runs a model, and making the prepared (ONNX int8) copy.

On a CPU a model runs on onnxruntime once its prepared copy exists in the data folder (see
core.models.onnx_package); until then, and on GPUs, it runs on torch. The copy is made in the
background after the first indexing run (``Library.prepare_model``), so the first search is
never held up by it, and every later start skips torch altogether.

``PHOTOSEEK_BACKEND=torch`` keeps a model on torch; ``=onnx`` prepares even the tiny test
model (tests of the prepared path use it). ``PHOTOSEEK_IMAGE_PRECISION=fp32`` (benchmarks'
fp32 baseline) means torch in fp32.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import Cancelled
from core.models.identity import model_identity_of
from core.models.names import RANDOM_PREFIX, TEST_TINY
from core.models.onnx_package import (
    known_failure,
    known_without_gpu,
    package_dir,
    read_package,
    remember_failure,
)

if TYPE_CHECKING:
    from core.models.embedder import Embedder

log = logging.getLogger(__name__)

BACKEND_ENV = "PHOTOSEEK_BACKEND"
PRECISION_ENV = "PHOTOSEEK_IMAGE_PRECISION"


def _backend_choice() -> str:
    if os.environ.get(PRECISION_ENV, "").lower() == "fp32":
        return "torch"
    return os.environ.get(BACKEND_ENV, "auto").lower()


def _on_cpu(device: str | None, models_dir: Path) -> bool:
    wanted = (device or "auto").lower()
    return wanted == "cpu" or (wanted == "auto" and known_without_gpu(models_dir))


def prepared_embedder(name: str, models_dir: Path, device: str | None) -> Embedder | None:
    """The prepared copy of model ``name`` (canonical) when it exists and the model is to run
    on the CPU. Neither torch nor open_clip is imported: not even to parse the name."""
    if _backend_choice() == "torch" or not _on_cpu(device, models_dir):
        return None
    identity = model_identity_of(name)
    manifest = read_package(models_dir, identity)
    if manifest is None:
        return None
    try:
        from core.models.onnx_embedder import OnnxEmbedder
    except ImportError as exc:  # onnxruntime missing: torch serves
        log.info("prepared model not used: %s", exc)
        return None
    return OnnxEmbedder(manifest, package_dir(models_dir, identity))


def might_prepare(name: str, device: str | None) -> bool:
    """Whether a model of this name on this device is ever prepared (checked without loading
    it): not on a GPU asked for by name, not when torch is asked for, and not the tiny test
    model unless asked (preparing it in every test's data folder would cost the suite minutes).
    """
    choice = _backend_choice()
    if choice == "torch" or (device or "auto").lower() not in ("auto", "cpu"):
        return False
    head, _, rest = name.partition(":")
    arch = rest if head == RANDOM_PREFIX else head
    return choice == "onnx" or arch != TEST_TINY


def wants_prepared(embedder: Embedder, models_dir: Path) -> bool:
    """Whether a copy of this loaded model should be prepared: it runs on torch on the CPU, and
    this version of PhotoSeek did not fail to prepare it before."""
    return (embedder.backend == "torch" and embedder.device == "cpu"
            and might_prepare(embedder.name, "cpu")
            and known_failure(models_dir, model_identity_of(embedder.name), _version()) is None)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("photoseek")
    except PackageNotFoundError:
        return "unknown"


def prepare(
    embedder: Embedder,
    models_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Embedder:
    """Make the prepared copy of a torch model and return the embedder that uses it."""
    from core.models.onnx_embedder import OnnxEmbedder
    from core.models.onnx_export import prepare_package
    from core.models.torch_embedder import TorchEmbedder

    assert isinstance(embedder, TorchEmbedder)
    identity = model_identity_of(embedder.name)
    try:
        manifest = prepare_package(embedder, identity, models_dir, progress, cancel)
    except (Cancelled, OSError):  # stopped, or a full disk: worth trying again later
        raise
    except Exception as exc:  # the exporter or the checks refused this model: stay on torch
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        remember_failure(models_dir, identity, reason, _version())
        raise NotPrepared(f"{embedder.name} stays on torch ({reason})") from exc
    return OnnxEmbedder(manifest, package_dir(models_dir, identity))


class NotPrepared(Exception):
    """A model that cannot be prepared; it keeps running on torch."""
