"""Schema versions, upgrades with a backup, concurrent readers, damaged files."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from core.catalog import schema
from core.catalog.database import Catalog
from core.errors import CatalogDamagedError


def test_new_catalog_is_at_current_version(tmp_path):
    cat = Catalog(tmp_path / "catalog.db")
    with cat.read() as conn:
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == schema.SCHEMA_VERSION
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    cat.close()


def test_version_1_catalog_is_upgraded_with_a_backup(tmp_path):
    path = tmp_path / "catalog.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        schema.MIGRATIONS[0](conn)
        conn.exec_driver_sql("CREATE INDEX ix_photos_hash ON photos (content_hash)")  # as v1 had
        conn.exec_driver_sql("PRAGMA user_version=1")
        conn.exec_driver_sql("INSERT INTO folders (path, added_at) VALUES ('/photos', 1.0)")
    engine.dispose()

    cat = Catalog(path, tmp_path / "backups")
    with cat.read() as conn:
        row = conn.execute(sa.select(schema.folders)).one()
    assert row.path == "/photos" and row.online and row.watch_mode == "events"
    with cat.read() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
        assert "ix_photos_hash" not in set(names.scalars()), "the unused index is dropped"
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()
    cat.close()


def test_newer_catalog_is_refused(tmp_path):
    path = tmp_path / "catalog.db"
    Catalog(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version={schema.SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(Exception, match="newer PhotoSeek"):
        Catalog(path)


def test_garbage_file_is_reported_as_damaged(tmp_path):
    path = tmp_path / "catalog.db"
    path.write_bytes(b"this is not sqlite" * 200)
    with pytest.raises(CatalogDamagedError):
        Catalog(path)


def test_readers_read_while_a_writer_holds_a_transaction(tmp_path):
    cat = Catalog(tmp_path / "catalog.db")
    with cat.write() as conn:
        conn.execute(schema.folders.insert().values(path="/a", added_at=0))
    writing = threading.Event()
    release = threading.Event()

    def writer():
        with cat.write() as conn:
            conn.execute(schema.folders.insert().values(path="/b", added_at=0))
            writing.set()
            release.wait(5)

    t = threading.Thread(target=writer)
    t.start()
    assert writing.wait(5), "the writer must hold its transaction while we read"
    with cat.read() as conn:  # WAL: sees the committed row, not the open transaction's
        paths = [r.path for r in conn.execute(sa.select(schema.folders))]
    release.set()
    t.join()
    assert paths == ["/a"]
    cat.close()


def _v2_catalog_with_embeddings(path) -> None:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        schema.MIGRATIONS[0](conn)
        schema.MIGRATIONS[1](conn)
        conn.exec_driver_sql("DROP TABLE embeddings")  # the v2 layout: ids could be reused
        conn.exec_driver_sql(
            "CREATE TABLE embeddings (id INTEGER PRIMARY KEY, photo_id INTEGER NOT NULL"
            " REFERENCES photos (id) ON DELETE CASCADE, model_id INTEGER NOT NULL"
            " REFERENCES models (id) ON DELETE CASCADE, vector BLOB NOT NULL,"
            " CONSTRAINT uq_embedding UNIQUE (photo_id, model_id))"
        )
        conn.exec_driver_sql("PRAGMA user_version=2")
        conn.exec_driver_sql("INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 1.0)")
        conn.exec_driver_sql("INSERT INTO models (id, name, dim) VALUES (1, 'm', 2)")
        for n in (1, 2, 3):
            conn.exec_driver_sql(
                "INSERT INTO photos (id, folder_id, rel_path, size, mtime_ns, state)"
                f" VALUES ({n}, 1, 'p{n}.jpg', 1, 1, 1)"
            )
            conn.exec_driver_sql(
                "INSERT INTO embeddings (id, photo_id, model_id, vector)"
                f" VALUES ({n}, {n}, 1, x'0{n}')"
            )
    engine.dispose()


def test_version_2_embeddings_get_fresh_ids_that_are_never_reused(tmp_path):
    path = tmp_path / "catalog.db"
    _v2_catalog_with_embeddings(path)
    cat = Catalog(path, tmp_path / "backups")
    with cat.read() as conn:
        rows = conn.execute(sa.select(schema.embeddings).order_by(schema.embeddings.c.photo_id))
        moved = [(r.id, r.photo_id, r.vector) for r in rows]
    # Renumbered above the old maximum: no label of an old index file names a row any more.
    assert moved == [(4, 1, b"\x01"), (5, 2, b"\x02"), (6, 3, b"\x03")]
    with cat.write() as conn:  # delete the newest row, then embed again
        conn.execute(schema.embeddings.delete().where(schema.embeddings.c.id == 6))
        new_id = conn.execute(
            schema.embeddings.insert().values(photo_id=3, model_id=1, vector=b"\x09")
        ).inserted_primary_key[0]
    assert new_id == 7, "a deleted id is never handed out again"
    cat.close()
