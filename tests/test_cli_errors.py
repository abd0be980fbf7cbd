"""The command line never answers with a traceback: a bad data folder, a closed pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli.main import EXIT_BROKEN_PIPE, main
from core.config.paths import DataFolderError, data_paths
from core.errors import CatalogError
from tests.conftest import TINY_MODEL

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("below", ["", "sub"])
def test_home_that_is_a_file_gives_a_one_line_message(capsys, tmp_path, below):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    home = blocker / below if below else blocker

    with pytest.raises(DataFolderError) as raised:
        data_paths(home).ensure()
    assert isinstance(raised.value, CatalogError)  # a user-fixable, typed error

    code = main(["--home", str(home), "--model", TINY_MODEL, "status"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("photoseek: ") and f"{blocker} is a file, not a folder" in err
    assert blocker.read_text().startswith("a file")  # left alone


def test_reader_that_goes_away_ends_the_output_quietly(capsys, photo_dir):
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    capsys.readouterr()
    # `photoseek search ... --json | head -c 0`: the reader is gone before a byte is written.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "core", "--model", TINY_MODEL, "search", "a photo", "-k",
             "100", "--json"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=300,
        )
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr


@pytest.mark.parametrize("k", ["0", "-5", "many"])
def test_result_count_must_be_positive(capsys, k):
    with pytest.raises(SystemExit) as raised:
        main(["--model", TINY_MODEL, "search", "a dog", "-k", k])
    assert raised.value.code == 2
    assert "-k" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["beach", "--not", "/no/such/photo.jpg"], "There is no photo at /no/such/photo.jpg"),
        (["--image", "/no/such/photo.jpg"], "There is no photo at /no/such/photo.jpg"),
        (["0:beach"], "a weight must be above zero"),
    ],
)
def test_queries_that_cannot_mean_what_was_typed_are_refused(capsys, args, words):
    code = main(["--model", TINY_MODEL, "search", *args])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert words in err and "Traceback" not in err


def test_full_disk_while_saving_the_index_is_a_message(capsys, photo_dir, monkeypatch):
    import errno

    import core.vectors.index

    real_write = core.vectors.index._write_graph

    def no_space(graph, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(core.vectors.index, "_write_graph", no_space)
    code = main(["--model", TINY_MODEL, "index", str(photo_dir)])
    _, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("photoseek: The disk holding the PhotoSeek library") and "full" in last

    monkeypatch.setattr(core.vectors.index, "_write_graph", real_write)  # space freed
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "status", "--json"]) == 0
    assert '"indexed": 16' in capsys.readouterr().out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check")
def test_no_command_without_a_desktop_says_so_instead_of_aborting(isolated_home):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "desktop_app"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "needs a graphical desktop" in done.stderr
    assert "Traceback" not in done.stderr
