"""The grid as a timeline (browsing, or sorted by date) and the scores of ranked answers.

Months and days are headers drawn between the photos, not rows: nothing that selects, drags,
moves or counts photos ever meets one. Ranked answers show a relevance bar on each tile.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette

from core.records import Photo, SearchHit
from desktop_app.results_model import IdRole, MatchRole, RelevanceRole, ResultsModel
from desktop_app.results_view import ResultsView, ThumbnailDelegate
from desktop_app.tasks import TaskRunner
from desktop_app.thumbnails import ThumbnailLoader
from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui

# Newest first, as browsing answers; the two undated photos come first, where an ascending
# SQL order puts NULL (the model must move them last either way).
DAYS = [
    ("2024-03-14 18:00:00", 5),  # a Thursday
    ("2024-03-02 09:00:00", 2),  # a Saturday
    ("2024-01-20 12:00:00", 3),
    ("2023-12-25 08:00:00", 4),
    ("2022-07-01 10:00:00", 2),
]


def _hit(n: int, date: str | None, **kwargs: object) -> SearchHit:
    return SearchHit(Photo(n, Path(f"/photos/{n:05d}.jpg"), 1000, taken_at=date), 0.0,
                     **kwargs)  # type: ignore[arg-type]


def _timeline(newest_first: bool = True) -> list[SearchHit]:
    hits = [_hit(900, None), _hit(901, None)]
    n = 0
    for date, count in DAYS if newest_first else reversed(DAYS):
        for _ in range(count):
            hits.append(_hit(n, date))
            n += 1
    return hits


@pytest.fixture
def grid(qtbot, tmp_path: Path) -> Iterator[tuple[ResultsModel, ResultsView]]:
    runner = TaskRunner()
    model = ResultsModel(ThumbnailLoader(runner, tmp_path / "thumbs"))
    view = ResultsView(model)
    qtbot.addWidget(view)
    view.set_thumbnail_size(96)  # cells of 108 px
    view.resize(4 * 108 + 40, 500)  # four columns
    view.show()
    qtbot.waitExposed(view)
    try:
        yield model, view
    finally:
        runner.shutdown()


def _labels_above(view: ResultsView, row: int) -> list[str]:
    """The headers between ``row``'s tile and the tile (or top) above it, read bottom up."""
    rect = view.visualRect(view.model().index(row, 0))
    x, found = rect.left() + 4, []
    for y in range(rect.top() - 1, rect.top() - 200, -1):
        if view.indexAt(QPoint(x, y)).isValid():
            break
        label = view.header_at(QPoint(x, y))
        if label and label not in found:
            found.append(label)
    return found


def _ids(model: ResultsModel) -> list[int]:
    return [model.index(r, 0).data(IdRole) for r in range(model.rowCount())]


def test_browsing_groups_by_month_and_day_with_no_date_last(grid) -> None:
    model, view = grid
    view.verticalScrollBar().setValue(0)
    model.reset(_timeline(), ranked=False, grouped=True)
    view.scrollTo(model.index(0, 0))
    assert model.rowCount() == 18  # photos only: headers are not rows
    assert _ids(model)[-2:] == [900, 901]  # no date: last
    assert _labels_above(view, 0) == ["Thursday 14", "March 2024"]
    # Days of a month share lines: Saturday 2 begins on the second line, after Thursday 14's
    # fifth photo, with its label above its own first tile.
    assert view.header_at(_above(view, 5)) == "Saturday 2"
    assert view.header_at(_above(view, 4)) is None
    assert view.visualRect(model.index(5, 0)).top() == view.visualRect(model.index(4, 0)).top()
    view.scrollTo(model.index(7, 0))
    assert _labels_above(view, 7) == ["Saturday 20", "January 2024"]  # a month: a new line
    view.scrollTo(model.index(14, 0))
    assert _labels_above(view, 14) == ["Friday 1", "July 2022"]
    view.scrollTo(model.index(16, 0))
    assert _labels_above(view, 16) == ["No date"]
    assert view.years() == ["2024", "2023", "2022", "No date"]
    months = [s.month for s in view.sections() if s.opens_month]
    assert months == ["March 2024", "January 2024", "December 2023", "July 2022", "No date"]
    assert [s.month_photos for s in view.sections() if s.opens_month] == [7, 3, 4, 2, 2]
    assert view.timeline_bar.isVisible()

    model.reset(_timeline(newest_first=False), ranked=False, grouped=True)  # oldest first
    view.scrollTo(model.index(0, 0))
    assert _labels_above(view, 0) == ["Friday 1", "July 2022"]
    assert _ids(model)[-2:] == [900, 901]
    assert view.years() == ["2024", "2023", "2022", "No date"]  # the menu: newest first

    model.reset(_timeline(), ranked=False)  # not grouped: a plain grid, no headers, no jump
    view.scrollTo(model.index(0, 0))
    assert _labels_above(view, 0) == [] and view.years() == []
    assert not view.timeline_bar.isVisible()
    assert _ids(model)[:2] == [900, 901]  # and the order given


