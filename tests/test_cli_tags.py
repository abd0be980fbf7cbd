"""``photoseek tags``, ``photoseek search --tag`` and ``photoseek describe``, on a library of
coloured shapes tagged by the tiny CLIP trained on them (see tests/test_tagging.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from core.cli.main import main
from tests.shapes_clip import draw_shape
from tests.test_tagging import (
    LABELS,
    embed_and_tag,
    open_shapes,
    shapes_folder,
    shapes_vocabulary,
)

pytestmark = pytest.mark.understanding  # tagging runs after indexing here

OWN = "yellow triangle"  # left out of the vocabulary: added as a tag of one's own


@pytest.fixture(scope="module")
def shapes_home(tmp_path_factory, shapes_model_path):
    """(the CLI's leading arguments, path -> label) of an indexed, tagged shapes library whose
    vocabulary lacks OWN."""
    from core.library import Library

    root = tmp_path_factory.mktemp("cli-tags")
    truth = shapes_folder(root / "photos", 5)
    vocabulary = shapes_vocabulary(leave_out=(OWN,))
    with pytest.MonkeyPatch.context() as patch:
        # main() opens its own Library: the class gives every one this vocabulary.
        patch.setattr(Library, "tag_vocabulary", vocabulary)
        lib = open_shapes(root / "home", shapes_model_path, root / "photos", vocabulary)
        embed_and_tag(lib)
        lib.close()
        yield ["--home", str(root / "home"), "--model", f"test-tiny:{shapes_model_path}"], truth


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_tags_lists_counts_most_used_first(capsys, shapes_home):
    home, truth = shapes_home
    code, out, _err = run(capsys, *home, "tags", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [set(row) for row in rows] == [{"name", "zh", "count", "custom", "phrase"}] * len(rows)
    assert {row["name"] for row in rows} == set(LABELS) - {OWN}
    counts = [row["count"] for row in rows]
    assert counts == sorted(counts, reverse=True) and sum(counts) >= 0.9 * len(truth)
    assert not any(row["custom"] for row in rows)

    code, out, _err = run(capsys, *home, "tags")
    first = out.splitlines()[0].split()
    assert code == 0 and int(first[0]) == counts[0] and " ".join(first[1:]) == rows[0]["name"]


def test_own_tag_added_filters_search_and_is_removed(capsys, shapes_home):
    home, truth = shapes_home
    code, out, _err = run(capsys, *home, "tags", "--add", "A Yellow Triangle", "--json")
    added = json.loads(out)
    assert code == 0 and added["name"] == "a yellow triangle" and added["custom"] is True
    assert added["phrase"] == "A Yellow Triangle" and added["count"] >= 4

    code, out, _err = run(capsys, *home, "tags")
    assert any(line.endswith("a yellow triangle  [own]") for line in out.splitlines())

    # Browsing by the tag lists the photos carrying it: the yellow triangles.
    code, out, err = run(capsys, *home, "search", "--tag", "a yellow triangle", "--json")
    browsed = [truth[Path(row["path"])] for row in json.loads(out)]
    assert code == 0 and len(browsed) == added["count"]
    assert browsed.count(OWN) >= 4 and len(browsed) - browsed.count(OWN) <= 1, browsed
    # A query that ranks other photos first answers from the tagged ones only.
    code, out, _err = run(capsys, *home, "search", "red circle", "--tag", "a yellow triangle",
                          "--all", "--json")
    assert sorted(row["path"] for row in json.loads(out)) == sorted(
        row["path"] for row in json.loads(run(
            capsys, *home, "search", "--tag", "a yellow triangle", "--json")[1]))
    # All tags must apply.
    code, out, err = run(capsys, *home, "search", "--tag", "a yellow triangle", "--tag",
                         "blue square")
    assert code == 0 and out == "" and "0 photos pass the filters" in err

    code, _out, err = run(capsys, *home, "tags", "--remove", "red circle")
    assert code == 1 and err.count("\n") == 1 and "built-in" in err and "Traceback" not in err
    code, _out, err = run(capsys, *home, "tags", "--remove", "a yellow triangle")
    assert code == 0
    code, out, _err = run(capsys, *home, "tags", "--json")
    assert "a yellow triangle" not in {row["name"] for row in json.loads(out)}


def test_describe_a_photo_inside_and_outside_the_library(capsys, shapes_home, tmp_path):
    home, truth = shapes_home
    path = next(p for p, label in truth.items() if label == "blue square")
    code, out, _err = run(capsys, *home, "describe", str(path), "--json")
    found = json.loads(out)
    assert code == 0
    assert set(found) == {"path", "photo_id", "in_library", "tags", "descriptions"}
    assert found["path"] == str(path) and found["in_library"] is True
    assert found["tags"][0]["name"] == "blue square" and set(found["tags"][0]) == {
        "name", "zh", "score"}
    assert found["descriptions"][0]["text"] == "a blue square"
    assert set(found["descriptions"][0]) == {"text", "score"}

    outside = tmp_path / "red.png"
    draw_shape(random.Random(8), "red", "triangle").save(outside)
    code, out, _err = run(capsys, *home, "describe", str(outside))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("tags: red triangle ")
    assert lines[1].split(maxsplit=1)[1] == "a red triangle"

    code, _out, err = run(capsys, *home, "describe", str(tmp_path / "missing.jpg"))
    assert code == 1 and "missing.jpg" in err and "Traceback" not in err
