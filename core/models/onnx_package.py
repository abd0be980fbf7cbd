"""A prepared model: its towers exported to ONNX (int8 where it keeps the vectors), a tokenizer
that needs no torch, and a manifest saying how to use them.

It lives in the data folder's models dir under the model's identity, so a library keeps its
prepared model as long as it keeps its vectors. Made once per model and computer by
core.models.onnx_export (which needs torch); read here without torch, which is what lets
``photoseek search`` answer from a cold start and ``photoseek index`` start embedding within
seconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.models.preprocessing import PixelSpec

log = logging.getLogger(__name__)

# Bump when the files or the manifest change meaning: older packages are then made again.
PACKAGE_VERSION = 1
MANIFEST = "manifest.json"
IMAGE_FILE = "image.onnx"
TEXT_FILE = "text.onnx"
TOKENIZER_FILE = "tokenizer.json"
PACKAGES_DIR = "prepared"
# Written where a model could not be prepared, so that it is not tried again at every idle
# moment (a new PhotoSeek version tries again: the exporter may have learned it).
FAILED_FILE = "not-prepared.json"
# What this computer has, learned when torch last looked: lets 'auto' pick the prepared
# CPU model without importing torch to ask whether a GPU exists.
DEVICES_FILE = "devices.json"


@dataclass(frozen=True)
class TextSpec:
    """How text becomes token ids for the exported text tower."""

    context_length: int
    # open_clip's cleaning: "lower" (CLIP), "whitespace" or "canonicalize" (SigLIP)
    clean: str
    # "clip": start and end tokens added here, 0-padded; "hf": the tokenizer file adds its own
    # special tokens, truncates and pads (its settings are saved in it). Ids always fill the
    # whole context: the exported graph has a fixed length (ONNX tracing fixes the attention's
    # sequence length), and an int8 text tower at full length costs a query ~15 ms.
    wrap: str
    bos_id: int | None = None
    eos_id: int | None = None
    pad_id: int = 0
    strip_sep_id: int | None = None  # open_clip's strip_sep_token: this id becomes 0


@dataclass(frozen=True)
class Manifest:
    version: int
    name: str
    identity: str
    dim: int
    pixels: PixelSpec
    text: TextSpec
    logit_scale: float | None
    logit_bias: float | None
    image_precision: str  # "int8" or "fp32"
    text_precision: str
    # What the check against the torch model measured when this package was made
    checks: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        data = asdict(self)
        data["pixels"] = self.pixels.as_dict()
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: dict[str, Any] = json.loads(text)
        data["pixels"] = PixelSpec.from_dict(data["pixels"])
        data["text"] = TextSpec(**data["text"])
        return cls(**data)


def package_dir(models_dir: Path, identity: str) -> Path:
    """The folder of ``identity``'s prepared model: readable, and unique per identity."""
    readable = "".join(c if c.isalnum() or c in "-_." else "_" for c in identity)[:60]
    digest = hashlib.blake2b(identity.encode(), digest_size=6).hexdigest()
    return Path(models_dir) / PACKAGES_DIR / f"{readable}-{digest}"


def read_package(models_dir: Path, identity: str) -> Manifest | None:
    """The manifest of a complete, current package for ``identity``; None otherwise."""
    folder = package_dir(models_dir, identity)
    try:
        manifest = Manifest.from_json((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("prepared model in %s is damaged (%s); it will be made again", folder, exc)
        return None
    if manifest.version != PACKAGE_VERSION or manifest.identity != identity:
        return None
    if not all((folder / name).is_file() for name in (IMAGE_FILE, TEXT_FILE, TOKENIZER_FILE)):
        return None
    return manifest


def install_package(staging: Path, models_dir: Path, identity: str) -> Path:
    """Move a finished staging folder into place (the manifest was written last)."""
    target = package_dir(models_dir, identity)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def staging_dir(models_dir: Path, identity: str) -> Path:
    target = package_dir(models_dir, identity)
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def remember_devices(models_dir: Path, gpu: bool) -> None:
    path = Path(models_dir) / PACKAGES_DIR / DEVICES_FILE
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"gpu": gpu}), encoding="utf-8")
        os.replace(tmp, path)


def known_without_gpu(models_dir: Path) -> bool:
    """True when torch found no GPU here last time it looked (so 'auto' means the CPU)."""
    try:
        data = json.loads((Path(models_dir) / PACKAGES_DIR / DEVICES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("gpu") is False


def remember_failure(models_dir: Path, identity: str, reason: str, version: str) -> None:
    folder = package_dir(models_dir, identity)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / FAILED_FILE).write_text(
            json.dumps({"reason": reason, "version": version}), encoding="utf-8")


def known_failure(models_dir: Path, identity: str, version: str) -> str | None:
    """Why this model could not be prepared by this PhotoSeek version, if it could not."""
    try:
        data = json.loads((package_dir(models_dir, identity) / FAILED_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return str(data.get("reason")) if data.get("version") == version else None
