"""The Linux desktop entry installs into the user's data folder and names a real program."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop.org entry")
def test_desktop_entry_installs_for_the_user(tmp_path):
    if not (ROOT / ".venv" / "bin" / "photoseek").exists():
        pytest.skip("needs the project's .venv (make test creates it)")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([str(ROOT / "packaging" / "install-desktop-entry.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "data" / "applications" / "photoseek.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(entry)
    section = parser["Desktop Entry"]
    assert section["Name"] == "PhotoSeek" and section["Type"] == "Application"
    program = Path(shlex.split(section["Exec"])[0])  # then %F: the files opened with it
    assert program.is_file() and os.access(program, os.X_OK)
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "photoseek.svg"
    assert icon.read_text().lstrip().startswith("<svg")
