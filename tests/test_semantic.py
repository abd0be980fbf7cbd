"""The text path really reaches the image space: a tiny CLIP trained on coloured shapes must
find red circles when asked for "red circle"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.models.loading import load_model
from core.models.names import parse_model_name
from tests.shapes_clip import LABELS, make_dataset


@pytest.fixture(scope="module")
def shapes(shapes_model_path: Path, tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("shapes-cache")
    embedder = load_model(parse_model_name(f"test-tiny:{shapes_model_path}"), cache, device="cpu")
    # 40 unseen pictures (a seed training never used), 5 of each of 8 labels, including the
    # hard negatives that share a colour or a shape with the queries.
    labels = [LABELS[i] for i in (0, 1, 2, 3, 6, 7, 10, 11)]
    images, picks = make_dataset(40, seed=987_654, labels=labels)
    targets = np.array([LABELS.index(labels[k]) for k in picks])
    return embedder, embedder.embed_pil(images), targets


@pytest.mark.parametrize("query", ["red circle", "blue square", "a yellow triangle"])
def test_query_ranks_matching_shapes_first(shapes, query: str) -> None:
    embedder, vectors, targets = shapes
    wanted = [i for i, (c, s) in enumerate(LABELS) if f"{c} {s}" in query]
    assert len(wanted) == 1
    scores = vectors @ embedder.embed_texts([query])[0]
    top = np.argsort(-scores)[:5]
    assert int((targets == wanted[0]).sum()) == 5
    assert (targets[top] == wanted[0]).all(), (query, targets[np.argsort(-scores)[:8]])


def test_zero_shot_accuracy(shapes) -> None:
    embedder, vectors, targets = shapes
    texts = embedder.embed_texts([f"{c} {s}" for c, s in LABELS])
    accuracy = float(((vectors @ texts.T).argmax(1) == targets).mean())
    assert accuracy >= 0.85
