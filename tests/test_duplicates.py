"""Duplicates on real photos: exact copies, re-encoded and resized copies and a burst among
distinct photos, indexed with random test-tiny weights (which put distinct photos at cosine
0.99: the perceptual hash has to tell them apart), then grouped, kept and trashed."""

from __future__ import annotations

import importlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from core.catalog.duplicates import StoredPhoto
from core.duplicates import cache
from core.duplicates.grouping import connected_groups
from core.duplicates.keeping import keeper_first, looks_like_copy
from core.errors import Cancelled
from core.records import DuplicateGroup, Failure, Photo
from core.search.query import build_query
from tests.conftest import tree_fingerprint

# Distinct photos (skimage's "cat" is "chelsea" again, so only one of them).
_DISTINCT = ("camera", "coins", "moon", "hubble_deep_field", "immunohistochemistry", "clock",
             "colorwheel", "page")


def _skimage(name: str) -> Image.Image:
    import skimage.data

    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


# The files by role.
NAMES = {
    "astronaut": "astronaut.jpg", "astronaut_copy": "astronaut (1).jpg",
    "coffee": "coffee.jpg", "coffee_q50": "coffee_sent.jpg", "rocket": "rocket.jpg",
    "rocket_half": "rocket_s.jpg", "burst_a": "IMG_0001.jpg", "burst_b": "IMG_0002.jpg",
    **{name: f"{name}.jpg" for name in _DISTINCT},
}


