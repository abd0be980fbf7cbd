"""The Embedder: one loaded CLIP model turning images and texts into unit vectors.

Threading: one indexing worker calls embed_images while the query thread calls embed_texts.
Both only run forward passes in eval mode under inference_mode, which read the module's weights
and never write them, so they may overlap; making a query wait behind a batch of 32 images would
cost the user up to a second per keystroke. The text side has its own lock because the tokenizer
and the query cache are shared mutable state. preprocess touches no shared state at all, so the
decode threads call it freely.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from core.models.text_encoding import TextEncoder

if TYPE_CHECKING:
    import torch
    from PIL import Image

TEXT_CACHE_SIZE = 512
# A picture wider (or taller) than this many times its other side is first cut to that shape
# around its centre. The model sees only the centre square anyway; without the cut, resizing a
# 20,000 x 1 strip so that its short side is 224 pixels would allocate gigabytes.
MAX_ASPECT = 16
# Text beyond the model's 77 tokens is dropped by the tokenizer, but CLIP's BPE tokenizer takes
# time that grows faster than linearly with a word's length (16,000 letters in one word: 11 s).
# No token of its vocabulary covers more than 28 characters, so 75 tokens never reach past
# 2,100 characters of a word, or 2,175 of a query with its spaces: cutting a little beyond
# leaves the encoding as it was, and bounds the tokenizer's work to a quarter of a second.
MAX_WORD_CHARS = 2200
MAX_QUERY_CHARS = 2300
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def bounded_query(text: str) -> str:
    """``text`` cut where the model would stop reading anyway (see MAX_WORD_CHARS)."""
    text = text[:MAX_QUERY_CHARS]
    return _LONG_WORD.sub(lambda m: m.group(0)[:MAX_WORD_CHARS], text)


def _bounded_aspect(image: Image.Image) -> Image.Image:
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


class Embedder:
    """Owns a model, its tokenizer and its preprocessing. Built by core.models.load_model."""

    def __init__(
        self,
        *,
        model: Any,
        tokenizer: Callable[..., Any],
        name: str,
        dim: int,
        device: str,
        image_tower: Callable[[Any], Any] | None = None,
    ) -> None:
        import torch
        from open_clip import get_model_preprocess_cfg

        self.name = name
        self.dim = dim
        self.device = device
        self._model = model
        # The image tower may be a faster (int8) copy of model.visual; see models.load_model.
        self._image_tower = image_tower or model.encode_image
        self._tokenizer = tokenizer
        self._text_encoder = TextEncoder(model)
        self._text_lock = threading.Lock()
        self._text_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        # A sigmoid-trained model (SigLIP) learns a bias beside its scale: together they turn a
        # cosine into a match probability (core.search.relevance). CLIP has no bias.
        bias = getattr(model, "logit_bias", None)
        self.logit_bias: float | None = float(bias.item()) if bias is not None else None
        scale = getattr(model, "logit_scale", None)
        self.logit_scale: float | None = float(scale.exp().item()) if scale is not None else None

        visual = model.visual
        conv = getattr(visual, "conv1", None)
        weight = conv.weight if conv is not None else next(visual.parameters())
        self._image_dtype = weight.dtype  # fp16 on CUDA
        # What the image tower computes in: "int8" (CPU), "fp16" (CUDA) or "fp32".
        dtype_name = str(weight.dtype).removeprefix("torch.").replace("float", "fp")
        self.image_precision = "int8" if image_tower else dtype_name

        cfg = get_model_preprocess_cfg(model)
        size = cfg.get("size", 224)
        if isinstance(size, (tuple, list)):
            square = size[0] == size[1]
            self.image_size = int(size[0])
        else:
            square = True
            self.image_size = int(size)
        self._mean = torch.tensor(cfg["mean"], dtype=torch.float32).view(-1, 1, 1)
        self._std = torch.tensor(cfg["std"], dtype=torch.float32).view(-1, 1, 1)
        self._interpolation = cfg.get("interpolation", "bicubic")
        # Our own path covers the common case (shortest-side resize to a square); anything else
        # uses open_clip's transform so that results never silently differ from it.
        self._fallback_transform = None
        if not (square and cfg.get("resize_mode", "shortest") == "shortest"
                and self._interpolation in ("bicubic", "bilinear")):
            from open_clip import image_transform

            self._fallback_transform = image_transform(
                size, is_train=False, mean=cfg["mean"], std=cfg["std"],
                resize_mode=cfg.get("resize_mode"), interpolation=self._interpolation,
                fill_color=cfg.get("fill_color", 0),
            )

    # ------------------------------------------------------------------ images

    @property
    def model(self) -> Any:
        return self._model

    @property
    def text_encoder(self) -> TextEncoder:
        return self._text_encoder

    def preprocess(self, image: Image.Image) -> torch.Tensor:
        """CHW float32 tensor, identical to open_clip's eval transform (Resize, CenterCrop,
        RGB, ToTensor, Normalize) but without torchvision's per-call overhead."""
        import torch
        from PIL import Image

        image = _bounded_aspect(image)
        if self._fallback_transform is not None:
            return self._fallback_transform(image)
        side = self.image_size
        w, h = image.size
        # torchvision's Resize(int): short side -> side, long side -> int(side * long / short),
        # and no resampling at all when the size already matches.
        short, long = (w, h) if w <= h else (h, w)
        new_long = int(side * long / short)
        new_w, new_h = (side, new_long) if w <= h else (new_long, side)
        if (new_w, new_h) != (w, h):
            resample = (Image.Resampling.BICUBIC if self._interpolation == "bicubic"
                        else Image.Resampling.BILINEAR)
            image = image.resize((new_w, new_h), resample)
        # torchvision's CenterCrop rounding; the short side equals `side`, so no padding.
        top = int(round((new_h - side) / 2.0))
        left = int(round((new_w - side) / 2.0))
        image = image.crop((left, top, left + side, top + side)).convert("RGB")
        pixels = torch.from_numpy(np.array(image, dtype=np.uint8))
        tensor = pixels.permute(2, 0, 1).contiguous().to(torch.float32).div(255)
        return tensor.sub_(self._mean).div_(self._std)

    def embed_images(self, batch: torch.Tensor) -> np.ndarray:
        """(N, dim) float32 unit vectors for a batch of preprocessed images."""
        import torch
        import torch.nn.functional as F

        with torch.inference_mode():
            x = batch.to(self.device, dtype=self._image_dtype, non_blocking=True)
            features = self._image_tower(x)
            features = F.normalize(features.float(), dim=-1)
        return features.cpu().numpy().astype(np.float32, copy=False)

    def embed_pil(self, images: Sequence[Image.Image]) -> np.ndarray:
        import torch

        if not images:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.embed_images(torch.stack([self.preprocess(im) for im in images]))

    # ------------------------------------------------------------------ texts

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(N, dim) float32 unit vectors; recent queries come from an LRU cache."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._text_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._text_cache))
            if missing:
                for text, vector in zip(missing, self._encode_texts(missing), strict=True):
                    vector.setflags(write=False)  # cached rows are shared; keep them intact
                    self._text_cache[text] = vector
            rows = []
            for text in texts:
                self._text_cache.move_to_end(text)
                rows.append(self._text_cache[text])
            while len(self._text_cache) > TEXT_CACHE_SIZE:
                self._text_cache.popitem(last=False)
        return np.stack(rows)  # a fresh array the caller may modify

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        texts = [bounded_query(t) for t in texts]
        import torch
        import torch.nn.functional as F

        with torch.inference_mode():
            tokens = self._tokenizer(texts).to(self.device)
            features = F.normalize(self._text_encoder(tokens).float(), dim=-1)
        return features.cpu().numpy().astype(np.float32, copy=False)
