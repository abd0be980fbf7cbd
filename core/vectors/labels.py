"""Labels of the vectors in an index: one per photo, several per video.

A photo's label is its embedding id (the catalog's ``embeddings.id``). A video is searched by
its frames: frame ``n`` of the video whose embedding id is ``owner`` has the label
``FRAME_BASE + owner * 256 + n``. The owner is therefore read from the label itself, with no
table in memory: results collapse to one per video by arithmetic, a filter that lets a video
through lets its frames through, and removing a video's label removes its frames. Embedding
ids are never handed out twice (AUTOINCREMENT), so neither are frame labels.

Everything that answers "which photo" works on *item* labels: a photo's label, or the owner
of a video's frames.
"""

from __future__ import annotations

import numpy as np

FRAME_BASE = 1 << 62  # above any embedding id, below int64's limit (hnswlib's labels are u64)
FRAME_BITS = 8
FRAMES_PER_ITEM = 1 << FRAME_BITS  # core.imaging.video keeps far fewer (MAX_FRAMES)


def frame_label(owner: int, n: int) -> int:
    """The label of frame ``n`` of the video whose embedding id is ``owner``."""
    if not 0 <= n < FRAMES_PER_ITEM:
        raise ValueError(f"frame number {n} out of range")
    return FRAME_BASE + (int(owner) << FRAME_BITS) + int(n)


def is_frame(label: int) -> bool:
    return int(label) >= FRAME_BASE


def split(label: int) -> tuple[int, int]:
    """(owner, frame number) of a frame label."""
    rest = int(label) - FRAME_BASE
    return rest >> FRAME_BITS, rest & (FRAMES_PER_ITEM - 1)


def item_of(label: int) -> int:
    """The item label of one label: a frame's video, a photo's own label."""
    label = int(label)
    return (label - FRAME_BASE) >> FRAME_BITS if label >= FRAME_BASE else label


def items_of(labels: np.ndarray) -> np.ndarray:
    """The item label of each label: a frame's video, a photo's own label."""
    labels = np.asarray(labels, np.int64)
    return np.where(labels >= FRAME_BASE, (labels - FRAME_BASE) >> FRAME_BITS, labels)


def best_per_item(
    labels: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per item, scored by its best vector: (item labels, scores, the label that
    scored best, a frame's for a video). Photos keep their place; videos follow them. Only
    frames are grouped (a sort of the frames alone), so a library without videos pays one
    comparison per label."""
    labels = np.asarray(labels, np.int64)
    scores = np.asarray(scores, np.float32)
    frames = labels >= FRAME_BASE
    if not frames.any():
        return labels, scores, labels
    plain_labels, plain_scores = labels[~frames], scores[~frames]
    frame_labels, frame_scores = labels[frames], scores[frames]
    owners = (frame_labels - FRAME_BASE) >> FRAME_BITS
    # NaN (a filtered-out score) sorts last within its video, as -inf would.
    order = np.lexsort((-np.nan_to_num(frame_scores, nan=-np.inf), owners))
    owners_sorted = owners[order]
    first = np.ones(len(order), bool)
    first[1:] = owners_sorted[1:] != owners_sorted[:-1]
    picked = order[first]
    return (
        np.concatenate([plain_labels, owners[picked]]),
        np.concatenate([plain_scores, frame_scores[picked]]),
        np.concatenate([plain_labels, frame_labels[picked]]),
    )
