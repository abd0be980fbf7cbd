"""Search that narrows, in the window, as a user drives it: what was understood as chips that
undo in one click, the filter bar, a folder clicked in the library panel, weaker matches on
request, More / Less Like This with weights, the order."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from core.search.request import Sort
from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS, shown_paths
from tests.test_narrowing import PARIS, exif_photo

pytestmark = pytest.mark.gui


@pytest.fixture
def dated_library(tmp_path: Path, isolated_home: Path) -> tuple[Path, Path]:
    """Two library folders of photos with dates, cameras and a place, indexed by core."""
    from core.library import Library

    home, away = tmp_path / "home", tmp_path / "away"
    exif_photo(home / "paris_2019.jpg", 1, "2019:07:14 10:00:00", ("Apple", "iPhone 12"), PARIS)
    exif_photo(home / "xmas_2021.jpg", 3, "2021:12:25 18:00:00", ("Apple", "iPhone 12"))
    exif_photo(away / "spring_2023.jpg", 2, "2023:03:03 09:00:00", ("Canon", "Canon EOS R5"))
    exif_photo(away / "summer_2023.jpg", 4, "2023:08:01 12:00:00", ("Canon", "Canon EOS R5"))
    scan = make_photo(home / "scan.png", 6)
    os.utime(scan, (datetime(2020, 5, 5, 12).timestamp(),) * 2)
    library = Library(model="test-tiny")
    try:
        library.add_folder(home)
        library.add_folder(away)
        library.index()
    finally:
        library.close()
    return home, away


def names(window) -> list[str]:
    return [p.name for p in shown_paths(window)]


def exact(results: object) -> bool:
    return bool(getattr(results, "exact", False))


def wait_names(qtbot, window, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: names(window) == expected, timeout=TIMEOUT_MS)


def test_words_understood_become_chips_that_undo_in_one_click(make_window, dated_library, qtbot):
    window = make_window()
    wait_names(qtbot, window, ["summer_2023.jpg", "spring_2023.jpg", "xmas_2021.jpg",
                               "scan.png", "paris_2019.jpg"])
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=exact):
        window.search_bar.set_text("a photo from 2023")
    results = window.controller.last
    assert results.candidates == 2 and set(names(window)) <= {"summer_2023.jpg",
                                                              "spring_2023.jpg"}

    def chips() -> list[QToolButton]:
        return [c for c in window.search_bar.findChildren(QToolButton)
                if c.text() == "×" and c.isVisible()]

    qtbot.waitUntil(lambda: [c.accessibleName() for c in chips()] == ["Remove 2023"],
                    timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=exact):
        qtbot.mouseClick(chips()[0], Qt.MouseButton.LeftButton)
    assert window.search_bar.field.text() == 'a photo from "2023"'
    assert window.controller.last.candidates == 5  # the year is words now: no filter
    qtbot.waitUntil(lambda: window.search_bar.chip_count() == 0, timeout=TIMEOUT_MS)


def test_the_filter_bar_narrows_the_timeline_and_clears(make_window, dated_library, qtbot):
    window = make_window()
    bar = window.filter_bar
    qtbot.waitUntil(lambda: 2019 in bar.choices.years and bool(bar.choices.cameras),
                    timeout=TIMEOUT_MS)
    assert bar.choices.cameras == ["Apple iPhone 12", "Canon EOS R5"]
    assert ("France", "France") in bar.choices.places
    year_2019 = next(a for a in bar.when.menu().actions() if a.text() == "2019")
    year_2019.trigger()
    wait_names(qtbot, window, ["paris_2019.jpg"])
    assert bar.when.text() == "When: 2019"
    assert "1 of 5 photos passes the filters, newest first" in window.status.results_label.text()
    canon = next(a for a in bar.camera.menu().actions() if a.text() == "Canon EOS R5")
    canon.trigger()  # 2019 and Canon: nothing
    wait_names(qtbot, window, [])
    assert window.view.empty_text == "No photos pass these filters."
    bar.clear()
    france = next(a for a in bar.where.menu().actions() if a.text() == "France")
    france.trigger()
    wait_names(qtbot, window, ["paris_2019.jpg"])
    bar.clear()
    wait_names(qtbot, window, ["summer_2023.jpg", "spring_2023.jpg", "xmas_2021.jpg",
                               "scan.png", "paris_2019.jpg"])
    bar.set_sort(Sort.OLDEST)
    wait_names(qtbot, window, ["paris_2019.jpg", "scan.png", "xmas_2021.jpg",
                               "spring_2023.jpg", "summer_2023.jpg"])
    assert window.model.grouped


def test_clicking_a_folder_in_the_library_panel_filters_to_it(make_window, dated_library,
                                                              qtbot):
    _home, away = dated_library
    window = make_window()
    qtbot.waitUntil(lambda: len(names(window)) == 5, timeout=TIMEOUT_MS)
    tree = window.folders.tree
    item = next(tree.topLevelItem(n) for n in range(tree.topLevelItemCount())
                if tree.topLevelItem(n).text(0).startswith("away"))
    tree.setCurrentItem(item)
    wait_names(qtbot, window, ["summer_2023.jpg", "spring_2023.jpg"])
    assert window.filter_bar.filters.folders == (away,)


def test_weaker_matches_are_offered_and_shown_on_request(make_window, dated_library, qtbot,
                                                         tmp_path):
    home, _away = dated_library
    window = make_window()
    copy = tmp_path / "copy.jpg"
    copy.write_bytes((home / "xmas_2021.jpg").read_bytes())
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=exact):
        window.search_bar.add_images([copy])
    shown = names(window)
    assert shown[0] == "xmas_2021.jpg" and len(shown) < 5  # its twin, and not the library
    assert f"{len(shown)} match" in window.status.results_label.text()
    button = window.status.weaker_button
    qtbot.waitUntil(button.isVisible, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=exact):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(names(window)) == 5 and names(window)[0] == "xmas_2021.jpg"
    assert [h.match for h in window.model.hits()] == [True] * len(shown) + [False] * (
        5 - len(shown))
    assert button.text() == "Hide Weaker Matches"


def test_more_and_less_like_this_refine_with_weights(make_window, dated_library, qtbot):
    home, _away = dated_library
    window = make_window()
    qtbot.waitUntil(lambda: len(names(window)) == 5, timeout=TIMEOUT_MS)
    window.search_bar.field.setText("holiday")
    window.search_bar.submit()
    window.view.setCurrentIndex(window.model.index(0, 0))
    chosen = window.selected_paths()[0]
    window.acts.find_similar.trigger()
    draft = window.controller.draft
    assert draft.text == "holiday" and draft.images == (str(chosen),)  # the words stay
    weight_button = next(b for b in window.search_bar.findChildren(QToolButton)
                         if b.text().startswith("like "))
    weight_menu = weight_button.menu()
    next(a for a in weight_menu.actions() if a.text() == "Weight ×2").trigger()
    assert window.controller.draft.images == (f"2:{chosen}",)
    window.acts.exclude_similar.trigger()  # the same photo: from example to avoided
    draft = window.controller.draft
    assert draft.images == () and draft.negatives == (str(chosen),)
    # A lone "not" chip is not ignored: the timeline without the photos like it.
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.search_bar.field.clear()
    qtbot.waitUntil(lambda: len(names(window)) == 4, timeout=TIMEOUT_MS)
    assert chosen.name not in names(window)


def test_the_preview_shows_the_match_the_place_and_the_date(make_window, dated_library,
                                                            qtbot, tmp_path):
    home, _away = dated_library
    window = make_window()
    copy = tmp_path / "copy.jpg"
    copy.write_bytes((home / "paris_2019.jpg").read_bytes())
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=exact):
        window.search_bar.add_images([copy])
    window.view.setCurrentIndex(window.model.index(0, 0))
    window.show_preview()
    assert window.preview is not None
    from desktop_app.preview import describe

    rows = dict(describe(window.model.photo(0), window.model.hit(0)))
    assert rows["Match"].startswith("a strong match (score 1.000")
    assert rows["Place"].startswith("Paris, Île-de-France, France")
    assert rows["Taken"] == "2019-07-14 10:00:00"
    window.preview.close()


def test_words_that_are_all_filters_list_photos_and_say_why_nothing_passes(
    make_window, dated_library, qtbot
):
    window = make_window()
    qtbot.waitUntil(lambda: len(names(window)) == 5, timeout=TIMEOUT_MS)
    window.search_bar.set_text("photos from my iPhone")
    wait_names(qtbot, window, ["xmas_2021.jpg", "paris_2019.jpg"])
    status = window.status.results_label.text()
    assert status.startswith("2 of 5 photos pass the filters, newest first"), status
    assert window.model.grouped and window.filter_bar.sort.itemText(0) == "Newest first"
    # The words ask for 2021, the When menu for 2019: nothing can pass, and the window says
    # so instead of blaming the words.
    window.search_bar.set_text("a photo from 2021")
    qtbot.waitUntil(lambda: window.controller.last.candidates == 1, timeout=TIMEOUT_MS)
    bar = window.filter_bar
    next(a for a in bar.when.menu().actions() if a.text() == "2019").trigger()
    qtbot.waitUntil(lambda: window.controller.last.candidates == 0, timeout=TIMEOUT_MS)
    assert names(window) == []
    assert window.status.results_label.text().startswith("No photo passes these filters")
    assert "2021, understood from the words" in window.view.empty_text
