"""The command line shows a model download on stderr: a bar on a terminal, lines otherwise.

No network but a local model hub (tests/hub_server.py, reached through HF_ENDPOINT) that serves
the real test-tiny weights the way huggingface.co does, so the real download path (resumable,
checked: core.models.resumable) and the real load_model path run.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.cli.main import main
from tests.hub_server import FakeHub, serving

MODEL = "test-tiny:tiny"
REPO = "photoseek-test/tiny"
CHUNK = 1 << 20
WEIGHTS = "open_clip_model.safetensors"


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tiny_weights_path: Path) -> Iterator[dict[str, Any]]:
    """Publish test-tiny weights under the pretrained tag 'tiny' on a local hub."""
    import open_clip.pretrained
    from huggingface_hub import constants

    from core.models import resumable

    # stop_at: bytes after which the download raises stop_with (Ctrl+C, a dropped connection)
    state: dict[str, Any] = {"stop_at": None, "stop_with": KeyboardInterrupt}
    monkeypatch.setitem(
        open_clip.pretrained._PRETRAINED, "test-tiny",
        {"tiny": open_clip.pretrained._pcfg(hf_hub=f"{REPO}/")},
    )
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    real_download = resumable.download

    def download(repo_id: str, filename: str, cache_dir: Path, progress: Any = None,
                 cancel: Any = None, offset: int = 0, **kw: Any) -> Path:
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            if state["stop_at"] is not None and done >= state["stop_at"]:
                raise state["stop_with"]  # KeyboardInterrupt: what Ctrl+C raises

        return real_download(repo_id, filename, cache_dir, report, cancel, offset, **kw)

    monkeypatch.setattr(resumable, "download", download)
    data = tiny_weights_path.read_bytes()
    with serving(FakeHub({(REPO, WEIGHTS): data})) as server:
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        state["server"] = server
        state["size"] = len(data)
        yield state


def _calls(hub: dict[str, Any]) -> int:
    """Downloads of the weights' bytes (GETs the local hub's file server answered)."""
    return len(hub["server"].gets())


def _models_dir(home: Path) -> Path:
    return home / "models"


def test_search_json_downloads_with_progress_on_stderr_only_once(
    capsys: pytest.CaptureFixture[str], hub: dict[str, Any], photo_dir: Path,
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import core.cli.download_progress as progress

    monkeypatch.setattr(progress, "PLAIN_EVERY_S", 0.0)  # a line per chunk: stderr is a file
    assert main(["--model", MODEL, "index", str(photo_dir)]) == 0
    err = capsys.readouterr().err
    assert f"downloading model {MODEL} (once)" in err
    assert "downloaded model test-tiny:tiny:" in err
    # Once on the disk, the model loads without a download or a word about one.
    assert main(["--model", MODEL, "search", "a red square", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) and "download" not in err and _calls(hub) == 1
    # Forget the weights: the search downloads them again, with --json on stdout.
    cached = list(isolated_home.rglob(f"models--{REPO.replace('/', '--')}"))
    assert cached, "the download did not land in the hub cache layout"
    shutil.rmtree(cached[0])
    assert main(["--model", MODEL, "search", "a red square", "--json"]) == 0
    out, err = capsys.readouterr()
    hits = json.loads(out)  # stdout is nothing but the JSON
    assert len(hits) > 0 and all("path" in h for h in hits)
    assert "downloading" not in out and "MB" not in out
    lines = err.splitlines()
    bars = [line for line in lines if line.startswith("downloading: ")]
    chunks = -(-hub["size"] // CHUNK)
    assert len(bars) >= chunks - 1  # one plain line each time, no carriage returns
    assert "\r" not in err
    total_mb = f"{hub['size'] / 1e6:,.1f}"
    assert bars[-1].startswith(f"downloading: {total_mb} of {total_mb} MB, ")
    assert "MB/s" in bars[1] and " left" in bars[1]
    assert any(line.startswith(f"downloaded model {MODEL}: {total_mb} MB in ") for line in lines)


def test_on_a_terminal_the_bar_rewrites_one_line(
    capsys: pytest.CaptureFixture[str], hub: dict[str, Any], photo_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import core.cli.download_progress as progress

    monkeypatch.setattr(progress, "stderr_is_tty", lambda: True)
    monkeypatch.setattr(progress, "TTY_EVERY_S", 0.0)
    assert main(["--model", MODEL, "index", str(photo_dir)]) == 0
    err = capsys.readouterr().err
    drawn = err.split("\r\033[K")
    assert len(drawn) >= 3  # redrawn in place, not a line each time
    assert not any("\n" in part for part in drawn[1:-2])  # the bar never starts a new line
    assert any(part.startswith("[" + "#" * progress.BAR_WIDTH + "] 100% ") for part in drawn)
    assert f"\r\033[Kdownloaded model {MODEL}: " in err  # the bar is cleared before the summary


def test_ctrl_c_during_the_download_ends_in_one_line(
    capsys: pytest.CaptureFixture[str], hub: dict[str, Any], photo_dir: Path,
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path,
) -> None:
    import core.cli.download_progress as progress

    monkeypatch.setattr(progress, "stderr_is_tty", lambda: True)
    hub["stop_at"] = 2 * CHUNK
    assert main(["--model", MODEL, "index", str(photo_dir)]) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err
    last = err.split("\r\033[K")[-1]
    # Interrupted past 2 chunks, within the read that crossed the mark (up to one chunk more)
    said = re.match(r"model download interrupted at ([\d.]+) of ", last)
    assert last.count("\n") == 1 and said is not None
    assert 2 * CHUNK / 1e6 - 0.05 <= float(said.group(1)) <= 3 * CHUNK / 1e6 + 0.05
    assert "run the command again" in last and "interrupted\n" not in err
    kept = next(isolated_home.rglob("*.incomplete")).stat().st_size
    hub["stop_at"] = None
    assert main(["--model", MODEL, "index", str(photo_dir)]) == 0  # the next run gets it
    assert f"downloaded model {MODEL}: " in capsys.readouterr().err
    assert hub["server"].gets()[-1].headers["Range"] == f"bytes={kept}-"  # resumed


def test_a_failed_download_is_one_line(
    capsys: pytest.CaptureFixture[str], hub: dict[str, Any], photo_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import core.cli.download_progress as progress

    monkeypatch.setattr(progress, "stderr_is_tty", lambda: True)
    hub["stop_at"], hub["stop_with"] = 2 * CHUNK, OSError("connection reset by peer")
    assert main(["--model", MODEL, "index", str(photo_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    last = err.split("\r\033[K")[-1]  # the bar is cleared: the error is the one line left
    assert last.count("\n") == 1 and last.startswith(f"photoseek: Model {MODEL} is not downloaded")
