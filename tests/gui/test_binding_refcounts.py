"""Guards against two ways a long session could die or spin: a Qt binding that leaks
references to None (PySide6 6.12.0 on Python 3.11 aborts after a few thousand paints), and a
results grid whose scroll bar toggles its own layout forever."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from core.cli.main import main


def test_qt_calls_keep_their_references_to_none(qapp):
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(2000):
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    # Immortal on Python 3.12+, so the count cannot move there; on 3.11 it must not fall.
    assert after - before > -100, f"None lost {before - after} references in 6000 Qt calls"


def test_the_results_grid_settles(make_window, photo_dir, qtbot):
    """17 results in the default window: one more column fits only without the scroll bar."""
    (photo_dir / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" * 10)
    assert main(["--model", "test-tiny", "index", str(photo_dir)]) == 0
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 17, timeout=30000)
    qtbot.wait(500)
    fits = []
    real_fit = window.view._fit_grid
    window.view._fit_grid = lambda: (fits.append(1), real_fit())  # called on every resize
    qtbot.wait(1000)
    assert len(fits) < 5, f"the grid resized itself {len(fits)} times in a second"
