"""The SQLite catalog: the library's source of truth, vectors included.

WAL mode lets readers (searches, the GUI) read while the indexer writes. All writes in this process
go through ``Catalog.write()``, which serialises them behind one lock and takes SQLite's write lock
up front (``BEGIN IMMEDIATE``) so that a second process waits politely instead of deadlocking.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from core.catalog import schema
from core.errors import CatalogDamagedError, CatalogError
from core.fs.locks import locked

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


def _make_engine(path: Path, busy_timeout_ms: int) -> sa.Engine:
    # The connection is made from the path's bytes: a data folder whose name is not valid UTF-8
    # (Linux allows any bytes) could not be written into a sqlite:/// URL.
    target = os.fsencode(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(target, timeout=busy_timeout_ms / 1000, check_same_thread=False)

    # The URL names no file (the creator opens it), so the pool is chosen here: SQLAlchemy would
    # take "sqlite://" for an in-memory database and share one connection per thread through a
    # pool that is not safe to close while other threads connect.
    engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.QueuePool)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE is possible.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("immediate") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False


def describe_db_error(exc: BaseException, path: Path) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return f"The catalog {path} is locked by another PhotoSeek process; close it and retry."
    if "readonly" in text or "read-only" in text or (
        "unable to open" in text and not os.access(path.parent, os.W_OK)
    ):
        return f"The catalog {path} cannot be written: its folder is read-only."
    if "disk is full" in text or "sqlite_full" in text or _disk_nearly_full(path.parent):
        return "The disk holding the PhotoSeek library is full; free some space and retry."
    if "malformed" in text or "not a database" in text:
        return f"The catalog {path} is damaged."
    return f"The catalog {path} could not be used: {exc}"


class Catalog:
    """Connections, transactions and schema upgrades for ``catalog.db``."""

    def __init__(
        self,
        path: Path,
        backups_dir: Path | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = path
        self._backups_dir = backups_dir or path.parent / "backups"
        self._write_lock = threading.RLock()
        # Write transactions begun by this object: tests and benchmarks check batching with it.
        self.write_count = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # One process at a time creates, checks and upgrades a catalog: two starting on a
            # new data folder at once raced into "disk I/O error" or "table already exists".
            with locked(path.with_name(path.name + ".lock")):
                _refuse_empty_file(path)
                self.engine = _make_engine(path, busy_timeout_ms)
                self._upgrade()
        except sa.exc.DatabaseError as exc:
            message = describe_db_error(exc, path)
            damaged = "damaged" in message
            raise (CatalogDamagedError if damaged else CatalogError)(message) from exc
        except OSError as exc:
            raise CatalogError(f"The library folder {path.parent} cannot be used: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except sa.exc.OperationalError as exc:
            raise CatalogError(describe_db_error(exc, self.path)) from exc

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction; committed on success, rolled back on error."""
        with self._write_lock:
            self.write_count += 1
            try:
                with self.engine.connect() as conn:
                    conn = conn.execution_options(immediate=True)
                    with conn.begin():
                        yield conn
            except sa.exc.OperationalError as exc:
                raise CatalogError(describe_db_error(exc, self.path)) from exc

    # -- schema ------------------------------------------------------------------------------

    def _version(self, conn: sa.Connection) -> int:
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def _upgrade(self) -> None:
        with self.engine.connect() as conn:
            verdict = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if verdict != "ok":
                damage = Exception("database disk image is malformed")
                raise sa.exc.DatabaseError("quick_check", None, damage)
            version = self._version(conn)
        self._refuse_newer(version)
        if version == schema.SCHEMA_VERSION:
            return
        if version > 0:
            self._backup(f"before-v{schema.SCHEMA_VERSION}")
        with self.write() as conn:
            # Read again under the write lock: another process opening the same new catalog at
            # this moment may have upgraded it meanwhile ("table folders already exists").
            version = self._version(conn)
            self._refuse_newer(version)
            for step in range(version, schema.SCHEMA_VERSION):
                log.info("upgrading catalog schema %d -> %d", step, step + 1)
                schema.MIGRATIONS[step](conn)
            conn.exec_driver_sql(f"PRAGMA user_version={schema.SCHEMA_VERSION}")

    def _refuse_newer(self, version: int) -> None:
        if version > schema.SCHEMA_VERSION:
            raise CatalogError(
                f"The catalog {self.path} was written by a newer PhotoSeek "
                f"(schema {version}); please update PhotoSeek."
            )

    def _backup(self, label: str) -> Path:
        """Copy the catalog with SQLite's online backup (consistent even in WAL mode)."""
        self._backups_dir.mkdir(parents=True, exist_ok=True)
        target = self._backups_dir / f"catalog-{label}-{time.strftime('%Y%m%d-%H%M%S')}.db"
        src = sqlite3.connect(self.path)
        try:
            dst = sqlite3.connect(target)
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
        return target


def _refuse_empty_file(path: Path) -> None:
    """SQLite takes a zero-length file for a new, empty database: a catalog emptied by a crash
    or a bad copy would silently become an empty library, and the next scan would overwrite the
    saved folder list. It is damaged, and recovered as such."""
    try:
        empty = os.stat(path).st_size == 0
    except FileNotFoundError:
        return
    if empty:
        raise sa.exc.DatabaseError(
            "open", None, Exception("file is not a database (it is empty)")
        )


def quarantine_damaged(path: Path, backups_dir: Path) -> Path:
    """Move a damaged catalog (and its WAL files) aside so a fresh one can be created."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"{path.name}.damaged-{stamp}"
    shutil.move(str(path), target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.move(str(side), target.with_name(target.name + suffix))
    return target
