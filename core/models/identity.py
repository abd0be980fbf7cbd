"""The identity a model's vectors are stored under.

Vectors of different weights live in different spaces and are never mixed, so the catalog keys
them by the weights they came from: a pretrained tag names its weights (``ViT-B-32:laion2b…``),
and a local weights file is known by its architecture and a fingerprint of its contents, not by
its path. Copying or moving the file therefore keeps every vector, while other weights saved
under the same path are a new space.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from core.fs.safe_open import open_regular
from core.models.names import canonical_model_name

# A fingerprint reads this much from each end of the file: milliseconds, even for 2 GB.
FINGERPRINT_SPAN = 1 << 20
# Identities of local weights files: ``ARCH:weights@<fingerprint>``.
LOCAL_WEIGHTS = "weights"


def weights_fingerprint(path: Path) -> str | None:
    """A cheap digest of a weights file's contents: its size and its first and last MiB.

    Other weights of one architecture have the same size and layout, but their values differ
    at both ends of the file (the first tensors and the last). None if it cannot be read (a
    pipe or a folder at that path is refused without blocking).
    """
    try:
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            digest = hashlib.blake2b(str(size).encode(), digest_size=8)
            digest.update(handle.read(FINGERPRINT_SPAN))
            if size > FINGERPRINT_SPAN:
                handle.seek(max(FINGERPRINT_SPAN, size - FINGERPRINT_SPAN))
                digest.update(handle.read(FINGERPRINT_SPAN))
    except OSError:
        return None
    return digest.hexdigest()


def weights_path_of(name: str) -> Path | None:
    """The local weights file a model name points at, if it points at one."""
    _arch, _, rest = canonical_model_name(name).partition(":")
    return Path(rest) if Path(rest).is_absolute() else None


def model_identity_of(name: str) -> str:
    """``ARCH:TAG`` for pretrained weights, ``random:ARCH`` and ``test-tiny`` as they are, and
    ``ARCH:weights@<fingerprint>`` for a local file (its canonical name when it is unreadable,
    so that a missing file finds no vectors rather than another file's)."""
    canonical = canonical_model_name(name)
    path = weights_path_of(canonical)
    if path is None:
        return canonical
    fingerprint = weights_fingerprint(path)
    if fingerprint is None:
        return canonical
    return f"{canonical.partition(':')[0]}:{LOCAL_WEIGHTS}@{fingerprint}"
