"""Faults a person meets: a full disk, a catalog locked by another process, a read-only folder.

Each gives a clear message, leaves the library intact, and work resumes once the cause is gone.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.catalog.database import Catalog
from core.errors import CatalogError
from core.library import Library
from core.search.query import build_query
from tests.conftest import TINY_MODEL, make_photo


class _PageLimit:
    """Make SQLite report 'database or disk is full' once the file reaches ``pages`` pages."""

    def __init__(self, catalog: Catalog, pages: int) -> None:
        self.catalog, self.pages = catalog, pages

    def __call__(self, dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={self.pages}")

    def __enter__(self) -> None:
        self.catalog.engine.dispose()  # new connections pick the limit up
        sa.event.listen(self.catalog.engine, "connect", self)

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.catalog.engine, "connect", self)
        self.catalog.engine.dispose()


def test_disk_full_while_indexing_then_resume(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    for n in range(40):
        make_photo(photo_dir / "more" / f"m{n}.png", 100 + n, size=(64, 64))
    with library.catalog.read() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    with _PageLimit(library.catalog, pages), pytest.raises(CatalogError, match="full"):
        library.index()
    status = library.status()
    assert 16 <= status.indexed < 56, "what was committed before the disk filled is intact"
    with library.catalog.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    hits = list(library.search(build_query(images=[str(photo_dir / "img_00.jpg")]), k=3))
    assert hits[-1].hits
    library.index()
    assert library.status().indexed == 56


def test_catalog_locked_by_another_process_gives_a_clear_message(isolated_home, photo_dir):
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.close()
    holder = subprocess.Popen(  # another process holds the write lock
        ["python3", "-c",
         "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
         "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(30)",
         str(isolated_home / "catalog.db")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        catalog = Catalog(isolated_home / "catalog.db", busy_timeout_ms=300)
        locked = pytest.raises(CatalogError, match="locked by another PhotoSeek")
        with locked, catalog.write() as conn:
            conn.exec_driver_sql("UPDATE folders SET watch_mode = watch_mode")
        with catalog.read() as conn:  # reading still works (WAL)
            assert conn.exec_driver_sql("SELECT count(*) FROM folders").scalar() == 1
        catalog.close()
    finally:
        holder.kill()
        holder.wait()
    lib = Library(model=TINY_MODEL)
    assert lib.index().embedded == 16
    lib.close()


@contextmanager
def _small_disk(target: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of the given size mounted at ``target``: a disk that can fill up or turn read-only.

    The library indexed on it holds ``photo_dir``'s 16 photos."""
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(target)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs privileges this run does not have")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _indexed_library(home: Path, photo_dir: Path) -> Library:
    lib = Library(home=home, model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.index()
    return lib


def test_read_only_data_folder_gives_a_clear_message(tmp_path, photo_dir):
    with _small_disk(tmp_path / "ro-home", 8) as home:
        _indexed_library(home, photo_dir).close()
        subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        with pytest.raises(CatalogError) as raised:
            lib = Library(home=home, model=TINY_MODEL)
            lib.add_folder(photo_dir / "sub")
            lib.index()
        assert "read-only" in str(raised.value)
        subprocess.run(["mount", "-o", "remount,rw", str(home)], check=True)
        db = sqlite3.connect(home / "catalog.db")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 16
        db.close()


def test_disk_full_for_the_index_file_keeps_the_old_one(tmp_path, photo_dir):
    with _small_disk(tmp_path / "small-home", 3) as home:
        lib = _indexed_library(home, photo_dir)
        filler = home / "filler.bin"
        with open(filler, "wb", buffering=0) as handle:  # fill the disk
            try:
                while True:
                    handle.write(b"\0" * 65536)
            except OSError:
                pass
        for n in range(30):
            make_photo(photo_dir / "new" / f"n{n}.png", 300 + n, size=(64, 64))
        with pytest.raises((CatalogError, OSError)) as raised:
            lib.index()
        assert "full" in str(raised.value) or "No space" in str(raised.value)
        filler.unlink()
        summary = lib.index()
        assert lib.status().indexed == 46, summary
        lib.close()
        lib = Library(home=home, model=TINY_MODEL)
        assert not lib.notices
        hits = list(lib.search(build_query(images=[str(photo_dir / "img_00.jpg")]), k=100))
        assert len(hits[-1].hits) == 45
        lib.close()
