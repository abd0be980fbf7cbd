"""The Embedder: one loaded model turning images and texts into unit vectors.

Two backends share this class's behaviour (preprocessing, the query cache, batching):
``TorchEmbedder`` (open_clip on torch: GPUs, and the CPU until a prepared model exists) and
``OnnxEmbedder`` (int8 towers on onnxruntime: the CPU, with no torch in the process). Vectors of
both live in one space, so a library indexed by one is searched by the other.

Threading: one indexing worker calls embed_images while the query thread calls embed_texts.
Both only run forward passes that read the model's weights and never write them, so they may
overlap; making a query wait behind a batch of 32 images would cost the user up to a second per
keystroke. The text side has its own lock because the tokenizer and the query cache are shared
mutable state. preprocess touches no shared state at all, so the decode threads call it freely.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from core.models.preprocessing import PixelSpec, to_pixels

if TYPE_CHECKING:
    from PIL import Image

TEXT_CACHE_SIZE = 512
# Text beyond the model's context is dropped by the tokenizer, but CLIP's BPE tokenizer takes
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


def unit_rows(features: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (a zero row stays zero), as float32."""
    features = np.asarray(features, dtype=np.float32)
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    return (features / np.maximum(norms, np.float32(1e-12))).astype(np.float32, copy=False)


class Embedder(ABC):
    """A loaded model. Built by core.models.loading.load_model."""

    #: what the image tower computes in: "int8", "fp16" or "fp32"
    image_precision: str = "fp32"
    #: "torch" or "onnx"
    backend: str = "torch"

    def __init__(
        self,
        *,
        name: str,
        dim: int,
        device: str,
        pixels: PixelSpec | None,
        logit_scale: float | None = None,
        logit_bias: float | None = None,
    ) -> None:
        self.name = name
        self.dim = dim
        self.device = device
        self._pixels = pixels
        self.image_size = pixels.size if pixels is not None else 224
        # A sigmoid-trained model (SigLIP) learns a bias beside its scale: together they turn a
        # cosine into a match probability (core.search.relevance). CLIP has no bias.
        self.logit_scale = logit_scale
        self.logit_bias = logit_bias
        self._text_lock = threading.Lock()
        self._text_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    # ------------------------------------------------------------------ images

    def preprocess(self, image: Image.Image) -> np.ndarray:
        """CHW float32 pixels, identical to open_clip's eval transform."""
        assert self._pixels is not None  # a backend without a PixelSpec overrides this
        return to_pixels(image, self._pixels)

    @abstractmethod
    def _encode_images(self, batch: np.ndarray) -> np.ndarray:
        """Unnormalised image features of an (N, 3, S, S) float32 batch."""

    def embed_images(self, batch: Any) -> np.ndarray:
        """(N, dim) float32 unit vectors for a batch of preprocessed images (numpy or torch)."""
        if len(batch) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return unit_rows(self._encode_images(batch))

    def embed_pil(self, images: Sequence[Image.Image]) -> np.ndarray:
        if not images:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.embed_images(np.stack([self.preprocess(im) for im in images]))

    # ------------------------------------------------------------------ texts

    @abstractmethod
    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        """Unnormalised text features, one row per (bounded) text."""

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(N, dim) float32 unit vectors; recent queries come from an LRU cache."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._text_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._text_cache))
            if missing:
                encoded = unit_rows(self._encode_texts([bounded_query(t) for t in missing]))
                for text, vector in zip(missing, encoded, strict=True):
                    vector.setflags(write=False)  # cached rows are shared; keep them intact
                    self._text_cache[text] = vector
            rows = []
            for text in texts:
                self._text_cache.move_to_end(text)
                rows.append(self._text_cache[text])
            while len(self._text_cache) > TEXT_CACHE_SIZE:
                self._text_cache.popitem(last=False)
        return np.stack(rows)  # a fresh array the caller may modify
