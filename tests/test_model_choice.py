"""Which model a library uses when nobody named one, and the hint for a query it cannot read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.cli.main import main
from core.config.settings import Settings, choose_model
from core.library import Library
from core.models.languages import foreign_script, reads_all_scripts, script_hint
from core.models.names import (
    DEFAULT_MODEL,
    KNOWN_MODELS,
    LEGACY_DEFAULT_MODEL,
    MULTILINGUAL_MODEL,
)
from tests.conftest import TINY_MODEL

# ------------------------------------------------------------------ the default


def _indexed_as(home: Path, photo_dir: Path, model: str) -> None:
    """A library whose vectors are stored under ``model`` (made by the tiny model, renamed as
    if ``model`` had made them), and a settings file that names no model (as one written
    before models were named, or lost)."""
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.index()
    lib.close()
    db = sqlite3.connect(home / "catalog.db")
    with db:
        db.execute("UPDATE models SET name = ? WHERE name = ?", (model, TINY_MODEL))
    db.close()
    saved = json.loads((home / "settings.json").read_text())
    saved.pop("model", None)
    (home / "settings.json").write_text(json.dumps(saved))


def test_a_new_library_gets_the_new_default(isolated_home: Path) -> None:
    assert DEFAULT_MODEL == "ViT-B-32-SigLIP2-256:webli"
    lib = Library()
    try:
        assert lib.model_name == DEFAULT_MODEL
    finally:
        lib.close()


def test_an_existing_library_keeps_the_old_default(isolated_home: Path, photo_dir: Path) -> None:
    _indexed_as(isolated_home, photo_dir, LEGACY_DEFAULT_MODEL)
    assert Settings.load(isolated_home / "settings.json").model == ""
    lib = Library()  # opened without loading any model
    try:
        assert lib.model_name == LEGACY_DEFAULT_MODEL
        assert lib.status().indexed == 16  # its vectors still answer
    finally:
        lib.close()


def test_a_named_model_wins_over_the_catalog(isolated_home: Path, photo_dir: Path) -> None:
    _indexed_as(isolated_home, photo_dir, LEGACY_DEFAULT_MODEL)
    catalog = isolated_home / "catalog.db"
    assert choose_model(None, Settings(model=MULTILINGUAL_MODEL), catalog) == MULTILINGUAL_MODEL
    assert choose_model(DEFAULT_MODEL, Settings(), catalog) == DEFAULT_MODEL


def test_vectors_of_other_models_do_not_pick_the_old_default(
    isolated_home: Path, photo_dir: Path
) -> None:
    _indexed_as(isolated_home, photo_dir, MULTILINGUAL_MODEL)  # named once, then forgotten
    assert choose_model(None, Settings(), isolated_home / "catalog.db") == DEFAULT_MODEL


def test_a_damaged_catalog_gives_the_default(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.db"
    catalog.write_bytes(b"not a database" * 100)
    assert choose_model(None, Settings(), catalog) == DEFAULT_MODEL


def test_the_offered_models() -> None:
    names = [m.name for m in KNOWN_MODELS]
    assert names == [DEFAULT_MODEL, "ViT-B-16-SigLIP2:webli", MULTILINGUAL_MODEL,
                     LEGACY_DEFAULT_MODEL]
    for info in KNOWN_MODELS:
        assert info.download_mb > 500 and info.quality and info.good_at
    assert [m.multilingual for m in KNOWN_MODELS] == [False, False, True, False]


# ------------------------------------------------------------------ the language hint


@pytest.mark.parametrize(
    ("text", "script"),
    [("海边的日落", "Chinese"), ("海辺の夕日", "Japanese"), ("바닷가 일몰", "Korean"),
     ("закат на море", "Russian and other Cyrillic"), ("غروب الشمس", "Arabic"),
     ("sunset on the beach", None), ("café crème brûlée", None), ("2023 !?", None)],
)
def test_foreign_scripts_are_recognised(text: str, script: str | None) -> None:
    assert foreign_script(text) == script


def test_english_only_models_hint_at_the_multilingual_one() -> None:
    for model in (DEFAULT_MODEL, LEGACY_DEFAULT_MODEL, "ViT-B-16-SigLIP2:webli", TINY_MODEL):
        hint = script_hint("海边的日落", model)
        assert hint is not None and "Chinese" in hint and MULTILINGUAL_MODEL in hint
        assert "Settings" in hint and "\n" not in hint
        assert script_hint("sunset at the sea", model) is None
    assert reads_all_scripts(MULTILINGUAL_MODEL)
    assert reads_all_scripts("random:xlm-roberta-base-ViT-B-32")
    assert script_hint("海边的日落", MULTILINGUAL_MODEL) is None


def test_cli_search_hints_once_on_stderr(capsys, photo_dir: Path) -> None:
    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "search", "海边的日落", "--json"]) == 0
    out, err = capsys.readouterr()
    json.loads(out)  # the results are still printed
    lines = [line for line in err.splitlines() if "multilingual" in line]
    assert len(lines) == 1
    assert "English only" in lines[0] and f"index --model {MULTILINGUAL_MODEL}" in lines[0]
    assert main(["--model", TINY_MODEL, "search", "red circle", "--json"]) == 0
    assert "multilingual" not in capsys.readouterr().err


# ------------------------------------------------------------------ speed


def test_speed_is_estimated_until_measured(tmp_path: Path) -> None:
    from core.models.speed import MIN_PHOTOS, model_speed, record_indexing_rate

    small, large = KNOWN_MODELS[3], KNOWN_MODELS[1]
    assert model_speed(small, tmp_path, run=False) is None  # never benchmarks unasked
    estimate = model_speed(small, tmp_path)
    assert estimate is not None and not estimate.measured and "estimated" in estimate.label()
    slower = model_speed(large, tmp_path, run=False)  # the cached benchmark, scaled
    assert slower is not None and slower.photos_per_s < estimate.photos_per_s
    record_indexing_rate(tmp_path, small.name, MIN_PHOTOS - 1, 1.0)  # too short to count
    assert not model_speed(small, tmp_path).measured
    record_indexing_rate(tmp_path, small.name, 300, 12.0)
    measured = model_speed(small, tmp_path)
    assert measured.measured and measured.photos_per_s == 25.0
    assert "measured here" in measured.label()
