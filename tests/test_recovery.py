"""Damaged files at start: the library keeps a copy, rebuilds what it can and says what happened."""

from __future__ import annotations

from core.library import Library
from core.search import build_query
from tests.conftest import TINY_MODEL


def test_damaged_catalog_is_kept_and_the_library_rebuilt(isolated_home, photo_dir):
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.index()
    lib.close()
    catalog = isolated_home / "catalog.db"
    catalog.write_bytes(b"\x00garbage" * 4096)

    lib = Library(model=TINY_MODEL)
    assert any("damaged" in n for n in lib.notices)
    kept = list((isolated_home / "backups").glob("catalog.db.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\x00garbage")
    assert [f.path for f in lib.folders()] == [photo_dir], "folders come back from settings"
    summary = lib.index()
    assert summary.embedded == 16
    hits = list(lib.search(build_query(images=[str(photo_dir / "img_01.jpg")]), k=3))[-1].hits
    assert len(hits) == 3
    lib.close()


def test_damaged_index_is_rebuilt_from_the_catalog(isolated_home, photo_dir):
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.index()
    lib.close()
    (index_file,) = (isolated_home / "index").glob("*.hnsw")
    data = bytearray(index_file.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 32] = b"\xee" * 32
    index_file.write_bytes(bytes(data))

    lib = Library(model=TINY_MODEL)
    hits = list(lib.search(build_query(images=[str(photo_dir / "img_01.jpg")]), k=50))[-1].hits
    assert len(hits) == 15
    assert any("rebuilt" in n for n in lib.notices)
    assert list((isolated_home / "backups").glob("*.hnsw.damaged-*"))
    lib.close()
