"""A folder that cannot be read is not a folder that was emptied: the library keeps its photos.

Tests run as root here, where chmod cannot lock a folder, so the OS errors are raised by a
patched ``os.scandir`` for the chosen folder only; everything else touches the real disk.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.catalog import queries, schema
from core.imaging.reasons import REASON_CORRUPT, REASON_PERMISSION
from core.library import Library
from tests.conftest import TINY_MODEL


def refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int) -> None:
    real = os.scandir

    def scandir(path=".", *args, **kwargs):
        if Path(path) == folder:
            raise OSError(code, os.strerror(code), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)


def indexed_library(photo_dir: Path) -> Library:
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    assert lib.index().embedded == 16
    return lib


def test_an_unreadable_subfolder_keeps_its_photos(photo_dir, monkeypatch):
    lib = indexed_library(photo_dir)
    refuse_listing(monkeypatch, photo_dir / "sub", errno.EACCES)
    counts = lib.scan()
    assert counts.removed == 0
    assert counts.unreadable == [photo_dir / "sub"]
    status = lib.status()
    assert (status.photos, status.indexed) == (16, 16)
    lib.close()


def test_a_deleted_subfolder_still_loses_its_photos(photo_dir):
    lib = indexed_library(photo_dir)
    shutil.rmtree(photo_dir / "sub")
    assert lib.scan().removed == 4
    assert lib.status().photos == 12
    lib.close()


@pytest.mark.parametrize("code", [errno.EIO, errno.EACCES])
def test_a_library_folder_that_cannot_be_listed_goes_offline(photo_dir, monkeypatch, code):
    lib = indexed_library(photo_dir)
    refuse_listing(monkeypatch, photo_dir, code)
    counts = lib.scan()
    assert counts.offline == [photo_dir] and counts.removed == 0
    (folder,) = lib.folders()
    assert not folder.online and folder.photos == 16
    monkeypatch.undo()
    lib.scan()
    assert lib.folders()[0].online
    lib.close()


def test_an_empty_mount_point_is_offline_not_a_mass_deletion(photo_dir, tmp_path):
    lib = indexed_library(photo_dir)
    aside = tmp_path / "unmounted"
    photo_dir.rename(aside)
    photo_dir.mkdir()  # what an unmounted share leaves behind: its empty mount point
    counts = lib.scan()
    assert counts.offline == [photo_dir] and counts.removed == 0
    assert lib.status().indexed == 16
    photo_dir.rmdir()
    aside.rename(photo_dir)  # mounted again: back online, nothing re-embedded
    assert lib.index().embedded == 0
    assert lib.folders()[0].online
    lib.close()


def _fail(lib: Library, names_reasons: dict[str, str]) -> None:
    with lib.catalog.write() as conn:
        ids = {
            r.rel_path: r.id
            for r in conn.execute(sa.select(schema.photos.c.rel_path, schema.photos.c.id))
        }
        failed = [ids[name] for name in names_reasons]
        # As if they had failed from the start: a failed photo has no vector.
        conn.execute(schema.embeddings.delete().where(schema.embeddings.c.photo_id.in_(failed)))
        queries.mark_failed(conn, [(ids[name], why) for name, why in names_reasons.items()])


def test_a_full_scan_retries_failures_whose_cause_may_have_passed(photo_dir):
    """Fixing a permission changes neither size nor mtime; the next full scan retries anyway."""
    lib = indexed_library(photo_dir)
    _fail(lib, {"img_01.jpg": REASON_PERMISSION, "img_02.jpg": REASON_CORRUPT})
    assert lib.status().failed == 2
    summary = lib.index()
    assert summary.embedded == 1, "the permission failure is tried again and now succeeds"
    assert [f.path.name for f in lib.failures()] == ["img_02.jpg"]
    lib.close()


def test_an_event_for_one_file_does_not_retry_every_failure(photo_dir):
    lib = indexed_library(photo_dir)
    _fail(lib, {"img_01.jpg": REASON_PERMISSION})
    folder = lib.folders()[0]
    assert lib.scan(subpaths={folder.id: ["img_05.jpg"]}).retried == 0
    assert lib.status().failed == 1
    lib.close()
