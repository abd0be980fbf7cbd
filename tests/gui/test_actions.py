"""Opening and revealing files never goes through a shell, and names cannot inject options."""

from __future__ import annotations

import os
from pathlib import Path

from desktop_app.actions import reveal_command


def test_reveal_passes_the_path_as_one_absolute_argument(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hostile = Path("--help; rm -rf ~ $(touch pwned).jpg")
    for platform in ("darwin", "win32"):
        program, args = reveal_command(hostile, platform)
        assert program in {"open", "explorer"}
        joined = args[-1].removeprefix("/select,")
        assert joined == os.path.join(str(tmp_path), str(hostile))
        assert not joined.startswith("-") and len(args) <= 2
    assert reveal_command(hostile, "linux") is None  # Linux opens the folder by URL instead
    assert not (tmp_path / "pwned").exists()
