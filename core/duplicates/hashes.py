"""What is read from a photo's file to confirm a duplicate: a perceptual hash of its pixels
and, for copies that may be byte-identical, a digest of all its bytes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from core.fs.safe_open import open_regular
from core.imaging.loading import make_thumbnail
from core.imaging.reasons import os_reason

# The hash is taken from a decode this small (a JPEG is decoded at 1/8 scale, see
# core.imaging.loading): pHash itself looks at 32x32 pixels, so nothing is lost, and a 12 MP
# photo costs a few milliseconds instead of a full decode. Every photo is hashed at this same
# size, so a resized copy meets its original on equal terms.
DECODE_SIDE = 256
HASH_BITS = 64
_MASK = (1 << HASH_BITS) - 1
_READ_CHUNK = 1 << 20

REASON_CHANGED = "the file changed since it was indexed (index again to include it)"


def perceptual_hash(path: Path) -> int:
    """The 64-bit pHash (imagehash) of the photo as it is seen (EXIF orientation applied), as a
    signed integer, the form SQLite stores. ImageLoadError with a readable reason when the file
    cannot be decoded."""
    import imagehash  # its DCT needs scipy: loaded on first use, not when the app starts

    image = make_thumbnail(path, DECODE_SIDE)
    bits = np.asarray(imagehash.phash(image).hash, bool).ravel()
    value = int.from_bytes(np.packbits(bits).tobytes(), "big")
    return value - (1 << HASH_BITS) if value >> (HASH_BITS - 1) else value


def hamming(first: int, second: int) -> int:
    """How many of the 64 bits differ between two perceptual hashes."""
    return ((first ^ second) & _MASK).bit_count()


def file_digest(path: Path) -> bytes:
    """BLAKE2b of every byte: what makes two files exact copies (OSError when unreadable)."""
    digest = hashlib.blake2b(digest_size=32)
    with open_regular(path) as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.digest()


def changed_reason(path: Path, size: int, mtime_ns: int) -> str | None:
    """Why the file at ``path`` is no longer what the catalog describes (gone, unreadable,
    changed), or None when it still is. A changed photo's vector and hash describe its old
    pixels: it takes no part until the next scan indexes it again."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return os_reason(exc)
    if info.st_size != size or info.st_mtime_ns != mtime_ns:
        return REASON_CHANGED
    return None
