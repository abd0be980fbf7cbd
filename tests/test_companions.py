"""Files kept with another photo of the same shot: a RAW beside its JPEG or HEIC (RAW+JPEG) and
a Live Photo's MOV beside its still are one photo, the JPEG or the still; the other file is
recorded as its companion, never indexed on its own, never listed as unread. A RAW alone is a
photo, and becomes one again when its JPEG goes; a full scan and a watcher's single-file scan
agree on all of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from core.indexing.companions import LIVE, RAW, Companion, companion_of, pair_up
from core.indexing.scanner import WalkReport, walk_photos
from tests.conftest import TINY_MODEL, make_photo
from tests.raw_files import write_dng


def test_pairs_are_found_by_stem_case_insensitively_and_in_any_listing_order() -> None:
    names = [
        "IMG_0001.JPG", "img_0001.cr2",  # RAW+JPEG, the case differs
        "IMG_0002.CR3",  # a RAW alone
        "IMG_0003.HEIC", "IMG_0003.MOV",  # a Live Photo
        "IMG_0004.mov",  # a video alone
        "IMG_0005.jpg", "IMG_0005.heic", "IMG_0005.dng",  # two stills: the first by name
        "IMG_0006.png", "IMG_0006.nef",  # a PNG is no camera's companion JPEG
        "IMG_0001.JPG.xmp", "IMG_0001.xmp",  # sidecars are nobody's companion
        "IMG_00010.CR2",  # a longer stem is another shot
    ]
    expected = {
        "img_0001.cr2": Companion("img_0001.cr2", "IMG_0001.JPG", RAW),
        "IMG_0003.MOV": Companion("IMG_0003.MOV", "IMG_0003.HEIC", LIVE),
        "IMG_0005.dng": Companion("IMG_0005.dng", "IMG_0005.heic", RAW),
    }
    assert pair_up(names) == expected
    assert pair_up(reversed(names)) == expected
    assert pair_up(["a.CR2", "b.MOV"]) == {}


def _heic(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (96, 64), (40, 90, 200)).save(path)
    return path


def _shots(root: Path) -> Path:
    """A camera card and a phone's photos: a RAW+JPEG pair, a RAW alone, a Live Photo."""
    make_photo(root / "IMG_0001.JPG", 1)
    write_dng(root / "img_0001.CR2", preview=(1024, 768))
    write_dng(root / "IMG_0002.DNG", preview=None)
    _heic(root / "IMG_0003.HEIC")
    (root / "IMG_0003.MOV").write_bytes(b"\0\0\0\x14ftypqt  " + bytes(500))
    return root


def test_the_scanner_yields_the_photo_and_records_its_companions(tmp_path: Path) -> None:
    root = _shots(tmp_path / "card")
    report = WalkReport.empty()
    found = sorted(f.rel for f in walk_photos(root, report))
    assert found == ["IMG_0001.JPG", "IMG_0002.DNG", "IMG_0003.HEIC"]
    assert sorted((p.name, item.name, kind) for p, item, kind in report.companions) == [
        ("IMG_0003.MOV", "IMG_0003.HEIC", LIVE),
        ("img_0001.CR2", "IMG_0001.JPG", RAW),
    ]
    assert report.not_read == [] and report.unreadable == []
    assert companion_of(root / "img_0001.CR2") == Companion("img_0001.CR2", "IMG_0001.JPG", RAW)
    assert companion_of(root / "IMG_0002.DNG") is None
    assert companion_of(root / "IMG_0001.JPG") is None


