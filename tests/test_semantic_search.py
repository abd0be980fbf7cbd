"""The text path end to end: a tiny CLIP trained on coloured shapes, driven through the CLI.

The model is trained in the test session, saved to a weights file and loaded back by name
(``test-tiny:/path/weights.safetensors``), exactly as a user's local weights file would be.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from core.cli.main import main
from core.search.query import build_query
from tests.shapes_clip import draw_shape


def shapes_folder(root: Path, seed: int) -> dict[str, tuple[str, str]]:
    """48 pictures the model never saw (4 of each colour and shape); path -> (colour, shape)."""
    rng = random.Random(seed)
    truth: dict[str, tuple[str, str]] = {}
    root.mkdir()
    for n in range(48):
        colour = ["red", "green", "blue", "yellow"][n % 4]
        shape = ["circle", "square", "triangle"][(n // 4) % 3]
        path = root / f"photo_{n:03d}.png"
        draw_shape(rng, colour, shape).save(path)
        truth[str(path)] = (colour, shape)
    return truth


def test_search_red_circle_returns_red_circles_first(capsys, tmp_path, shapes_model_path):
    root = tmp_path / "shapes"
    truth = shapes_folder(root, 12345)
    model = f"test-tiny:{shapes_model_path}"
    assert main(["--model", model, "index", str(root)]) == 0
    capsys.readouterr()

    for colour, shape in [("red", "circle"), ("blue", "square"), ("yellow", "triangle")]:
        assert main(["--model", model, "search", f"{colour} {shape}", "-k", "4", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        found = [truth[r["path"]] for r in rows]
        # Four of each kind exist; the first three must be right, and all four share a trait.
        assert found[:3] == [(colour, shape)] * 3, f"{colour} {shape}: {found}"
        assert colour == found[3][0] or shape == found[3][1], f"{colour} {shape}: {found}"


def test_negative_and_weighted_terms_steer_results(library_factory_shapes):
    lib, truth = library_factory_shapes

    hits = list(lib.search(build_query("circle", negatives=["red"]), k=4))[-1].hits
    found = [truth[str(h.photo.path)] for h in hits]
    assert all(shape == "circle" and colour != "red" for colour, shape in found[:3]), found
    plain = list(lib.search(build_query("circle"), k=12))[-1].hits
    assert any(truth[str(h.photo.path)][0] == "red" for h in plain[:4]), "red circles exist"

    # A weight changes how far a term pulls: a light "not red" leaves the red circles near
    # the top of "circle", a heavy one sends them below every other circle.
    def first_red_circle(negative: str) -> int:
        hits = list(lib.search(build_query("circle", negatives=[negative]), k=48))[-1].hits
        kinds = [truth[str(h.photo.path)] for h in hits]
        return kinds.index(("red", "circle"))

    light, heavy = first_red_circle("0.05:red"), first_red_circle("3:red")
    assert light < 4 and heavy >= 12, (light, heavy)


@pytest.fixture
def library_factory_shapes(tmp_path, shapes_model_path):
    from core.library import Library

    root = tmp_path / "shapes2"
    truth = shapes_folder(root, 777)
    lib = Library(model=f"test-tiny:{shapes_model_path}")
    lib.add_folder(root)
    lib.index()
    yield lib, truth
    lib.close()
