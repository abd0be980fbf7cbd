"""Turning a picture into the pixels a model reads, with Pillow and numpy only.

This is open_clip's eval transform (Resize, CenterCrop, RGB, ToTensor, Normalize) without
torchvision's per-call overhead and without importing torch, so that the onnxruntime backend
can index and search with no torch in the process. Two resize modes cover the models offered:
``shortest`` (CLIP: short side to the input size, then a centre crop) and ``squash`` (SigLIP:
the whole picture scaled to the square). tests/test_embedder.py checks both against open_clip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

# A picture wider (or taller) than this many times its other side is first cut to that shape
# around its centre. The model sees only the centre square anyway; without the cut, resizing a
# 20,000 x 1 strip so that its short side is 224 pixels would allocate gigabytes.
MAX_ASPECT = 16
RESIZE_MODES = ("shortest", "squash")
INTERPOLATIONS = ("bicubic", "bilinear")


@dataclass(frozen=True)
class PixelSpec:
    """How one model wants its pixels: a square side, normalisation and resizing."""

    size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    interpolation: str = "bicubic"
    resize_mode: str = "shortest"

    @property
    def supported(self) -> bool:
        """Whether ``to_pixels`` reproduces open_clip's transform for this spec."""
        return self.resize_mode in RESIZE_MODES and self.interpolation in INTERPOLATIONS

    @classmethod
    def from_open_clip(cls, cfg: dict[str, Any]) -> PixelSpec | None:
        """From ``open_clip.get_model_preprocess_cfg``; None for a non-square input."""
        size = cfg.get("size", 224)
        if isinstance(size, (tuple, list)):
            if size[0] != size[1]:
                return None
            size = size[0]
        return cls(
            size=int(size),
            mean=(float(cfg["mean"][0]), float(cfg["mean"][1]), float(cfg["mean"][2])),
            std=(float(cfg["std"][0]), float(cfg["std"][1]), float(cfg["std"][2])),
            interpolation=str(cfg.get("interpolation", "bicubic")),
            resize_mode=str(cfg.get("resize_mode") or "shortest"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"size": self.size, "mean": list(self.mean), "std": list(self.std),
                "interpolation": self.interpolation, "resize_mode": self.resize_mode}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PixelSpec:
        mean, std = data["mean"], data["std"]
        return cls(int(data["size"]), (float(mean[0]), float(mean[1]), float(mean[2])),
                   (float(std[0]), float(std[1]), float(std[2])),
                   str(data["interpolation"]), str(data["resize_mode"]))


def bounded_aspect(image: Image.Image) -> Image.Image:
    w, h = image.size
    if w > MAX_ASPECT * h:
        keep = MAX_ASPECT * h
        left = (w - keep) // 2
        return image.crop((left, 0, left + keep, h))
    if h > MAX_ASPECT * w:
        keep = MAX_ASPECT * w
        top = (h - keep) // 2
        return image.crop((0, top, w, top + keep))
    return image


def to_pixels(image: Image.Image, spec: PixelSpec) -> np.ndarray:
    """A CHW float32 array identical to open_clip's eval transform for a supported spec."""
    from PIL import Image

    image = bounded_aspect(image)
    side = spec.size
    resample = (Image.Resampling.BICUBIC if spec.interpolation == "bicubic"
                else Image.Resampling.BILINEAR)
    if spec.resize_mode == "squash":
        if image.size != (side, side):
            image = image.resize((side, side), resample)
        image = image.convert("RGB")
    else:
        w, h = image.size
        # torchvision's Resize(int): short side -> side, long side -> int(side * long / short),
        # and no resampling at all when the size already matches.
        short, long = (w, h) if w <= h else (h, w)
        new_long = int(side * long / short)
        new_w, new_h = (side, new_long) if w <= h else (new_long, side)
        if (new_w, new_h) != (w, h):
            image = image.resize((new_w, new_h), resample)
        # torchvision's CenterCrop rounding; the short side equals `side`, so no padding.
        top = int(round((new_h - side) / 2.0))
        left = int(round((new_w - side) / 2.0))
        image = image.crop((left, top, left + side, top + side)).convert("RGB")
    pixels = np.asarray(image, dtype=np.float32).transpose(2, 0, 1) / np.float32(255)
    mean = np.asarray(spec.mean, dtype=np.float32).reshape(3, 1, 1)
    std = np.asarray(spec.std, dtype=np.float32).reshape(3, 1, 1)
    return np.ascontiguousarray((pixels - mean) / std, dtype=np.float32)
