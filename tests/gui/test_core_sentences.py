"""Core's English sentences that the window shows are said in Chinese when the interface is,
with their fields kept; anything unknown is shown as core wrote it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import Cancelled

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    from desktop_app import i18n

    assert i18n.install("zh_CN") == "zh_CN"
    yield
    i18n.install("en")


def _core_source() -> str:
    """Core's code with adjacent string literals joined, as Python joins them."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "core").rglob("*.py"))
    return re.sub(r"\"\s*\n\s*f?\"", "", text)


def test_core_still_says_every_sentence_the_window_words_again() -> None:
    from desktop_app.core_sentences import CORE

    source = _core_source()
    for template in CORE:
        for piece in re.split(r"\{\w+\}", template):
            piece = piece.strip(" .;:()")  # the punctuation may sit in another literal
            if len(piece) > 3:
                assert piece in source, f"core no longer says {piece!r} (of {template!r})"


def _english_words(text: str, fields: list[str]) -> list[str]:
    for field in sorted(fields, key=len, reverse=True):
        text = text.replace(field, " ")
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in {"PhotoSeek", "MB"}]


def test_the_sentences_core_makes_are_said_in_chinese(chinese) -> None:
    from core.lifecycle.model_setup import switch_failure
    from core.models.download import _offline_message
    from core.models.names import DEFAULT_MODEL, parse_model_name
    from desktop_app.engine import gui_wording

    spec = parse_model_name(DEFAULT_MODEL)
    offline = _offline_message(spec, "huggingface.co is unreachable")
    said = gui_wording(offline)
    assert said != offline
    assert _english_words(said, [spec.name, "huggingface.co is unreachable"]) == []
    assert "使用权重文件" in said

    cancelled = switch_failure(Cancelled("stop"), "ViT-B-16-SigLIP2:webli", "test-tiny")
    said = gui_wording(cancelled)
    assert _english_words(said, ["ViT-B-16-SigLIP2:webli", "test-tiny"]) == [], said

    unknown = "A sentence core may add one day."
    assert gui_wording(unknown) == unknown


def test_english_reads_as_core_wrote_it_with_the_button_named(qapp) -> None:
    from core.lifecycle.model_setup import switch_failure
    from core.models.download import _offline_message
    from core.models.names import DEFAULT_MODEL, parse_model_name
    from desktop_app.engine import gui_wording

    for sentence in (
        _offline_message(parse_model_name(DEFAULT_MODEL), "no network"),
        switch_failure(Cancelled("stop"), "a", "b"),
        "Loading the model test-tiny…",
    ):
        expected = re.sub(r"'--model [^']*'", "“Use a weights file…”", sentence)
        assert gui_wording(sentence) == expected
