"""The text path really reaches the image space: a tiny CLIP trained on coloured shapes must
find red circles when asked for "red circle".

The trained weights are committed (tests/data/shapes_clip.npz, see tests/shapes_clip.py), so the
rankings below are the same on every machine. The last tests prove they can fail: the same
queries through a text path fed the wrong token ids, or through the untrained model, do not rank
right.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.models.embedder import Embedder
from core.models.loading import load_model
from core.models.names import parse_model_name
from core.models.torch_embedder import TorchEmbedder
from tests.shapes_clip import LABELS, QUERIES, held_out_dataset, wanted_label

ZERO_SHOT_MIN = 0.85


@pytest.fixture(scope="module")
def held_out():
    """40 pictures training never saw (a seed it never used), 5 of each of 8 labels, including
    the hard negatives that share a colour or a shape with the queries."""
    return held_out_dataset()


@pytest.fixture(scope="module")
def shapes(shapes_model_path: Path, tmp_path_factory: pytest.TempPathFactory, held_out):
    cache = tmp_path_factory.mktemp("shapes-cache")
    embedder = load_model(parse_model_name(f"test-tiny:{shapes_model_path}"), cache, device="cpu")
    images, targets = held_out
    return embedder, embedder.embed_pil(images), targets


def top_five(embedder: Embedder, vectors: np.ndarray, targets: np.ndarray, query: str):
    """The labels of the 5 best pictures for query, and whether all 5 show what it names."""
    scores = vectors @ embedder.embed_texts([query])[0]
    top = targets[np.argsort(-scores)[:5]]
    return top, bool((top == wanted_label(query)).all())


def zero_shot_accuracy(embedder: Embedder, vectors: np.ndarray, targets: np.ndarray) -> float:
    texts = embedder.embed_texts([f"{c} {s}" for c, s in LABELS])
    return float(((vectors @ texts.T).argmax(1) == targets).mean())


@pytest.mark.parametrize("query", QUERIES)
def test_query_ranks_matching_shapes_first(shapes, query: str) -> None:
    embedder, vectors, targets = shapes
    assert int((targets == wanted_label(query)).sum()) == 5
    top, right = top_five(embedder, vectors, targets, query)
    assert right, (query, top)


def test_zero_shot_accuracy(shapes) -> None:
    assert zero_shot_accuracy(*shapes) >= ZERO_SHOT_MIN


# ------------------------------------------------------------------ the tests above can fail

COLOUR_WORDS = ("red", "green", "blue", "yellow")
SHAPE_WORDS = ("circle", "square", "triangle")


class SwappedWords:
    """The model's own tokenizer, then each colour's id replaced by the next colour's and each
    shape's by the next shape's ("red circle" reaches the tower as "green square"): a text path
    wired to the wrong token ids, every one of them a word the model knows."""

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        self.swaps: dict[int, int] = {}
        for words in (COLOUR_WORDS, SHAPE_WORDS):
            ids = [self._word_id(w) for w in words]
            self.swaps.update(zip(ids, ids[1:] + ids[:1], strict=True))

    def _word_id(self, word: str) -> int:
        tokens = self._tokenizer([word])[0]
        assert int((tokens != 0).sum()) == 3, word  # start, the word, end: one token
        return int(tokens[1])

    def __call__(self, texts):
        tokens = self._tokenizer(texts)
        swapped = tokens.clone()
        for old, new in self.swaps.items():
            swapped[tokens == old] = new
        return swapped


def test_wrong_token_ids_fail_the_rankings(shapes) -> None:
    """Feed the trained model's text tower the wrong ids: the queries the real wiring ranks
    right now rank wrong, so the tests above would catch a text path that mixes up tokens."""
    embedder, vectors, targets = shapes
    broken = TorchEmbedder(
        model=embedder.model, tokenizer=SwappedWords(embedder._tokenizer), name=embedder.name,
        dim=embedder.dim, device=embedder.device,
    )
    for query in QUERIES:
        assert top_five(embedder, vectors, targets, query)[1], query
        top, right = top_five(broken, vectors, targets, query)
        assert not right, (query, top)
        assert not (top == wanted_label(query)).any(), (query, top)  # not even one
    assert zero_shot_accuracy(embedder, vectors, targets) >= ZERO_SHOT_MIN
    assert zero_shot_accuracy(broken, vectors, targets) < 0.2


def test_untrained_model_fails_the_rankings(shapes, tiny_embedder, held_out) -> None:
    """The same architecture with its fixed-seed random weights (what a weights file that was
    never applied would leave) ranks none of the queries right."""
    images, targets = held_out
    vectors = tiny_embedder.embed_pil(images)
    for query in QUERIES:
        assert top_five(*shapes, query)[1], query
        top, right = top_five(tiny_embedder, vectors, targets, query)
        assert not right, (query, top)
    assert zero_shot_accuracy(tiny_embedder, vectors, targets) < 0.5