def test_a_pair_is_one_photo_and_the_raw_takes_over_when_its_jpeg_goes(
    library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.cli.main import main

    root = _shots(tmp_path / "card")
    library.add_folder(root)
    summary = library.index()
    assert summary.scanned == 3 and summary.failed == 0 and summary.unread == 0
    assert summary.companions == 2 and "2 files kept with their photos" in summary.line()
    status = library.status()
    assert (status.photos, status.indexed) == (3, 3)
    assert status.companions == {RAW: 1, LIVE: 1} and status.unread == 0
    assert library.failures() == []
    names = {p.path.name: p for p in library.search_by_name("IMG_000")}
    assert set(names) == {"IMG_0001.JPG", "IMG_0002.DNG", "IMG_0003.HEIC"}
    assert library.companions_of(names["IMG_0001.JPG"].id) == [(root / "img_0001.CR2", RAW)]
    assert library.companions_of(names["IMG_0003.HEIC"].id) == [(root / "IMG_0003.MOV", LIVE)]
    assert library.companions_of(names["IMG_0002.DNG"].id) == []

    library.close()
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "status"]) == 0
    out = capsys.readouterr().out
    assert "photos: 3 (3 indexed" in out
    assert "kept with their photos: 1 RAW files of RAW+JPEG pairs, 1 Live Photo videos" in out
    assert "not read" not in out

    from core.library import Library

    again = Library(model=TINY_MODEL)
    try:
        (root / "IMG_0001.JPG").unlink()  # the RAW is the photo now
        make_photo(root / "IMG_0002.jpg", 2)  # the RAW alone gets its JPEG
        summary = again.index()
        assert summary.failed == 0 and summary.companions == 2
        names = {p.path.name for p in again.search_by_name("IMG_000")}
        assert names == {"img_0001.CR2", "IMG_0002.jpg", "IMG_0003.HEIC"}
        status = again.status()
        assert (status.photos, status.indexed, status.companions) == (3, 3, {RAW: 1, LIVE: 1})
    finally:
        again.close()


def test_a_watchers_single_file_scan_turns_a_raw_into_a_photo_and_back(
    library, tmp_path: Path
) -> None:
    root = _shots(tmp_path / "card")
    folder = library.add_folder(root)
    library.index()

    def photos() -> set[str]:
        return {p.path.name for p in library.search_by_name("IMG_000")}

    # The JPEG deleted: the watcher reports that file only; its RAW is looked at too.
    (root / "IMG_0001.JPG").unlink()
    counts = library.scan(subpaths={folder.id: ["IMG_0001.JPG"]})
    assert (counts.added, counts.removed) == (1, 1)
    assert photos() == {"img_0001.CR2", "IMG_0002.DNG", "IMG_0003.HEIC"}
    assert library.status().companions == {LIVE: 1}

    # A JPEG arrives beside a RAW alone: the RAW leaves the photos (and the index).
    make_photo(root / "IMG_0002.JPG", 2)
    counts = library.scan(subpaths={folder.id: ["IMG_0002.JPG"]})
    assert (counts.added, counts.removed, counts.companions) == (1, 1, 1)
    assert photos() == {"img_0001.CR2", "IMG_0002.JPG", "IMG_0003.HEIC"}
    assert library.status().companions == {RAW: 1, LIVE: 1}

    # The watcher reports the companion itself (rewritten): it stays a companion.
    write_dng(root / "IMG_0002.DNG", preview=None, taken_at=None)
    counts = library.scan(subpaths={folder.id: ["IMG_0002.DNG"]})
    assert counts.added == 0 and counts.companions == 1
    assert library.status().companions == {RAW: 1, LIVE: 1}


def test_a_live_photos_video_never_reaches_the_catalog_as_an_item(
    library, tmp_path: Path
) -> None:
    root = tmp_path / "phone"
    _heic(root / "IMG_0100.HEIC")
    (root / "IMG_0100.MOV").write_bytes(b"\0\0\0\x14ftypqt  " + bytes(500))
    make_photo(root / "IMG_0101.JPG", 4)  # "Most Compatible": a JPEG still
    (root / "img_0101.mov").write_bytes(b"\0\0\0\x14ftypqt  " + bytes(500))
    library.add_folder(root)
    summary = library.index()
    assert summary.scanned == 2 and summary.failed == 0 and summary.unread == 0
    assert {p.path.name for p in library.search_by_name("IMG_01")} == {
        "IMG_0100.HEIC", "IMG_0101.JPG"}
    assert library.status().companions == {LIVE: 2}
    assert library.failures() == []