def make_duplicates_folder(root: Path) -> dict[str, Path]:
    """Every file of NAMES, as a real JPEG, in ``root``; returns the paths by role."""
    root.mkdir(parents=True)
    paths = {role: root / name for role, name in NAMES.items()}
    astronaut, coffee, rocket, chelsea = (
        _skimage(n) for n in ("astronaut", "coffee", "rocket", "chelsea"))
    astronaut.save(paths["astronaut"], quality=92)
    shutil.copyfile(paths["astronaut"], paths["astronaut_copy"])  # the same bytes
    coffee.save(paths["coffee"], quality=92)
    coffee.save(paths["coffee_q50"], quality=50)  # re-encoded, as a messenger sends it
    rocket.save(paths["rocket"], quality=92)
    rocket.resize((rocket.width // 2, rocket.height // 2)).save(paths["rocket_half"], quality=92)
    # A burst: two frames of one scene, the second moved 3% to the right and down.
    width, height = chelsea.width - 14, chelsea.height - 9
    chelsea.crop((0, 0, width, height)).save(paths["burst_a"], quality=92)
    chelsea.crop((14, 9, 14 + width, 9 + height)).save(paths["burst_b"], quality=92)
    for name in _DISTINCT:
        _skimage(name).save(paths[name], quality=92)
    return paths


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("duplicates-originals") / "photos"
    make_duplicates_folder(root)
    return root


@pytest.fixture
def photos(originals: Path, tmp_path: Path) -> dict[str, Path]:
    """A fresh copy of the folder for each test (tests move and damage files)."""
    root = tmp_path / "photos"
    shutil.copytree(originals, root)
    return {role: root / name for role, name in NAMES.items()}


def scan_and_embed(library) -> None:
    """Index without the work after embedding (places, tags, text): not needed here."""
    library.scan()
    counts = library.embed_pending()
    assert counts.failed == 0, counts


@pytest.fixture
def indexed(library, photos: dict[str, Path]):
    library.add_folder(next(iter(photos.values())).parent)
    scan_and_embed(library)
    assert library.status().indexed == len(photos)
    return library


@pytest.fixture
def trash_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The real send2trash, with XDG_DATA_HOME (and HOME, whose drive decides which trash is
    used) in tmp_path. send2trash's freedesktop module reads XDG_DATA_HOME when it is
    imported: it is imported again here, and again after the test with the real values."""
    import send2trash.plat_other

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    importlib.reload(send2trash.plat_other)
    yield tmp_path / "xdg" / "Trash"
    monkeypatch.undo()
    importlib.reload(send2trash.plat_other)


def _by_kind(groups: list[DuplicateGroup]) -> list[tuple[str, list[str]]]:
    return [(g.kind, [m.photo.path.name for m in g.members]) for g in groups]


def test_groups_kinds_and_keepers_on_real_photos(indexed, photos: dict[str, Path]) -> None:
    groups = indexed.duplicates()

    assert _by_kind(groups) == [
        ("exact", ["astronaut.jpg", "astronaut (1).jpg"]),  # the name without "(1)" is kept
        ("copy", ["coffee.jpg", "coffee_sent.jpg"]),  # same pixels count: the larger file
        ("copy", ["rocket.jpg", "rocket_s.jpg"]),  # the larger resolution
        ("burst", [p.name for p in sorted([photos["burst_a"], photos["burst_b"]],
                                          key=lambda p: -p.stat().st_size)]),  # the larger
    ]
    exact, coffee, rocket, burst = groups
    assert [m.keep for m in exact.members] == [True, False]
    assert all(m.identical and m.distance == 0 for m in exact.members)
    assert not coffee.others[0].identical and coffee.others[0].distance is not None
    assert coffee.others[0].distance <= 6 and burst.others[0].distance is not None
    assert (rocket.keeper.photo.width, rocket.others[0].photo.width) == (640, 320)
    assert rocket.reclaimable == photos["rocket_half"].stat().st_size
    assert exact.keeper.folder == photos["astronaut"].parent
    assert exact.keeper.photo.date is not None  # dated by the file's time: no EXIF here


def test_hashes_are_cached_until_the_file_changes(indexed, photos, monkeypatch) -> None:
    first = _by_kind(indexed.duplicates())
    with indexed.catalog.read() as conn:
        cached = conn.exec_driver_sql("SELECT COUNT(*) FROM photo_hashes").scalar_one()
    assert cached >= 6  # every candidate that is not an exact copy

    def no_decoding(path: Path) -> int:
        raise AssertionError(f"{path} was decoded again")

    monkeypatch.setattr(cache, "perceptual_hash", no_decoding)
    assert _by_kind(indexed.duplicates()) == first

    # A changed file loses its hash (the catalog's trigger) and is decoded again.
    monkeypatch.undo()
    coffee = photos["coffee_q50"]
    _skimage("coffee").save(coffee, quality=40)
    scan_and_embed(indexed)
    with indexed.catalog.read() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM photo_hashes").scalar_one() < cached
    assert _by_kind(indexed.duplicates()) == first

    # A cached hash never shows a file deleted since: each photo shown is checked to be there.
    photos["burst_b"].unlink()
    skipped: list[Failure] = []
    assert [kind for kind, _ in _by_kind(indexed.duplicates(skipped=skipped))] == [
        "exact", "copy", "copy"]
    assert [(f.path.name, f.reason) for f in skipped] == [
        ("IMG_0002.jpg", "file vanished before it could be read")]


def test_vanished_and_corrupt_candidates_are_skipped_with_reasons(indexed, photos) -> None:
    photos["coffee_q50"].unlink()
    damaged = photos["rocket_half"]
    info = damaged.stat()
    damaged.write_bytes(damaged.read_bytes()[:600] + bytes(info.st_size - 600))
    os.utime(damaged, ns=(info.st_atime_ns, info.st_mtime_ns))  # looks unchanged: decoded
    skipped: list[Failure] = []

    groups = indexed.duplicates(skipped=skipped)

    reasons = {failure.path.name: failure.reason for failure in skipped}
    assert reasons == {
        "coffee_sent.jpg": "file vanished before it could be read",
        "rocket_s.jpg": "truncated or corrupt image data",
    }
    assert [g.kind for g in groups] == ["exact", "burst"]  # the rest goes on


def test_trash_moves_the_files_and_the_library_forgets_them(
    indexed, photos, trash_folder: Path
) -> None:
    groups = indexed.duplicates()
    doomed = [m for g in groups for m in g.others]
    keepers = [g.keeper.photo.path for g in groups]
    query = build_query(images=[str(photos["coffee"])])
    before = {h.photo.path for h in list(indexed.search(query, k=50))[-1].hits}
    assert photos["coffee_q50"] in before
    untouched = tree_fingerprint(photos["coffee"].parent)

    report = indexed.trash([m.photo.id for m in doomed])

    assert report.failed == ()
    assert sorted(p.path.name for p in report.trashed) == sorted(m.photo.path.name
                                                                 for m in doomed)
    assert report.freed == sum(m.photo.size for m in doomed)
    assert sorted(p.name for p in (trash_folder / "files").iterdir()) == sorted(
        m.photo.path.name for m in doomed)
    assert len(list((trash_folder / "info").iterdir())) == len(doomed)  # restorable
    for member in doomed:
        assert not member.photo.path.exists()
        del untouched[str(member.photo.path)]
    assert tree_fingerprint(photos["coffee"].parent) == untouched  # nothing else moved
    assert all(path.exists() for path in keepers)

    after = {h.photo.path for h in list(indexed.search(query, k=50))[-1].hits}
    assert after == before - {m.photo.path for m in doomed}
    assert indexed.status().photos == len(photos) - len(doomed)
    assert indexed.duplicates() == []


def test_trash_reports_what_it_cannot_move_and_moves_the_rest(
    indexed, photos, trash_folder: Path
) -> None:
    groups = indexed.duplicates()
    ids = {m.photo.path.name: m.photo.id for g in groups for m in g.members}
    photos["coffee_q50"].unlink()
    photos["rocket_half"].write_bytes(photos["rocket"].read_bytes())  # replaced since indexed

    report = indexed.trash([ids["coffee_sent.jpg"], 987654, ids["rocket_s.jpg"],
                            ids["astronaut (1).jpg"]])

    assert [(f.path.name if f.path else None, f.reason) for f in report.failed] == [
        ("coffee_sent.jpg", "the file is no longer there"),
        (None, "not in the library (already removed?)"),
        ("rocket_s.jpg", "the file changed since it was indexed: index again, then review it"),
    ]
    assert [p.path.name for p in report.trashed] == ["astronaut (1).jpg"]
    assert photos["rocket_half"].exists() and photos["astronaut"].exists()
    assert [p.name for p in (trash_folder / "files").iterdir()] == ["astronaut (1).jpg"]


def test_cancel_stops_after_a_batch_and_progress_counts_up(indexed) -> None:
    seen: list[tuple[int, int]] = []
    indexed.duplicates(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] > 0
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:], strict=False))

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        indexed.duplicates(cancel=cancel)


def test_photos_of_an_offline_folder_take_no_part(indexed, photos) -> None:
    from core.catalog import queries

    assert indexed.duplicates()
    with indexed.catalog.write() as conn:
        queries.set_folder_state(conn, indexed.folders()[0].id, online=False)
    assert indexed.duplicates() == []


# -- the parts on their own ------------------------------------------------------------------


def test_neighbours_of_every_stored_vector(tmp_path: Path) -> None:
    import numpy as np

    from core.vectors.index import VectorIndex

    rng = np.random.default_rng(3)
    base = rng.normal(size=(40, 16)).astype(np.float32)
    index = VectorIndex(tmp_path / "i.hnsw", "m", 16, tmp_path / "backups")
    index.add(range(1, 41), base)
    index.save()  # the graph holds these; the next ones wait in the fresh buffer
    index.add([41, 42], base[[0, 0]] + 0.01)  # near copies of label 1
    index.remove([2])

    ids, scores = index.neighbours_of([1, 41, 2, 99], 4)

    assert set(ids[0][:3].tolist()) == {1, 41, 42} and scores[0][2] > 0.99
    assert ids[1][0] in (41, 42) and 2 not in ids[:2].ravel()
    assert (ids[2:] == -1).all() and np.isneginf(scores[2:]).all()  # removed, unknown
    assert np.all(np.diff(scores[0]) <= 1e-6)  # best first




def _stored(name: str, width: int, height: int, size: int, mtime: int = 0,
            taken: str | None = None) -> StoredPhoto:
    photo = Photo(id=hash(name) & 0xFFFF, path=Path("/p") / name, size=size, width=width,
                  height=height, taken_at=taken)
    return StoredPhoto(photo, mtime, None)


def test_keeper_rule_resolution_then_size_then_the_original() -> None:
    def order(*members: StoredPhoto) -> list[str]:
        return [m.photo.path.name for m in keeper_first(members)]

    assert order(_stored("a.jpg", 800, 600, 9_000_000), _stored("b.jpg", 4000, 3000, 10)) == [
        "b.jpg", "a.jpg"]
    assert order(_stored("a.jpg", 100, 100, 5), _stored("b.jpg", 100, 100, 7)) == [
        "b.jpg", "a.jpg"]
    assert order(_stored("IMG_1 copy.jpg", 9, 9, 5, mtime=1), _stored("IMG_1.jpg", 9, 9, 5,
                                                                      mtime=2)) == [
        "IMG_1.jpg", "IMG_1 copy.jpg"]
    assert order(_stored("b.jpg", 9, 9, 5, taken="2021-01-02 10:00:00"),
                 _stored("a.jpg", 9, 9, 5, taken="2021-01-02 09:59:58"),
                 _stored("c.jpg", 9, 9, 5)) == ["a.jpg", "b.jpg", "c.jpg"]
    assert order(_stored("z.jpg", 9, 9, 5, mtime=1), _stored("y.jpg", 9, 9, 5, mtime=2)) == [
        "z.jpg", "y.jpg"]


def test_copy_marks_in_names() -> None:
    for name in ("IMG_1 (1).jpg", "IMG_1 copy.jpg", "Copy of IMG_1.jpg", "IMG_1 - Copy.JPG",
                 "IMG_1_copy.jpg", "IMG_1-edited.jpg"):
        assert looks_like_copy(name), name
    for name in ("IMG_1.jpg", "copyright.jpg", "photocopy.jpg", "(1) holiday 2.jpg"):
        assert not looks_like_copy(name), name


def test_groups_chain_through_shared_members() -> None:
    groups = connected_groups([(1, 2, "copy"), (3, 4, "exact"), (2, 5, "burst"), (6, 3, "copy")])
    assert sorted((members, sorted(kinds)) for members, kinds in groups) == [
        ([1, 2, 5], ["burst", "copy"]), ([3, 4, 6], ["copy", "exact"])]


def test_why_a_file_cannot_go_to_the_trash_reads_as_a_sentence() -> None:
    import errno

    from send2trash.exceptions import TrashPermissionError

    from core.duplicates.trash import REASON_GONE, REASON_NO_TRASH, REASON_READ_ONLY, trash_reason

    # As root (CI) a read-only folder does not stop a move, so the reasons are checked here.
    assert trash_reason(PermissionError(errno.EACCES, "Permission denied")) == REASON_READ_ONLY
    assert trash_reason(OSError(errno.EROFS, "Read-only file system")) == REASON_READ_ONLY
    assert trash_reason(TrashPermissionError("/media/usb/.Trash-1000")) == REASON_NO_TRASH
    assert trash_reason(OSError("Couldn't find mount point for /media/usb/a.jpg")) == (
        REASON_NO_TRASH)
    assert trash_reason(FileNotFoundError(errno.ENOENT, "File not found")) == REASON_GONE
    assert trash_reason(OSError(errno.EIO, "Input/output error")) == (
        "it could not be moved to the trash: Input/output error")
