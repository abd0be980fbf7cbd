"""The command line under pressure: several processes at once, damaged data, closed or full
output streams, weights that move, a model nothing was indexed with."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.cli.main import main
from core.library import Library
from tests.conftest import TINY_MODEL, make_photo

ROOT = Path(__file__).resolve().parents[1]


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "PHOTOSEEK_HOME": str(home), "PHOTOSEEK_MODEL": TINY_MODEL}


def _cli(home: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=_env(home),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
    )


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:  # the catalog is still being created by the other process
        return 0


def test_two_index_commands_at_once_take_turns(isolated_home, photo_dir):
    runs = [_cli(isolated_home, "index", str(photo_dir)) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "IntegrityError" not in err
    db = isolated_home / "catalog.db"
    assert _count(db, "photos") == 16 and _count(db, "embeddings") == 16


def test_processes_opening_a_new_data_folder_at_once(tmp_path):
    for attempt in range(3):
        home = tmp_path / f"home{attempt}"
        runs = [_cli(home, "status") for _ in range(3)]
        for run in runs:
            _out, err = run.communicate(timeout=300)
            assert run.returncode == 0, err  # not "table folders already exists"


def test_index_beside_watch_lets_the_watching_process_do_it(isolated_home, photo_dir, tmp_path):
    watch = _cli(isolated_home, "watch", str(photo_dir))
    try:
        db = isolated_home / "catalog.db"
        deadline = time.monotonic() + 600  # hang guards: a busy machine is slow, not stuck
        while not db.exists() or _count(db, "embeddings") < 16:
            assert watch.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        more = tmp_path / "more"
        for n in range(5):
            make_photo(more / f"m{n}.jpg", 300 + n)
        index = _cli(isolated_home, "index", str(more))
        _out, err = index.communicate(timeout=600)
        assert index.returncode == 0, err
        assert "another PhotoSeek process is indexing" in err
        assert "took in the new photos" in err
        assert _count(db, "embeddings") == 21
    finally:
        watch.send_signal(signal.SIGTERM)
        _out, err = watch.communicate(timeout=300)
    assert watch.returncode == 0, err


def test_a_damaged_vector_never_prints_nan_and_is_embedded_again(isolated_home, photo_dir,
                                                                  capsys):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    db = isolated_home / "catalog.db"
    with sqlite3.connect(db) as conn:
        label, blob = conn.execute("SELECT id, vector FROM embeddings ORDER BY id").fetchone()
        nan_scale = b"\x00\x00\xc0\x7f"  # float32 NaN
        conn.execute("UPDATE embeddings SET vector = ? WHERE id = ?", (nan_scale + blob[4:], label))
    for index in (isolated_home / "index").glob("*"):
        index.unlink()  # rebuilt from the catalog, damaged vector and all
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "search", "a photo", "-k", "20", "--json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert len(rows) == 15  # the damaged one is left out
    assert "damaged" in captured.err and "indexed again" in captured.err
    assert main(["--model", TINY_MODEL, "index"]) == 0
    assert main(["--model", TINY_MODEL, "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["indexed"] == 16


@pytest.mark.parametrize("sidecar", ["[]", "null", '"x"', "{\"deleted\": 5}"])
def test_a_damaged_index_sidecar_repairs_itself(isolated_home, photo_dir, capsys, sidecar):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    (side,) = (isolated_home / "index").glob("*.json")
    side.write_text(sidecar)
    capsys.readouterr()
    for _ in range(2):  # rebuilt once, then fine
        assert main(["--model", TINY_MODEL, "search", "a photo", "-k", "3"]) == 0
    err = capsys.readouterr().err
    assert err.count("rebuilt") == 1 and "Traceback" not in err


def test_a_lock_path_that_is_a_folder_is_moved_aside(isolated_home, photo_dir, capsys):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    (lock,) = (isolated_home / "index").glob("*.lock")
    lock.unlink()
    lock.mkdir()
    (isolated_home / "indexer.lock").unlink()
    (isolated_home / "indexer.lock").mkdir()
    (isolated_home / "indexer.lock" / "keep.txt").write_text("mine")
    assert main(["--model", TINY_MODEL, "index"]) == 0
    assert main(["--model", TINY_MODEL, "search", "a photo", "-k", "3"]) == 0
    assert lock.is_file() and (isolated_home / "indexer.lock").is_file()
    kept = list(isolated_home.glob("indexer.lock.in-the-way-*/keep.txt"))
    assert kept and kept[0].read_text() == "mine"  # nothing of the user's is lost


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes")
def test_a_data_folder_whose_name_is_not_utf8(tmp_path, photo_dir):
    home = os.fsdecode(os.fsencode(tmp_path) + b"/data-\xff\xfe")
    done = subprocess.run([sys.executable, "-m", "core", "--home", home, "--model", TINY_MODEL,
                           "index", str(photo_dir)], cwd=ROOT, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert (os.fsencode(tmp_path) + b"/data-\xff\xfe/catalog.db") in [
        os.fsencode(p) for p in tmp_path.glob("*/catalog.db")
    ]


def test_a_data_folder_path_too_long_is_one_clear_line(tmp_path):
    home = tmp_path / "/".join(["x" * 250] * 20)  # 5,000 characters
    done = subprocess.run([sys.executable, "-m", "core", "--home", str(home), "status"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot use" in done.stderr


def test_moving_the_weights_file_keeps_every_vector(isolated_home, photo_dir, tiny_weights_path,
                                                     tmp_path, capsys):
    first = tmp_path / "a" / "mine.safetensors"
    first.parent.mkdir()
    shutil.copy(tiny_weights_path, first)
    assert main(["--model", f"test-tiny:{first}", "index", str(photo_dir)]) == 0
    moved = tmp_path / "b" / "renamed.safetensors"
    moved.parent.mkdir()
    shutil.move(first, moved)
    capsys.readouterr()
    assert main(["--model", f"test-tiny:{moved}", "index"]) == 0
    assert "0 embedded" in capsys.readouterr().err  # nothing embedded again
    assert main(["--model", f"test-tiny:{moved}", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["indexed"] == 16


def test_vectors_stored_under_a_weights_path_by_0_1_are_adopted(
    isolated_home, photo_dir, tiny_weights_path
):
    from core.models.identity import weights_fingerprint

    model = f"test-tiny:{tiny_weights_path}"
    library = Library(model=model)
    library.add_folder(photo_dir)
    library.index()
    identity = library.model_identity
    library.close()
    legacy = f"{model}@{weights_fingerprint(tiny_weights_path)}"  # what 0.1 stored
    with sqlite3.connect(isolated_home / "catalog.db") as conn:
        conn.execute("UPDATE models SET name = ? WHERE name = ?", (legacy, identity))
    library = Library(model=model)
    try:
        assert library.status().indexed == 0  # not until the model loads and adopts them
        library.prepare()
        assert library.status().indexed == 16
        assert library.index().embedded == 0
    finally:
        library.close()


def test_the_model_given_to_index_is_the_one_later_commands_use(
    isolated_home, photo_dir, tiny_weights_path, capsys, monkeypatch
):
    monkeypatch.delenv("PHOTOSEEK_MODEL", raising=False)
    model = f"test-tiny:{tiny_weights_path}"
    assert main(["--model", model, "index", str(photo_dir)]) == 0
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["model"] == model and status["indexed"] == 16
    assert main(["search", "a photo", "-k", "2"]) == 0  # no --model: the same vectors


def test_a_search_with_nothing_indexed_for_the_model_says_why(isolated_home, photo_dir, capsys,
                                                                tiny_weights_path):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    capsys.readouterr()
    other = f"test-tiny:{tiny_weights_path}"
    assert main(["--model", other, "search", "a photo"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "No photo is indexed with" in err and "test-tiny" in err and "16" in err


def test_an_empty_library_search_says_so(isolated_home, capsys):
    assert main(["--model", TINY_MODEL, "search", "a photo"]) == 1
    assert "no photos yet" in capsys.readouterr().err


def test_index_with_stderr_closed_still_indexes(isolated_home, photo_dir):
    done = subprocess.run(
        f'"{sys.executable}" -m core index "{photo_dir}" 2>&-', shell=True, cwd=ROOT,
        env=_env(isolated_home), capture_output=False, timeout=180,
    )
    assert done.returncode == 0
    assert _count(isolated_home / "catalog.db", "embeddings") == 16


def test_output_to_a_full_or_closed_stdout_is_one_line(isolated_home, photo_dir):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    full = subprocess.run(
        f'"{sys.executable}" -m core search "a photo" -k 16 > /dev/full', shell=True, cwd=ROOT,
        env=_env(isolated_home), capture_output=False, stderr=subprocess.PIPE, text=True,
        timeout=120,
    )
    assert full.returncode == 1
    assert "Traceback" not in full.stderr
    assert full.stderr.strip().splitlines()[-1].startswith("photoseek: the output could not")
    closed = subprocess.run(
        f'"{sys.executable}" -m core status >&-', shell=True, cwd=ROOT, env=_env(isolated_home),
        stderr=subprocess.PIPE, text=True, timeout=120,
    )
    assert "Traceback" not in closed.stderr


def test_a_zero_length_catalog_is_recovered_with_the_saved_folders(isolated_home, photo_dir,
                                                                    capsys):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    (isolated_home / "catalog.db").write_bytes(b"")
    for side in ("-wal", "-shm"):
        (isolated_home / f"catalog.db{side}").unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "status", "--json"]) == 0
    captured = capsys.readouterr()
    assert "damaged" in captured.err
    status = json.loads(captured.out)
    assert [f["path"] for f in status["folders"]] == [str(photo_dir.resolve())]
    assert main(["--model", TINY_MODEL, "index"]) == 0
    assert list((isolated_home / "backups").glob("catalog.db.damaged-*"))


def test_a_missing_catalog_keeps_the_saved_folders(isolated_home, photo_dir, capsys):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    for name in ("catalog.db", "catalog.db-wal", "catalog.db-shm"):
        (isolated_home / name).unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "index"]) == 0
    assert "was missing" in capsys.readouterr().err
    assert main(["--model", TINY_MODEL, "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["indexed"] == 16