def _above(view: ResultsView, row: int) -> QPoint:
    rect = view.visualRect(view.model().index(row, 0))
    return QPoint(rect.left() + 4, rect.top() - 4)


def test_headers_cannot_be_selected_dragged_or_reached_by_the_keyboard(grid, qtbot) -> None:
    model, view = grid
    model.reset(_timeline(), ranked=False, grouped=True)
    view.scrollTo(model.index(7, 0))
    month = _above(view, 7) - QPoint(0, 20)  # over "January 2024"
    assert view.header_at(month) == "January 2024"
    assert not view.indexAt(month).isValid()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=month)
    assert view.selected_rows() == []  # a click on a header selects nothing
    view.setSelection(QRect(month.x(), month.y() - 5, 300, 20),
                      QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert view.selected_rows() == []  # nor does a band over headers only

    # A rubber band from a header down over tiles selects the photos it crosses, no header.
    tile = view.visualRect(model.index(8, 0)).center()
    view.setSelection(view.visualRect(model.index(7, 0)).united(
        view.visualRect(model.index(8, 0))).adjusted(0, -30, 0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert view.selected_rows() == [7, 8]
    assert tile.y() > month.y()

    view.selectAll()
    assert len(view.selected_rows()) == 18  # every photo, nothing else
    mime = model.mimeData(view.selectionModel().selectedIndexes())  # what a drag carries
    assert len(mime.urls()) == 18
    assert all(u.toLocalFile().endswith(".jpg") for u in mime.urls())

    # The keyboard moves from photo to photo across headers. Four columns: March is rows
    # 0-3 and 4-6, January 7-9, December 10-13, July 2022 14-15, no date 16-17.
    view.setFocus()
    view.setCurrentIndex(model.index(4, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 7  # January's first, under its header
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 4  # back up: the same column, a line up
    view.setCurrentIndex(model.index(6, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 9  # column 2 of January's line
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.currentIndex().row() == 10  # the next photo, in the next month
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == 17
    for _ in range(30):
        qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 1  # up through every month, in column 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.currentIndex().row() > 1 and view.currentIndex().isValid()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    with qtbot.waitSignal(view.preview_requested, timeout=TIMEOUT_MS):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert [model.photo(r).id for r in view.selected_rows()] == [0]


def test_jump_to_year_scrolls_its_first_header_to_the_top(grid, qtbot) -> None:
    model, view = grid
    hits = []
    for year in (2024, 2023, 2022, 2021):
        for month in (11, 6, 2):
            for n in range(9):  # three lines a month
                hits.append(_hit(len(hits), f"{year}-{month:02d}-{12 - n // 3:02d} 12:00:00"))
    model.reset(hits, ranked=False, grouped=True)
    assert view.years() == ["2024", "2023", "2022", "2021"]
    menu = view.timeline_bar.menu
    assert [a.text() for a in menu.actions()] == ["2024", "2023", "2022", "2021"]
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(view.year_jumped, timeout=TIMEOUT_MS):
        next(a for a in menu.actions() if a.text() == "2022").trigger()
    assert bar.value() > 0
    assert view.header_at(QPoint(20, 10)) == "November 2022"  # its header at the very top
    first_2022 = next(r for r in range(model.rowCount())
                      if model.photo(r).taken_at.startswith("2022"))
    assert view.visualRect(model.index(first_2022, 0)).top() > 0  # its photos right below
    view.jump_to_year("2024")
    assert bar.value() == 0
    assert view.timeline_bar.where.text() == ""  # March 2024's header is in sight
    bar.setValue(bar.value() + 200)
    assert view.timeline_bar.where.text() == "November 2024"  # scrolled past it: "where"


def test_refining_a_timeline_keeps_the_current_photo_and_the_scroll(grid, qtbot) -> None:
    model, view = grid
    hits = [_hit(n, f"2023-{12 - n // 10:02d}-{28 - n % 10:02d} 10:00:00") for n in range(80)]
    model.reset(hits[:60], ranked=False, grouped=True)
    view.setCurrentIndex(model.index(45, 0))
    view.selectionModel().select(model.index(45, 0), QItemSelectionModel.SelectionFlag.Select)
    qtbot.wait(10)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    refined = hits[:5] + hits[10:]  # five photos gone above, twenty more below
    model.replace(refined, ranked=False, grouped=True)
    assert view.currentIndex().data(IdRole) == 45
    assert [i.data(IdRole) for i in view.selectionModel().selectedIndexes()] == [45]
    assert bar.value() == kept
    qtbot.wait(10)  # the delayed layout of the new rows
    assert bar.value() == kept
    assert sum(s.size for s in view.sections()) == 75
    assert view.visualRect(view.currentIndex()).isValid()


def _bar_pixel(view: ResultsView, row: int) -> QColor:
    """The colour at the left end of ``row``'s relevance bar (see ThumbnailDelegate.draw_bar)."""
    image = view.viewport().grab().toImage()
    rect = view.visualRect(view.model().index(row, 0))
    side = rect.width() - 12  # the tile's area inside its padding
    x = rect.left() + 6 + side // 10 + 1
    y = rect.bottom() - 6 + 3  # the area's bottom + 2 + one pixel into the bar
    return image.pixelColor(x, y)


def test_ranked_tiles_show_a_relevance_bar_and_say_how_strong(grid, qtbot, monkeypatch) -> None:
    model, view = grid
    drawn: list[tuple[float, bool]] = []
    real = ThumbnailDelegate.draw_bar

    def spy(painter, area, palette, relevance, match, selected):  # type: ignore[no-untyped-def]
        drawn.append((relevance, match))
        real(painter, area, palette, relevance, match, selected)

    monkeypatch.setattr(ThumbnailDelegate, "draw_bar", staticmethod(spy))
    hits = [SearchHit(Photo(1, Path("/p/a.jpg"), 1), 0.312, relevance=0.9, match=True),
            SearchHit(Photo(2, Path("/p/b.jpg"), 1), 0.201, relevance=0.3, match=False)]
    model.reset(hits, ranked=True)
    view.viewport().repaint()
    assert sorted(drawn) == [(0.3, False), (0.9, True)]
    first, second = model.index(0, 0), model.index(1, 0)
    assert first.data(RelevanceRole) == pytest.approx(0.9) and first.data(MatchRole)
    assert not second.data(MatchRole)
    assert "Score 0.312 · a strong match" in first.data(Qt.ItemDataRole.ToolTipRole)
    assert "Score 0.201 · a weaker match" in second.data(Qt.ItemDataRole.ToolTipRole)
    strong, weak = _bar_pixel(view, 0), _bar_pixel(view, 1)
    base = view.palette().color(QPalette.ColorRole.Base)
    assert strong != base and weak != base and strong != weak  # drawn, in two tones
    assert strong == view.palette().color(QPalette.ColorRole.Highlight)

    drawn.clear()
    model.reset(hits, ranked=False, grouped=True)  # browsing: no score, no bar
    view.viewport().repaint()
    assert drawn == []
    assert model.index(0, 0).data(RelevanceRole) == -1.0
    assert "Score" not in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_timeline_of_50k_photos_is_laid_out_and_browsable(grid, qtbot) -> None:
    model, view = grid
    hits = []
    for n in range(50_000):
        day = n // 20  # twenty photos a day, newest first, from mid 2024 back
        year, rest = 2024 - day // 336, day % 336
        hits.append(_hit(n, f"{year}-{12 - rest // 28:02d}-{28 - rest % 28:02d} 10:00:00"))
    model.reset(hits, ranked=False, grouped=True)
    assert model.rowCount() == 50_000
    assert view.years()[0] == "2024" and len(view.years()) == 8
    assert view.indexAt(view.visualRect(model.index(0, 0)).center()).row() == 0
    view.scrollToBottom()
    qtbot.wait(10)
    last = view.visualRect(model.index(49_999, 0))
    assert view.viewport().rect().contains(last.center())
    assert view.indexAt(last.center()).row() == 49_999
    model.replace(hits[::2], ranked=False, grouped=True)  # a refinement keeps half
    assert model.rowCount() == 25_000 and sum(s.size for s in view.sections()) == 25_000
    assert len(view.sections()) == 2_500 and len(view.years()) == 8  # every day still there
