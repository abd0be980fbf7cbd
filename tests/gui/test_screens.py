"""Thumbnails follow the window to a screen with another devicePixelRatio.

The platform must have two screens from the start, so the window runs in a child process on a
virtual two-screen offscreen platform: screen A at 1×, screen B to its right at 2×.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

SCREENS = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": False,
    "screens": [
        {"name": "A", "x": 0, "y": 0, "width": 1600, "height": 1000},
        {"name": "B", "x": 1600, "y": 0, "width": 1600, "height": 1000},
    ],
}

CHILD = r"""
import json, time
from PySide6.QtWidgets import QApplication
from desktop_app.app import application, create_window

app = application()
window = create_window(model="test-tiny")
window.resize(800, 600)
window.move(100, 100)
window.show()
view, model = window.view, window.model

def wait(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
    return condition()

seen = {}
wait(lambda: window.screen().name() == "A" and model.thumb_pixels == view.thumbnail_size)
seen["A"] = (window.screen().name(), view.devicePixelRatioF(), model.thumb_pixels)
window.move(1900, 100)  # the user drags the window onto the HiDPI screen
wait(lambda: window.screen().name() == "B" and model.thumb_pixels == 2 * view.thumbnail_size)
seen["B"] = (window.screen().name(), view.devicePixelRatioF(), model.thumb_pixels)
window.move(100, 100)  # and back
wait(lambda: window.screen().name() == "A" and model.thumb_pixels == view.thumbnail_size)
seen["back"] = (window.screen().name(), view.devicePixelRatioF(), model.thumb_pixels)
seen["size"] = view.thumbnail_size
window.engine.shutdown()
print("RESULT " + json.dumps(seen), flush=True)
"""


def test_thumbnails_are_sized_for_the_screen_the_window_moves_to(
    isolated_home: Path, tmp_path: Path
) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    env["QT_SCREEN_SCALE_FACTORS"] = "1;2"  # screen B has devicePixelRatio 2
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=root, env=env, capture_output=True, text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    seen = json.loads(lines[-1].removeprefix("RESULT "))
    size = seen["size"]
    assert seen["A"] == ["A", 1.0, size]
    assert seen["B"] == ["B", 2.0, 2 * size]  # sharp on the HiDPI screen
    assert seen["back"] == ["A", 1.0, size]  # and not wastefully large back on the 1× one
