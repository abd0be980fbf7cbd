"""The command line as scripts use it: exit codes, stderr progress, JSON shapes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.cli.main import main
from tests.conftest import TINY_MODEL


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--model", TINY_MODEL, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_index_search_status_failures_forget(capsys, photo_dir, tmp_path):
    (photo_dir / "bad.jpg").write_bytes(b"not a jpeg at all")
    code, _out, err = _run(capsys, "index", str(photo_dir))
    assert code == 0
    assert "16 embedded" in err and "1 failed" in err  # the summary line

    copy = tmp_path / "copy.jpg"
    shutil.copy(photo_dir / "img_02.jpg", copy)
    code, out, err = _run(capsys, "search", "--image", str(copy), "-k", "3", "--json")
    rows = json.loads(out)
    # Its twin, and not the library: the other photos do not stand out (random weights).
    assert code == 0 and [r["path"] for r in rows] == [str(photo_dir / "img_02.jpg")]
    assert rows[0]["match"] is True and "1 match" in err
    code, out, _ = _run(capsys, "search", "--image", str(copy), "-k", "3", "--json", "--all")
    rows = json.loads(out)
    assert len(rows) == 3 and rows[0]["path"] == str(photo_dir / "img_02.jpg")
    assert Path(rows[0]["path"]).is_absolute()
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert [r["match"] for r in rows] == [True, False, False]

    code, out, _ = _run(capsys, "search", "sunset", "--not", "people", "-k", "100", "--json",
                        "--all")
    assert code == 0 and len(json.loads(out)) == 16  # k beyond the library: every photo

    code, out, _ = _run(capsys, "status", "--json")
    status = json.loads(out)
    assert {k: status[k] for k in ("photos", "indexed", "failed", "pending")} == {
        "photos": 17, "indexed": 16, "failed": 1, "pending": 0,
    }
    assert status["model"] == TINY_MODEL
    assert [f["path"] for f in status["folders"]] == [str(photo_dir)]

    code, out, _ = _run(capsys, "failures", "--json")
    failures = json.loads(out)
    assert code == 0 and [f["path"] for f in failures] == [str(photo_dir / "bad.jpg")]
    assert failures[0]["reason"]

    code, _, _ = _run(capsys, "forget", str(photo_dir))
    assert code == 0
    _, out, _ = _run(capsys, "status", "--json")
    assert json.loads(out)["photos"] == 0
    assert (photo_dir / "bad.jpg").exists()


def test_plain_text_output_and_errors(capsys, photo_dir):
    _run(capsys, "index", str(photo_dir))
    code, out, err = _run(capsys, "search", "a cat", "-k", "2", "--all")
    assert code == 0 and len(out.strip().splitlines()) == 2 and " ms" in err
    code, _, err = _run(capsys, "search")
    assert code == 1 and "Type some words" in err
    code, _, err = _run(capsys, "index", str(photo_dir / "nope"))
    assert code == 1 and "not a folder" in err
    code, _, err = _run(capsys, "forget", "/not/in/library")
    assert code == 1 and "not a library folder" in err


def _offline(monkeypatch) -> None:
    """No network, whatever machine runs the tests: the hub check fails as it does offline."""
    import core.models.download

    def unreachable(timeout: float = 3.0) -> None:
        raise ConnectionError("huggingface.co is unreachable: test is offline")

    monkeypatch.setattr(core.models.download, "_check_reachable", unreachable)


def test_unknown_pretrained_weights_offline_give_an_actionable_error(
    capsys, photo_dir, monkeypatch
):
    _offline(monkeypatch)
    code = main(["--model", "ViT-B-32:laion2b_s34b_b79k", "index", str(photo_dir)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "photoseek:" in err and "Traceback" not in err
    assert "Connect to the internet once" in err and "test is offline" in err


def test_installed_entry_point_and_home_flag(tmp_path, photo_dir):
    exe = Path(sys.executable).with_name("photoseek")
    home = tmp_path / "elsewhere-home"
    env = {k: v for k, v in os.environ.items() if k != "PHOTOSEEK_HOME"}
    env["PHOTOSEEK_MODEL"] = TINY_MODEL
    done = subprocess.run(
        [str(exe), "--home", str(home), "index", str(photo_dir)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (home / "catalog.db").is_file()
    done = subprocess.run(
        [str(exe), "--home", str(home), "status", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert json.loads(done.stdout)["indexed"] == 16


def test_status_counts_a_model_named_by_a_relative_weights_path(
    capsys, photo_dir, tiny_weights_path, tmp_path, monkeypatch
):
    shutil.copy(tiny_weights_path, tmp_path / "w.safetensors")
    monkeypatch.chdir(tmp_path)
    model = "test-tiny:./w.safetensors"
    assert main(["--model", model, "index", str(photo_dir)]) == 0
    capsys.readouterr()
    assert main(["--model", model, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["indexed"] == 16 and status["pending"] == 0
    assert status["model"] == f"test-tiny:{(tmp_path / 'w.safetensors').resolve()}"
