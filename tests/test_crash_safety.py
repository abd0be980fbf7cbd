"""kill -9 at several points of indexing, then restart: nothing redone, nothing duplicated, and the
index agrees with the catalog and every vector with its photo."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from core.library import Library
from core.vectors import codec as vector_codec
from tests.conftest import TINY_MODEL, make_photo
from tests.test_watcher import found_at

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = 600


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


def _kill_when(command: list[str], home: Path, embedded: int) -> None:
    """Start a PhotoSeek process and SIGKILL it once ``embedded`` vectors are committed."""
    env = {**os.environ, "PHOTOSEEK_HOME": str(home), "PHOTOSEEK_MODEL": TINY_MODEL}
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", *command], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    db = home / "catalog.db"
    reached = False
    while proc.poll() is None and time.monotonic() < deadline:
        if embedded < 0 and _count(db, "photos") > 0:
            reached = True  # right after the scan committed its rows
            break
        if embedded >= 0 and _count(db, "embeddings") >= embedded:
            reached = True
            break
        time.sleep(0.005)
    # The kill must land mid-work: a process that already finished (or never got there)
    # would make the test pass without testing anything.
    assert reached and proc.poll() is None, f"{command} was not killed mid-way"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def _check_catalog(db: Path) -> set[int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dupes = conn.execute(
            "SELECT count(*) FROM (SELECT folder_id, rel_path FROM photos"
            " GROUP BY folder_id, rel_path HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0
        orphans = conn.execute(
            "SELECT count(*) FROM embeddings e LEFT JOIN photos p ON p.id = e.photo_id"
            " WHERE p.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        twice = conn.execute(
            "SELECT count(*) FROM (SELECT photo_id FROM embeddings GROUP BY photo_id, model_id"
            " HAVING count(*) > 1)"
        ).fetchone()[0]
        assert twice == 0
        return {r[0] for r in conn.execute("SELECT id FROM embeddings")}


def test_sigkill_at_several_points_then_restart(isolated_home: Path, tmp_path: Path):
    photos = tmp_path / "photos"
    for n in range(PHOTOS):
        make_photo(photos / f"d{n % 7}" / f"p{n:04d}.jpg", n, size=(96, 72))
    index_cmd = ["index", str(photos)]
    committed: set[int] = set()
    kill_points = [
        (index_cmd, -1),  # after the scan, before any vector
        (index_cmd, 100),  # mid-embedding
        (["watch", str(photos)], 300),  # the watch service, mid-embedding
        (index_cmd, PHOTOS),  # all committed: the process is saving the index file
    ]
    for command, point in kill_points:
        _kill_when(command, isolated_home, point)
        now = _check_catalog(isolated_home / "catalog.db")
        assert committed <= now, "a committed vector was redone or lost"
        committed = now

    library = Library(model=TINY_MODEL)
    try:
        summary = library.index()
        assert summary.embedded == PHOTOS - len(committed), "committed work was redone"
        assert summary.failed == 0
        final = _check_catalog(isolated_home / "catalog.db")
        assert committed <= final and len(final) == PHOTOS
        status = library.status()
        assert (status.photos, status.indexed, status.pending) == (PHOTOS, PHOTOS, 0)
        index = library._index
        assert index is not None and index.live_ids() == final
        # The index holds the catalog's vectors, and a vector describes its own photo.
        with sqlite3.connect(isolated_home / "catalog.db") as conn:
            rows = conn.execute("SELECT id, vector FROM embeddings LIMIT 50").fetchall()
        stored = index.vectors([r[0] for r in rows])
        for label, blob in rows:
            expected = vector_codec.decode(blob)
            expected = expected / np.linalg.norm(expected)
            assert np.allclose(stored[label], expected, atol=1e-5)
        queries_dir = tmp_path / "q"
        queries_dir.mkdir()
        for n in (0, 99, 301, 599):
            path = photos / f"d{n % 7}" / f"p{n:04d}.jpg"
            assert found_at(library, Path(shutil.copy(path, queries_dir)), path)
    finally:
        library.close()
    # A fresh process opens the saved file without having to repair it.
    again = Library(model=TINY_MODEL)
    try:
        again.prepare()
        assert again._index is not None and again._index.live_ids() == final
        assert not any("rebuilt" in n for n in again.notices)
    finally:
        again.close()


def test_watch_command_serves_other_processes_and_stops_cleanly(isolated_home, photo_dir, tmp_path):
    env = {**os.environ, "PHOTOSEEK_HOME": str(isolated_home), "PHOTOSEEK_MODEL": TINY_MODEL}

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300, check=True)
        return done.stdout

    watch = subprocess.Popen([sys.executable, "-m", "core", "watch", str(photo_dir)], cwd=ROOT,
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        db = isolated_home / "catalog.db"
        deadline = time.monotonic() + 300
        while _count(db, "embeddings") < 16:
            assert time.monotonic() < deadline and watch.poll() is None
            time.sleep(0.05)
        new = make_photo(photo_dir / "fresh.jpg", 900)
        while _count(db, "embeddings") < 17:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert '"indexed": 17' in cli("status", "--json")
        query = Path(shutil.copy(new, tmp_path / "query.jpg"))
        assert str(new) in cli("search", "--image", str(query), "-k", "1")
        watch.send_signal(signal.SIGTERM)
        _, err = watch.communicate(timeout=120)
        assert watch.returncode == 0, err
        assert "stopped; 17 photos indexed" in err
    finally:
        if watch.poll() is None:
            watch.kill()
    library = Library(model=TINY_MODEL)
    try:
        library.prepare()
        assert not any("rebuilt" in n for n in library.notices)
        assert library._index is not None and len(library._index) == 17
    finally:
        library.close()
