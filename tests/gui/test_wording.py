"""The GUI's own wording of core's short words (desktop_app.words) stays in step with core:
the same shapes in English, and words for every phase and script core can report."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("seconds", [0, 0.4, 1, 44.6, 59, 60, 61, 185, 3599, 3600, 7830, 90061])
def test_durations_read_as_core_writes_them(seconds: float) -> None:
    from core.records import duration_text
    from desktop_app import words

    assert words.duration(seconds) == duration_text(seconds)
    assert words.time_left(seconds) == f"{duration_text(seconds)} left"


def test_every_phase_core_reports_has_words_and_english_keeps_cores() -> None:
    from core.records import PHASE_WORDS
    from desktop_app import words

    phases = words.phases()
    assert set(PHASE_WORDS) | {"scanning", "embedding"} <= set(phases)
    for key, english in PHASE_WORDS.items():
        assert words.phase(key) == english
    assert words.phase("done") is None


def test_every_script_core_names_has_words() -> None:
    from core.models import languages
    from desktop_app import words

    named = set(languages._SCRIPT_NAMES.values()) | {"that language"}
    assert named <= set(words.script_names())
    assert languages.foreign_script("海边的狗") == "Chinese"
    assert words.script_name("Chinese") == "Chinese"  # English: as core says it


@pytest.mark.parametrize(("text", "plain"), [
    ("&Find", "Find"), ("C&lear Search", "Clear Search"), ("Tom && Jerry", "Tom & Jerry"),
    ("查找(&F)", "查找"), ("添加文件夹(&A)…", "添加文件夹…"),
])
def test_the_shortcut_sheet_drops_mnemonics_of_either_form(qapp, text: str, plain: str) -> None:
    from desktop_app.help_shortcuts import plain_text

    assert plain_text(QAction(text)) == plain


def test_the_shortcut_sheet_names_each_key_once_in_chinese(qapp) -> None:
    """Return and Enter are both 回车 in Chinese: the sheet says it once."""
    from PySide6.QtGui import QKeySequence

    from desktop_app import i18n
    from desktop_app.help_shortcuts import _keys

    action = QAction("Open")
    action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
    assert _keys(action) == "Return, Enter"
    assert i18n.install("zh_CN") == "zh_CN"
    try:
        assert _keys(action) == "回车"
    finally:
        i18n.install("en")


def test_the_hint_to_switch_models_says_what_core_says() -> None:
    from core.models.languages import script_hint
    from core.models.names import MULTILINGUAL_MODEL
    from desktop_app import words

    english_only = "ViT-B-32:laion2b_s34b_b79k"
    for text in ("海边的狗", "собака на пляже", "dog 海边"):
        assert words.script_hint(text, english_only) == script_hint(text, english_only), text
    assert words.script_hint("dog on a beach", english_only) is None
    assert words.script_hint("海边的狗", MULTILINGUAL_MODEL) is None
