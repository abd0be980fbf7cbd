"""Settings: immutable snapshots, one owner per process, changes from several processes at once
all kept (re-read under a lock, written under a unique temporary name)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.config.settings import Settings, SettingsStore

ROOT = Path(__file__).resolve().parents[1]

WRITER = """
import sys
from pathlib import Path
from core.config.settings import SettingsStore
store = SettingsStore(Path(sys.argv[1]))
field = sys.argv[2]
for n in range(60):
    if field == "excluded":
        store.update(excluded=[f"/skip/{n}"])
    else:
        store.update(thumbnail_size=100 + n)
"""


def test_snapshots_are_immutable_and_changes_go_through_the_store(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    snapshot = store.current
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.model = "other"  # type: ignore[misc]
    updated = store.update(folders=["/a", "/b"], welcomed=True)
    assert updated.folders == ("/a", "/b") and store.current is updated
    assert snapshot.folders == ()  # the old snapshot never changes under its reader
    assert Settings.load(tmp_path / "settings.json") == updated
    with pytest.raises(TypeError):
        store.update(colour="blue")


def test_processes_changing_settings_at_once_never_crash_or_lose_a_change(tmp_path):
    path = tmp_path / "settings.json"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), field], cwd=ROOT,
                         stderr=subprocess.PIPE, text=True)
        for field in ("excluded", "thumbnail_size", "excluded", "thumbnail_size")
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    saved = json.loads(path.read_text())
    # Each process's last change survives the others' (each re-read the file before writing).
    assert saved["excluded"] == ["/skip/59"] and saved["thumbnail_size"] == 159
    assert not list(tmp_path.glob("*.tmp"))


def test_a_damaged_or_odd_settings_file_gives_defaults(tmp_path):
    path = tmp_path / "settings.json"
    for content in ("[]", "null", "{not json", '{"thumbnail_size": true, "folders": "x"}'):
        path.write_text(content)
        assert Settings.load(path) == Settings()
