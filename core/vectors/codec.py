"""How a vector is stored in SQLite: int8 with one float32 scale per vector.

A 512-d CLIP vector takes 516 bytes instead of 2,048 (float32) or 1,024 (float16). That keeps the
catalog plus the hnswlib file under 3 KB a photo; the rounding error (below 0.5 % of a component's
range) moves cosine scores by about 1e-3, far under the gap between distinct photos.

A stored vector can be damaged (a disk error, an edit by hand): ``decode`` and ``split`` check
its length and values and raise ``DamagedVectorError``, so it is found and embedded again
instead of spreading NaN into every score.
"""

from __future__ import annotations

import numpy as np

SCALE_BYTES = 4  # a stored vector: its float32 scale, then one int8 per component


class DamagedVectorError(ValueError):
    """A stored vector has the wrong length, a non-finite scale, or no direction at all."""


def quantise(vector: np.ndarray) -> tuple[float, np.ndarray]:
    """(scale, int8 components) with ``components * scale`` close to ``vector``."""
    v = np.asarray(vector, dtype=np.float32).ravel()
    peak = float(np.max(np.abs(v))) if v.size else 0.0
    if not np.isfinite(peak):
        raise DamagedVectorError("the vector has non-finite components")
    scale = peak / 127.0 if peak > 0 else 1.0
    return scale, np.clip(np.rint(v / scale), -127, 127).astype(np.int8)


def encode(vector: np.ndarray) -> bytes:
    scale, quantised = quantise(vector)
    return np.float32(scale).tobytes() + quantised.tobytes()


def split(blob: bytes, dim: int | None = None) -> tuple[float, np.ndarray]:
    """(scale, int8 components) of a stored vector, checked."""
    if len(blob) <= SCALE_BYTES or (dim is not None and len(blob) != SCALE_BYTES + dim):
        raise DamagedVectorError(f"a stored vector has {len(blob)} bytes")
    scale = float(np.frombuffer(blob, dtype=np.float32, count=1)[0])
    quantised = np.frombuffer(blob, dtype=np.int8, offset=SCALE_BYTES)
    if not np.isfinite(scale) or scale <= 0 or not quantised.any():
        raise DamagedVectorError("a stored vector has no usable values")
    return scale, quantised


def decode(blob: bytes, dim: int | None = None) -> np.ndarray:
    scale, quantised = split(blob, dim)
    return quantised.astype(np.float32) * np.float32(scale)


def decode_many(blobs: list[bytes], dim: int) -> np.ndarray:
    """Decode and L2-normalise a list of blobs into an (N, dim) float32 matrix."""
    out = np.empty((len(blobs), dim), dtype=np.float32)
    for row, blob in enumerate(blobs):
        out[row] = decode(blob, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms
