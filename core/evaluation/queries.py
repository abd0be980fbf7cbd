"""The text each query searches with, and its vector.

A label is asked zero-shot, as in CLIP's paper: "a photo of a {label}". With prompt ensembles
the query vector is the normalised mean of several templates' normalised text vectors (CLIP's
ImageNet recipe), which smooths away the quirks of any one phrasing. A caption is asked as it
is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from core.evaluation.dataset import Dataset

if TYPE_CHECKING:
    from core.models.embedder import Embedder

TEXT_BATCH = 256
LABEL_TEMPLATE = "a photo of a {}."
# Templates of CLIP's ImageNet prompt set (Radford et al. 2021, notebooks/Prompt_Engineering)
# that suit a person's photos rather than ImageNet's quirks (no "origami", "video game", ...).
ENSEMBLE_TEMPLATES: tuple[str, ...] = (
    LABEL_TEMPLATE,
    "a photo of the {}.",
    "a photo of my {}.",
    "a close-up photo of a {}.",
    "a bright photo of a {}.",
    "a dark photo of a {}.",
    "a cropped photo of a {}.",
    "a good photo of a {}.",
)


def search_text(dataset: Dataset, subject: str) -> str:
    """What a person would type for this query: the caption, or the label in its template."""
    return subject if dataset.is_captions else LABEL_TEMPLATE.format(subject)


def templates_for(dataset: Dataset, ensembles: bool) -> tuple[str, ...]:
    if dataset.is_captions:
        return ("{}",)
    return ENSEMBLE_TEMPLATES if ensembles else (LABEL_TEMPLATE,)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32)


def query_vectors(
    embedder: Embedder, subjects: Sequence[str], templates: Sequence[str]
) -> np.ndarray:
    """(len(subjects), dim) unit vectors: for each subject the normalised mean of its
    templates' normalised text vectors (one template: that text's vector)."""
    if not subjects:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    texts = [t.format(s) for s in subjects for t in templates]
    # In batches: thousands of captions at once would hold every activation in memory.
    encoded = np.concatenate(
        [embedder.embed_texts(texts[i:i + TEXT_BATCH]) for i in range(0, len(texts), TEXT_BATCH)]
    )
    vectors = _unit(encoded).reshape(len(subjects), len(templates), -1)
    return _unit(vectors.mean(axis=1))
