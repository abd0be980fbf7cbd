"""The library never loses photos or answers wrongly: drives mounted inside a folder, photos
that change while they are read, and an exact answer that is exact."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from core.library import Library
from core.vectors import codec
from core.vectors.index import VectorIndex
from tests.conftest import make_photo


def test_the_exact_answer_scores_every_vector(tmp_path):
    """Re-ranking what the graph found is not exact: on vectors without structure the graph
    misses true neighbours for most queries. The exact answer must be brute force's."""
    rng = np.random.default_rng(0)
    count, dim = 6000, 64
    vectors = rng.standard_normal((count, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(tmp_path / "m.hnsw", "m", dim, tmp_path / "backups")
    index.add(range(count), vectors)
    index.save()
    stored = codec.decode_many([codec.encode(v) for v in vectors], dim)  # the catalog's form
    queries = rng.standard_normal((100, dim)).astype(np.float32)
    for query in queries / np.linalg.norm(queries, axis=1, keepdims=True):
        truth = np.argsort(-(stored @ query), kind="stable")[:10]
        found = index.exact(query, 10)
        assert list(found.ids) == list(truth)
        assert np.allclose(found.scores, (stored @ query)[truth], atol=1e-5)


def test_photos_that_change_while_being_read_never_hide_the_others(library: Library, tmp_path):
    """The newest photos (embedded first) all change between the scan and their decoding: the
    run must still embed every untouched photo, then catch up with the changed ones."""
    root = tmp_path / "busy"
    for n in range(300):
        make_photo(root / f"p{n:03d}.jpg", n, size=(48, 32))
    library.add_folder(root)
    library.scan()
    with library.catalog.read() as conn:
        newest = [Path(r[0]).name for r in conn.exec_driver_sql(
            "SELECT rel_path FROM photos ORDER BY id DESC LIMIT 270")]
    for name in newest:  # rewritten after the scan: another size and time
        make_photo(root / name, 1000 + int(name[1:4]), size=(50, 30))
    first = library.embed_pending()
    assert first.embedded == 30 and first.busy == 270  # untouched ones are not hidden
    summary = library.index()  # scans again, embeds the changed ones
    assert summary.embedded == 270 and summary.busy == 0
    status = library.status()
    assert status.indexed == 300 and status.pending == 0


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _plug_in(drive: Path, mount_point: Path) -> bool:
    """A file system of its own (a drive) at ``mount_point``, holding ``drive``'s files with
    their times (so that plugging it in again shows the very same photos)."""
    import shutil

    if not _mount("-t", "tmpfs", "-o", "size=64m", "photoseek-test", str(mount_point)):
        return False
    shutil.copytree(drive, mount_point, dirs_exist_ok=True, copy_function=shutil.copy2)
    return True


def test_a_drive_mounted_inside_a_folder_keeps_its_photos_while_unmounted(library, tmp_path):
    photos = tmp_path / "photos"
    for n in range(4):
        make_photo(photos / f"home{n}.jpg", n)
    drive = tmp_path / "drive-contents"
    for n in range(6):
        make_photo(drive / "trip" / f"t{n}.jpg", 10 + n)
    mount_point = photos / "external"
    mount_point.mkdir()
    if not _plug_in(drive, mount_point):
        pytest.skip("mounting needs root and a kernel that allows it here")
    try:
        library.add_folder(photos)
        library.index()
        assert library.status().indexed == 10
        subprocess.run(["umount", str(mount_point)], check=True)  # the drive is unplugged
        summary = library.index()
        assert summary.removed == 0
        status = library.status()
        assert status.photos == 10 and status.indexed == 10
        assert status.folders[0].unmounted == ("external",)
        make_photo(photos / "home_new.jpg", 99)  # the rest of the folder is still watched
        assert library.index().added == 1
        assert _plug_in(drive, mount_point)  # plugged in again
        again = library.index()
        assert again.embedded == 0 and again.removed == 0  # the same photos, same vectors
        assert library.status().folders[0].unmounted == ()
    finally:
        if os.path.ismount(mount_point):
            subprocess.run(["umount", str(mount_point)], check=True)


def test_a_folder_deleted_inside_a_library_folder_is_still_removed(library, tmp_path):
    """Only mounts are protected: deleting an ordinary subfolder removes its photos."""
    photos = tmp_path / "photos"
    make_photo(photos / "a.jpg", 1)
    make_photo(photos / "old trip" / "b.jpg", 2)
    library.add_folder(photos)
    library.index()
    for child in (photos / "old trip").iterdir():
        child.unlink()
    (photos / "old trip").rmdir()
    assert library.index().removed == 1
    assert library.status().photos == 1


def test_the_name_index_follows_photos_found_moved_and_removed(library: Library, tmp_path):
    from core.catalog import schema

    root = tmp_path / "names"
    make_photo(root / "Holidays 2021" / "IMG_1099.jpg", 1)
    make_photo(root / "other" / "IMG_2000.jpg", 2)
    library.add_folder(root)
    library.scan()

    def named(text: str) -> set[str]:
        return {p.path.name for p in library.search_by_name(text, 50)}

    with library.catalog.read() as conn:  # the trigram index exists in this SQLite
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = ?",
                                    (schema.NAME_INDEX,)).scalar() == 1
    assert named("img_1099") == {"IMG_1099.jpg"} and named("holidays 2021") == {"IMG_1099.jpg"}
    (root / "Holidays 2021" / "IMG_1099.jpg").rename(root / "other" / "renamed.jpg")
    library.scan()
    assert named("IMG_1099") == set() and named("renamed") == {"renamed.jpg"}
    (root / "other" / "renamed.jpg").unlink()
    library.scan()
    assert named("renamed") == set() and named("IMG_2000") == {"IMG_2000.jpg"}
    assert named("IM") == {"IMG_2000.jpg"}  # under three characters: a plain scan
    with library.catalog.write() as conn:  # an SQLite without trigram support: a scan too
        conn.exec_driver_sql(f"DROP TABLE {schema.NAME_INDEX}")
    assert named("img_2000") == {"IMG_2000.jpg"}
