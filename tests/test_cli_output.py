"""The command line's output survives any file name: bytes that are not valid UTF-8 included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli.main import main
from tests.conftest import TINY_MODEL

REPO = Path(__file__).resolve().parents[1]

BAD_NAME = b"caf\xe9 \xff.jpg"  # Latin-1 bytes: a legal Linux file name that is not UTF-8
BROKEN_NAME = b"broken \xfe.jpg"


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run photoseek with a stdout that refuses anything it cannot encode, as scripts set."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run(
        [sys.executable, "-m", "core", "--model", TINY_MODEL, *args],
        capture_output=True, env=env, cwd=REPO, timeout=300,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_file_names_that_are_not_utf8_never_crash_the_output(capsys, photo_dir):
    odd = os.path.join(os.fsencode(photo_dir), BAD_NAME)
    shutil.copy(photo_dir / "img_03.jpg", os.fsdecode(odd))
    with open(os.path.join(os.fsencode(photo_dir), BROKEN_NAME), "wb") as handle:
        handle.write(b"not a jpeg")
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    capsys.readouterr()

    done = _cli("search", "--image", str(photo_dir / "img_03.jpg"), "-k", "1", "--json")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    rows = json.loads(done.stdout)
    assert os.fsencode(rows[0]["path"]) == odd  # the exact bytes come back from the JSON

    done = _cli("search", "--image", str(photo_dir / "img_03.jpg"), "-k", "1")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.rstrip(b"\n").endswith(b"  " + odd)  # plain text names the real file

    done = _cli("failures", "--json")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert [os.fsencode(f["path"]) for f in json.loads(done.stdout)] == [
        os.path.join(os.fsencode(photo_dir), BROKEN_NAME)
    ]
    done = _cli("failures")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.startswith(os.path.join(os.fsencode(photo_dir), BROKEN_NAME) + b": ")
    for args in (["status", "--json"], ["status"]):
        done = _cli(*args)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_a_folder_whose_name_is_not_utf8_is_refused_with_a_message(capsys, tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(folder)
    code = main(["--model", TINY_MODEL, "index", os.fsdecode(folder)])
    _, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert "not valid UTF-8; rename it" in err
