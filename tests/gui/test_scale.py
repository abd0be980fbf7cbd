"""At the scale of a large library the GUI thread still answers at once: a 50,000-row grid whose
first thumbnails arrive, and a library panel whose failures are grouped under nested folders."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from core.records import Failure, Folder, LibraryStatus, Photo, SearchHit
from desktop_app.folders_panel import FoldersPanel
from desktop_app.results_model import FailedRole, ResultsModel
from desktop_app.results_view import ResultsView
from desktop_app.tasks import TaskRunner
from desktop_app.thumbnails import ThumbnailLoader
from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui

ROWS = 50_000


def test_first_thumbnails_of_a_50k_grid_update_their_rows_without_a_stall(
    qtbot, tmp_path: Path
) -> None:
    runner = TaskRunner()
    loader = ThumbnailLoader(runner, tmp_path / "thumbs")
    spans: list[list[float]] = []
    # Slots run in the order they were connected: these two bracket the model's own slot.
    loader.ready.connect(lambda _paths: spans.append([time.perf_counter()]))
    model = ResultsModel(loader)
    loader.ready.connect(lambda _paths: spans[-1].append(time.perf_counter()))
    updated: set[int] = set()
    model.dataChanged.connect(lambda first, _last, _roles: updated.add(first.row()))
    view = ResultsView(model)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    # Files that are not there: their thumbnails fail, which arrives like any thumbnail.
    hits = [SearchHit(Photo(i, tmp_path / "gone" / f"{i:06d}.jpg", 1000), 1.0)
            for i in range(ROWS)]
    try:
        model.reset(hits)
        qtbot.waitUntil(lambda: bool(spans) and len(spans[0]) == 2, timeout=TIMEOUT_MS)
        first = view.indexAt(QPoint(20, 20))
        assert first.isValid()
        qtbot.waitUntil(lambda: first.row() in updated, timeout=TIMEOUT_MS)
        # a "cannot be shown" placeholder replaces the grey, and says why in its tooltip
        assert "No such file" in model.data(first, FailedRole)
        assert max(updated) < 2_000  # only rows that were on screen were asked and updated
    finally:
        runner.shutdown()


def test_failures_go_under_the_nearest_of_nested_folders(qtbot) -> None:
    root, trip = Path("/photos"), Path("/photos/trip")
    folders = [Folder(1, root, True, "native", 10, 8, 1), Folder(2, trip, True, "native", 5, 4, 2)]
    panel = FoldersPanel()
    qtbot.addWidget(panel)
    panel.show_status(LibraryStatus(15, 12, 3, 0, "m", folders))
    panel.show_failures([
        Failure(root / "a" / "bad.jpg", "truncated"),
        Failure(trip / "day1" / "x.png", "not an image"),
        Failure(trip / "y.heic", "no decoder"),
        Failure(Path("/elsewhere/z.jpg"), "gone"),  # its folder was just removed: not listed
    ])
    listed: dict[str, list[tuple[str, str]]] = {}
    for row in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(row)
        group = item.child(0)
        listed[item.toolTip(0).split("\n")[0]] = [
            group.child(n).toolTip(0) for n in range(group.childCount())
        ]
        assert group.text(0) == f"{group.childCount()} could not be read"
    assert listed == {
        "/photos": [f"{Path('a/bad.jpg')}\ntruncated"],
        "/photos/trip": [f"{Path('day1/x.png')}\nnot an image", "y.heic\nno decoder"],
    }
