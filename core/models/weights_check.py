"""Which architecture a weights file holds, and whether it fits the one asked for.

Offline, a user picks a weights file and PhotoSeek must know which open_clip architecture to
build for it. The keys alone do not tell (ViT-B-32 and ViT-B-16 share every key name); the keys
*and* tensor shapes do. Each candidate architecture's signature (key -> shape) is taken from the
model built on torch's meta device, where no memory is allocated, and cached per process.

Every answer about a file that does not fit is one sentence for a person, never a key list.
Slow (seconds: imports, building the candidates): call it off the GUI thread.
"""

from __future__ import annotations

import json
import logging
import struct
import threading
import zipfile
from pathlib import Path
from typing import Any

from core.errors import ModelUnavailableError
from core.models.names import KNOWN_MODELS, TEST_TINY, register_test_tiny

log = logging.getLogger(__name__)

Shapes = dict[str, tuple[int, ...]]

# Architectures commonly shared as CLIP weights files, besides the ones PhotoSeek offers.
# quickgelu variants are left out: their weights are identical to the plain ones.
COMMON_ARCHS = (
    "ViT-B-32", "ViT-B-16", "ViT-L-14", "ViT-L-14-336", "ViT-B-32-256", "RN50",
    "ViT-B-16-SigLIP", "ViT-B-16-SigLIP2-256", "ViT-SO400M-14-SigLIP",
)
# Keys open_clip resizes on load (loading._apply_state_dict): only their width must agree.
_RESIZED = ("visual.positional_embedding",)
HF_TEXT = "text.transformer.embeddings."  # where a Hugging Face text tower's keys start
NOT_CLIP = "This is not a CLIP weights file: it has no image and text towers."
_TINY_TEXT = {"width": 64, "heads": 1, "layers": 1, "vocab_size": 16, "context_length": 4}

_signatures: dict[str, tuple[Shapes, bool]] = {}
_lock = threading.Lock()


def candidate_archs() -> list[str]:
    """Architectures tried by detect_architecture: the offered models', common ones, test-tiny."""
    offered = [m.name.partition(":")[0] for m in KNOWN_MODELS]
    return list(dict.fromkeys([*offered, *COMMON_ARCHS, TEST_TINY]))


# --------------------------------------------------------------------------- the file


def read_shapes(path: Path) -> Shapes:
    """Key -> shape of the tensors in a weights file, or ModelUnavailableError in one sentence.

    A .safetensors file is read from its header only (a 1 GB file in milliseconds, nothing
    loaded); other files go through loading.read_state_dict (torch.load, weights_only).
    """
    path = Path(path)
    if not path.is_file():
        raise ModelUnavailableError("The file is gone or is not a file.")
    try:
        empty = path.stat().st_size == 0
    except OSError as exc:
        raise ModelUnavailableError(f"The file cannot be read ({exc.strerror}).") from exc
    if empty:
        raise ModelUnavailableError("The file is empty.")
    try:
        if path.suffix.lower() == ".safetensors":
            shapes = _safetensors_shapes(path)
        else:
            from core.models.loading import read_state_dict

            state = read_state_dict(path)
            shapes = {k: tuple(int(n) for n in v.shape) for k, v in state.items()}
    except ModelUnavailableError as exc:
        raise ModelUnavailableError(_why_unreadable(path)) from exc
    except OSError as exc:
        raise ModelUnavailableError(
            f"The file cannot be read ({exc.strerror or type(exc).__name__})."
        ) from exc
    if not shapes:
        raise ModelUnavailableError("The file holds no weights.")
    if all(k.startswith("module.") for k in shapes):  # saved from DataParallel/DDP
        shapes = {k[len("module."):]: v for k, v in shapes.items()}
    return shapes


def _safetensors_shapes(path: Path) -> Shapes:
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            names = handle.keys()  # the header's list (the handle itself is not iterable)
            return {k: tuple(handle.get_slice(k).get_shape()) for k in names}
    except OSError:
        raise
    except Exception as exc:  # SafetensorError: a bad header or a short file
        raise ModelUnavailableError(str(exc)) from exc


