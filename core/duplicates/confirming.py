"""When two similar photos count as duplicates, and of which kind.

Vectors find candidates; the perceptual hash decides. A model can put different photos very
close (a random test model puts distinct photos at cosine 0.999; a real CLIP puts two shots of
one sunset close too), so no pair is a duplicate on its vectors alone.

Thresholds, measured with tests' own pipeline (a 256-pixel decode, imagehash.phash) on 17
distinct photos of skimage.data and on copies of each (figures: the largest Hamming distance
to its original over the 17, and the smallest between two distinct photos):

    re-encoded at JPEG quality 50 .......... 2        resized to 50% ................. 2
    resized to 25%, quality 70 ............. 4        exposure +15% ................. 10
    cropped 5% (2.5% each side) ........... 12        shifted 3% .................... 16
    rotated 2 degrees ..................... 14        (textures alone: brick 24)
    two distinct photos: at least 20 (hubble_deep_field and cell), 31.5 on average

Copies (``COPY_DISTANCE``) stay at 6 or less: 2 bits above the worst copy, 14 below the
nearest distinct pair. Bursts (``BURST_DISTANCE``) allow 14, the loosest crop, shift or turn of
a real scene, 6 below the nearest distinct pair; a burst also needs vectors at least
``BURST_SIMILARITY`` alike, so a loose hash match alone never joins two photos.

Vector thresholds follow CLIP ViT-B/32's scale (a re-encoded or resized copy scores above 0.97,
a shot of the same scene a moment later above 0.95, a different photo of a similar subject
0.8 to 0.9): pairs from ``CANDIDATE_SIMILARITY`` up are checked at all.
"""

from __future__ import annotations

from core.duplicates.hashes import hamming

CANDIDATE_SIMILARITY = 0.90
BURST_SIMILARITY = 0.95
COPY_DISTANCE = 6
BURST_DISTANCE = 14

EXACT, COPY, BURST = "exact", "copy", "burst"
# From the strictest to the loosest: a group takes the loosest kind among its links.
KINDS = (EXACT, COPY, BURST)


def link_kind(similarity: float, first_hash: int, second_hash: int) -> str | None:
    """COPY, BURST, or None (not duplicates) for two candidate photos."""
    distance = hamming(first_hash, second_hash)
    if distance <= COPY_DISTANCE:
        return COPY
    if distance <= BURST_DISTANCE and similarity >= BURST_SIMILARITY:
        return BURST
    return None


def loosest(kinds: set[str]) -> str:
    return max(kinds, key=KINDS.index)
