"""Damaged files at start: the library keeps a copy, rebuilds what it can and says what happened."""

from __future__ import annotations

from core.library import Library
from core.search.query import build_query
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


KILLED_AFTER_REEMBED = """
import os, sys
from pathlib import Path
from core.library import Library
from tests.conftest import make_photo
photos = Path(sys.argv[1])
lib = Library(model="test-tiny")
lib.prepare()  # the index is open, as in the service: the deletion is not saved at once
with lib.catalog.read() as conn:  # the photo whose vector has the highest label
    newest = conn.exec_driver_sql(
        "SELECT rel_path FROM photos JOIN embeddings ON photos.id = photo_id"
        " ORDER BY embeddings.id DESC LIMIT 1"
    ).scalar_one()
(photos / newest).unlink()
make_photo(photos / "arrived.jpg", 999)
lib.scan()
lib.embed_pending()
os._exit(0)  # killed before the index is saved
"""


def test_a_kill_before_the_index_is_saved_never_leaves_a_wrong_vector(
    isolated_home, tmp_path
):
    """The newest photo deleted, another embedded, then a kill: no label may keep the deleted
    photo's vector (SQLite would reuse the newest id without AUTOINCREMENT)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import numpy as np

    from core.catalog import lookups
    from core.vectors import codec as vector_codec
    from tests.conftest import make_photo

    photos = tmp_path / "photos"
    for n in range(6):
        make_photo(photos / f"p{n}.jpg", n)
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photos)
    lib.index()
    lib.close()
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_REEMBED, str(photos)], cwd=root, check=True,
        env={**os.environ, "PYTHONPATH": str(root)}, timeout=120,
    )

    lib = Library(model=TINY_MODEL)
    embedder, model_id, index, _searcher = lib._ready()
    with lib.catalog.read() as conn:
        labels = lookups.embedding_ids(conn, model_id)
        stored = dict(lookups.embedding_blobs(conn, model_id, labels))
    held = index.vectors(labels)
    assert set(held) == set(stored)
    # test-tiny's random vectors are all alike, so compare each index vector with every
    # catalog vector: the nearest must be its own row's.
    matrix = vector_codec.decode_many([stored[label] for label in labels], embedder.dim)
    for label in labels:
        nearest = labels[int(np.argmax(matrix @ held[label]))]
        assert nearest == label, f"label {label} answers with another photo's vector"
    lib.close()
