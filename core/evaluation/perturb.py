"""Perturbed copies of every photo, for robustness: does search still find a photo that was
compressed hard, blurred, tilted or cropped?

Copies are written under a folder the caller gives (a temporary one), never next to the photos.
Each photo is decoded once, upright, through the product's safe loader and reduced to at most
``WORKING_SIDE`` pixels on its long side (the model sees 224, so this changes nothing it could
see, and keeps a 12-megapixel photo cheap); each perturbation is then saved as a JPEG. The
perturbations are sized relative to the photo, so they mean the same on any resolution:

- ``jpeg_q30``: JPEG quality 30 (visible blocks and colour smear).
- ``blur``: Gaussian blur, radius 1% of the short side (at least 1.5 px).
- ``rotate``: 15 degrees anticlockwise, same size, corners black (as torchvision fills).
- ``crop``: the central 70% of each side (about half the area).

The others are saved at JPEG quality 95, far from anything the model notices. Copies are named
by position (``000017.jpg``), so names and folders carry no hint of a label; ``Perturbed.origin``
maps each copy back to the photo it came from. A photo that cannot be read is skipped with its
reason, and the rest go on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageFilter

from core.errors import Cancelled, ImageLoadError
from core.imaging.loading import make_thumbnail

WORKING_SIDE = 1024
JPEG_LOW_QUALITY = 30
JPEG_KEEP_QUALITY = 95
BLUR_SHARE, BLUR_MIN_RADIUS = 0.01, 1.5
ROTATE_DEGREES = 15.0
CROP_KEEP = 0.70


def _jpeg_q30(image: Image.Image) -> tuple[Image.Image, int]:
    return image, JPEG_LOW_QUALITY


def _blur(image: Image.Image) -> tuple[Image.Image, int]:
    radius = max(BLUR_MIN_RADIUS, BLUR_SHARE * min(image.size))
    return image.filter(ImageFilter.GaussianBlur(radius)), JPEG_KEEP_QUALITY


def _rotate(image: Image.Image) -> tuple[Image.Image, int]:
    turned = image.rotate(ROTATE_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))
    return turned, JPEG_KEEP_QUALITY


def _crop(image: Image.Image) -> tuple[Image.Image, int]:
    w, h = image.size
    keep_w, keep_h = max(1, round(w * CROP_KEEP)), max(1, round(h * CROP_KEEP))
    left, top = (w - keep_w) // 2, (h - keep_h) // 2
    return image.crop((left, top, left + keep_w, top + keep_h)), JPEG_KEEP_QUALITY


# name -> (what a person reads, the perturbation: image -> (image, JPEG quality to save at))
PERTURBATIONS: dict[str, tuple[str, Callable[[Image.Image], tuple[Image.Image, int]]]] = {
    "jpeg_q30": ("JPEG quality 30", _jpeg_q30),
    "blur": ("Gaussian blur", _blur),
    "rotate": (f"rotated {ROTATE_DEGREES:.0f} degrees", _rotate),
    "crop": (f"centre crop {CROP_KEEP:.0%}", _crop),
}


@dataclass
class Perturbed:
    """Where the copies are: one folder per perturbation, and which photo each copy is of."""

    folders: dict[str, Path]
    origin: dict[str, dict[str, str]]  # perturbation -> copy's name -> photo's relative path
    failures: list[tuple[str, str]] = field(default_factory=list)  # (relative path, reason)


def perturb_photos(
    root: Path,
    photos: Sequence[str],
    out: Path,
    names: Sequence[str] = tuple(PERTURBATIONS),
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Perturbed:
    """Write each perturbation of each photo (``photos``: paths relative to ``root``) into
    ``out/<perturbation>/``; ``out`` must not be inside ``root``."""
    root, out = root.resolve(), out.resolve()
    if out.is_relative_to(root):
        raise ValueError(f"perturbed copies must be written outside {root}")
    unknown = set(names) - set(PERTURBATIONS)
    if unknown:
        raise ValueError(f"unknown perturbations: {', '.join(sorted(unknown))}")
    result = Perturbed({n: out / n for n in names}, {n: {} for n in names})
    for folder in result.folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for done, rel in enumerate(photos):
        if cancel is not None and cancel.is_set():
            raise Cancelled("the evaluation was cancelled")
        try:
            image = make_thumbnail(root / rel, WORKING_SIDE)
        except ImageLoadError as exc:
            result.failures.append((rel, exc.reason))
        else:
            copy_name = f"{done:06d}.jpg"
            for name in names:
                changed, quality = PERTURBATIONS[name][1](image)
                changed.save(result.folders[name] / copy_name, "JPEG", quality=quality)
                result.origin[name][copy_name] = rel
        if progress is not None:
            progress(done + 1, len(photos))
    return result
