"""The models offered in Settings, and the hint for a query the model cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui


def test_settings_lists_the_offered_models_with_size_quality_and_speed(
    make_window, indexed_photos: Path, isolated_home: Path
) -> None:
    from core.models.names import KNOWN_MODELS
    from core.models.speed import cpu_gmacs
    from desktop_app.i18n import number
    from desktop_app.settings_dialog import SettingsDialog

    window = make_window()
    cpu_gmacs(window.engine.paths.models_dir)  # as loading a real model leaves it
    dialog = SettingsDialog(window.engine, window)
    names = [dialog.model_box.itemData(i) for i in range(dialog.model_box.count())]
    assert names[1:] == [m.name for m in KNOWN_MODELS]  # the library's test model first
    dialog.model_box.setCurrentIndex(names.index("xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k"))
    note = dialog.model_note.text()
    # the locale's digit grouping: "1,474 MB" in English, "1474 MB" in the C locale
    assert "Multilingual" in note and "Chinese" in note and f"{number(1474)} MB" in note
    assert "Crossmodal-3600" in note and "photos/s (estimated)" in note
    dialog.reject()


def test_a_chinese_query_with_an_english_model_hints_once(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.search_bar.set_text("海边的日落")
    qtbot.waitUntil(lambda: "multilingual" in window.notice.label.text(), timeout=TIMEOUT_MS)
    assert "Chinese" in window.notice.label.text() and "Settings" in window.notice.label.text()
    window.notice.hide()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.search_bar.set_text("海边")
    assert not window.notice.isVisible()  # said once, not at every keystroke
