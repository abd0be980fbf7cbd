"""``photoseek duplicates`` on real photos: what it lists, in text and JSON, and what
``--trash-suggested`` moves (into a trash folder in tmp_path: see trash_folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli.main import main
from core.library import Library
from tests.conftest import TINY_MODEL, tree_fingerprint
from tests.test_duplicates import (  # noqa: F401 - fixtures
    originals,
    photos,
    scan_and_embed,
    trash_folder,
)

_MEMBER_KEYS = {"id", "path", "folder", "size", "width", "height", "date", "taken_at",
                "dated_by_file", "keep", "identical", "distance"}


@pytest.fixture
def folder(photos: dict[str, Path]) -> Path:  # noqa: F811 - the fixture
    """The photos indexed with the test model (without the work after embedding)."""
    root = photos["astronaut"].parent
    library = Library(model=TINY_MODEL)
    try:
        library.add_folder(root)
        scan_and_embed(library)
    finally:
        library.close()
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--model", TINY_MODEL, "duplicates", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_groups_with_the_keeper_and_moves_nothing(folder, capsys) -> None:
    before = tree_fingerprint(folder)

    code, out, err = _run(capsys, "--json")

    assert code == 0
    groups = json.loads(out)
    burst = max(["IMG_0001.jpg", "IMG_0002.jpg"], key=lambda n: (folder / n).stat().st_size)
    assert [(g["kind"], [Path(m["path"]).name for m in g["members"] if m["keep"]])
            for g in groups] == [("exact", ["astronaut.jpg"]), ("copy", ["coffee.jpg"]),
                                 ("copy", ["rocket.jpg"]), ("burst", [burst])]
    for group in groups:
        assert set(group) == {"kind", "reclaimable", "members"}
        assert group["reclaimable"] == sum(m["size"] for m in group["members"] if not m["keep"])
        for member in group["members"]:
            assert set(member) == _MEMBER_KEYS
            assert member["folder"] == str(folder)
            assert Path(member["path"]).stat().st_size == member["size"]
    rocket = groups[2]["members"]
    assert [(m["width"], m["height"]) for m in rocket] == [(640, 427), (320, 213)]
    assert "4 groups of duplicates: 4 photos" in err
    assert tree_fingerprint(folder) == before


def test_text_marks_the_keeper_of_each_group(folder, capsys) -> None:
    code, out, _err = _run(capsys)

    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("exact: 2 photos, ")
    assert lines[1].startswith(f"  keep  {folder / 'astronaut.jpg'}  512x512  ")
    assert lines[2].startswith(f"        {folder / 'astronaut (1).jpg'}  512x512  ")
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == [
        "exact", "copy", "copy", "burst"]


def test_trash_suggested_moves_every_other_photo_and_says_so(
    folder, capsys, trash_folder: Path  # noqa: F811 - the fixture
) -> None:
    code, out, err = _run(capsys, "--trash-suggested", "--json")

    assert code == 0
    answer = json.loads(out)
    others = [m["path"] for g in answer["groups"] for m in g["members"] if not m["keep"]]
    keepers = [m["path"] for g in answer["groups"] for m in g["members"] if m["keep"]]
    assert sorted(answer["trashed"]) == sorted(others) and answer["failed"] == []
    assert sorted(p.name for p in (trash_folder / "files").iterdir()) == sorted(
        Path(p).name for p in others)
    assert not any(Path(p).exists() for p in others)
    assert all(Path(p).exists() for p in keepers)
    assert "moved 4 photos" in err
    assert len(list(folder.iterdir())) == 16 - 4  # the 12 others stay

    code, out, err = _run(capsys)
    assert (code, out) == (0, "") and "no duplicates found" in err