def _why_unreadable(path: Path) -> str:
    """One sentence on why a weights file could not be read: cut short, or not weights at all."""
    head = b""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
            if path.suffix.lower() == ".safetensors" and len(head) == 8:
                (header_len,) = struct.unpack("<Q", head)
                if 2 <= header_len <= 100_000_000 and 8 + header_len > size:
                    return "The file is cut short: it ends inside its list of weights."
                if 2 <= header_len <= 100_000_000:
                    header = json.loads(handle.read(header_len).decode("utf-8"))
                    ends = [int(v["data_offsets"][1]) for k, v in header.items()
                            if k != "__metadata__"]
                    if 8 + header_len + max(ends, default=0) > size:
                        return "The file is cut short: it ends before its weights do."
    except (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        pass  # not a safetensors header: said below
    if head[:2] == b"PK":  # torch.save's zip format, whose directory sits at the end
        if not zipfile.is_zipfile(path):
            return "The file is cut short or damaged: its end is missing."
        return ("The file holds more than a plain state dict of weights; PhotoSeek never "
                "runs pickled code.")
    return "This is not a weights file PhotoSeek can read."


def _as_open_clip(shapes: Shapes, signature: Shapes) -> Shapes:
    """The renaming open_clip applies on load: a CLIP-style text tower into ``text.*`` when the
    architecture keeps its text tower there."""
    if "positional_embedding" in shapes and "positional_embedding" not in signature:
        from open_clip.factory import convert_to_custom_text_state_dict

        return convert_to_custom_text_state_dict(dict(shapes))
    return shapes


def looks_like_clip(shapes: Shapes) -> bool:
    """An image tower and a text tower, in open_clip's naming."""
    has_image = any(k.startswith("visual.") for k in shapes)
    has_text = any(k.startswith(("text.", "transformer.", "token_embedding")) for k in shapes)
    return has_image and has_text


# --------------------------------------------------------------------------- signatures


def signature(arch: str) -> tuple[Shapes, bool]:
    """(key -> shape, complete) of ``arch``, built on the meta device and cached.

    ``complete`` is False for an architecture whose text tower is a Hugging Face model: its
    config would come from the network, so only the image tower is compared and the file must
    simply have a ``text.`` tower.
    """
    with _lock:
        if arch not in _signatures:
            _signatures[arch] = _build_signature(arch)
        return _signatures[arch]


def _build_signature(arch: str) -> tuple[Shapes, bool]:
    import open_clip
    import torch

    from core.models.loading import _DropNoWeightsWarning

    register_test_tiny()
    config = open_clip.get_model_config(arch)
    if config is None:
        raise ModelUnavailableError(f"Unknown model architecture '{arch}'.")
    kwargs: dict[str, Any] = {}
    complete = "hf_model_name" not in config.get("text_cfg", {})
    if not complete:  # any small CLIP text tower: its keys are dropped below
        kwargs = {"text_cfg": dict(_TINY_TEXT), "pretrained_text": False}
    quiet = _DropNoWeightsWarning()
    logging.getLogger().addFilter(quiet)
    try:
        with torch.device("meta"):
            model = open_clip.create_model(
                arch, pretrained=None, load_weights=False, device="meta", **kwargs
            )
    finally:
        logging.getLogger().removeFilter(quiet)
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    if not complete:
        shapes = {k: v for k, v in shapes.items() if k.startswith("visual.")}
    return shapes, complete


def _misfits(shapes: Shapes, arch: str, exact: bool = False) -> tuple[int, int, int]:
    """(missing, unexpected, other shape) counts of ``shapes`` against ``arch``. ``exact``
    refuses even what loading would resize (detection wants the architecture saved, not one
    the file could be stretched into)."""
    sig, complete = signature(arch)
    shapes = _as_open_clip(shapes, sig)
    missing = sum(1 for k in sig if k not in shapes)
    if complete:
        unexpected = sum(1 for k in shapes if k not in sig)
    else:
        unexpected = sum(1 for k in shapes if k.startswith("visual.") and k not in sig)
        # A Hugging Face text tower, not CLIP's own (which a plain ViT-B-32 file has).
        missing += 0 if any(k.startswith(HF_TEXT) for k in shapes) else 1
    wrong = sum(1 for k, want in sig.items()
                if k in shapes and not _same(k, shapes[k], want, exact))
    return missing, unexpected, wrong


def _same(key: str, got: tuple[int, ...], want: tuple[int, ...], exact: bool) -> bool:
    if got == want:
        return True
    if exact:
        return False
    if key == "logit_scale":  # a scalar or a 1-element vector: loading reshapes it
        return _numel(got) == _numel(want) == 1
    if key in _RESIZED:  # interpolated to the image size on load: only the width must agree
        return len(got) == len(want) and got[-1] == want[-1]
    return False


def _numel(shape: tuple[int, ...]) -> int:
    total = 1
    for n in shape:
        total *= n
    return total


def fits(shapes: Shapes, arch: str, exact: bool = True) -> bool:
    """Whether weights of these shapes are ``arch``'s (exact), or would load into it."""
    return _misfits(shapes, arch, exact) == (0, 0, 0)


# --------------------------------------------------------------------------- public


def detect_architecture(path: Path, candidates: list[str] | None = None) -> list[str]:
    """The candidate architectures whose keys and shapes the file fits (often one; several for
    architectures that differ only in activation; none for an architecture not tried here).

    Raises ModelUnavailableError, in one sentence, when the file cannot be read as weights or
    holds no CLIP model (then no architecture could fit it).
    """
    shapes = read_shapes(Path(path))
    if not looks_like_clip(shapes):
        raise ModelUnavailableError(NOT_CLIP)
    return [arch for arch in candidates or candidate_archs() if _fits_quietly(shapes, arch)]


def all_archs() -> list[str]:
    """Every architecture to offer when the file does not say: the candidates first."""
    import open_clip

    register_test_tiny()
    return list(dict.fromkeys([*candidate_archs(), *open_clip.list_models()]))


def _fits_quietly(shapes: Shapes, arch: str) -> bool:
    try:
        return fits(shapes, arch)
    except Exception as exc:  # an architecture this open_clip cannot build: not a match
        log.info("cannot build %s to compare weights: %s", arch, exc)
        return False


def check_weights(path: Path, arch: str) -> str | None:
    """None when the file's weights fit ``arch``; else one sentence saying what is wrong."""
    try:
        shapes = read_shapes(Path(path))
    except ModelUnavailableError as exc:
        return str(exc)
    if not looks_like_clip(shapes):
        return NOT_CLIP
    try:
        missing, unexpected, wrong = _misfits(shapes, arch)
    except ModelUnavailableError as exc:
        return str(exc)
    except Exception as exc:  # open_clip could not build the architecture
        return f"PhotoSeek cannot build {arch} here ({type(exc).__name__})."
    if (missing, unexpected, wrong) == (0, 0, 0):
        return None
    others = [a for a in candidate_archs() if a != arch]
    holds = [a for a in others if _fits_quietly(shapes, a)]
    if holds:
        return f"This file holds a {' or '.join(holds)} model, not {arch}."
    parts = [f"{n} {what}" for n, what in ((missing, "missing"), (unexpected, "extra"),
                                           (wrong, "of another shape")) if n]
    return (f"This file does not fit {arch} or any other architecture PhotoSeek knows "
            f"(weights {', '.join(parts)}).")
