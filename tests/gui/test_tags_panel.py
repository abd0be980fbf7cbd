"""The tags panel, driven as a person: tags with their counts, an own tag typed in the panel's
field, a tag clicked to show its photos (a chip in the filter bar, combined with typed words and
with a second tag), a chip removed, an own tag removed from its context menu (a built-in one
cannot be), and the panel explaining why it is empty until photos are tagged.

The library: sketches of coloured shapes (tests/shapes_clip.py) and a receipt with printed text,
indexed and tagged by core with the tiny CLIP trained on shapes and a vocabulary of its labels
("blue square"), "yellow triangle" left out so that an own tag can name it. It is indexed once
per session (OCR costs seconds) and copied into each test's data folder.
"""

from __future__ import annotations

import random
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from core.tagging.vocabulary import Category, Role, Vocabulary
from tests.gui.conftest import TIMEOUT_MS, shown_paths
from tests.shapes_clip import COLOURS, SHAPES, draw_shape

pytestmark = [pytest.mark.gui, pytest.mark.understanding]  # tagging and OCR run

# The phrasings the shapes model was trained on: words it never saw would only add noise.
TEMPLATES = ("{}", "a photo of {}")
LABELS = [f"{c} {s}" for c in COLOURS for s in SHAPES]
LEFT_OUT = "yellow triangle"
VOCABULARY = Vocabulary(
    tuple(Category(label, f"a {label}", "", TEMPLATES, Role.SUBJECT)
          for label in LABELS if label != LEFT_OUT),
    custom_templates=TEMPLATES,
)
RECEIPT = ("GROCERY RECEIPT", "TOTAL 42.50")


@dataclass(frozen=True)
class WordsLibrary:
    photos: Path
    model: str  # the shapes CLIP, as the window is opened with it


def render_text(path: Path, lines: tuple[str, ...]) -> Path:
    """Black printed text on white, large enough for OCR."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = (ImageFont.truetype(str(dejavu), 36) if dejavu.is_file()
            else ImageFont.load_default(size=36))
    image = Image.new("RGB", (640, 420), "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((30, 30 + n * 70), line, fill="black", font=font)
    image.save(path)
    return path


def shapes_folder(folder: Path, per_label: int, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for n in range(per_label * len(LABELS)):
        label = LABELS[n % len(LABELS)]
        draw_shape(rng, *label.split()).save(folder / f"{label.replace(' ', '_')}_{n:02d}.png")


_prepared: dict[str, Path] = {}  # one indexed home per session, shared by both test modules


def prepared_home(factory: pytest.TempPathFactory, weights: Path) -> tuple[Path, Path]:
    """(data folder, photos): 24 shapes and the receipt, indexed, tagged and read by core."""
    if "home" not in _prepared:
        from core.library import Library

        root = factory.mktemp("words")
        photos = root / "photos"
        shapes_folder(photos, 2, seed=11)
        render_text(photos / "receipt.png", RECEIPT)
        library = Library(home=root / "home", model=f"test-tiny:{weights}")
        library.tag_vocabulary = VOCABULARY
        try:
            library.add_folder(photos)
            library.index()  # embeds, then tags and reads text (the background jobs)
        finally:
            library.close()
        _prepared.update(home=root / "home", photos=photos)
    return _prepared["home"], _prepared["photos"]


def copy_words_library(
    factory: pytest.TempPathFactory, weights: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> WordsLibrary:
    """The prepared library, copied into the data folder ``home``; the window's library tags
    with the same vocabulary (another one would tag everything again)."""
    from core.library import Library

    prepared, photos = prepared_home(factory, weights)
    shutil.copytree(prepared, home, dirs_exist_ok=True)
    monkeypatch.setattr(Library, "tag_vocabulary", VOCABULARY)
    return WordsLibrary(photos, f"test-tiny:{weights}")


@pytest.fixture
def words_library(
    tmp_path_factory: pytest.TempPathFactory,
    shapes_model_path: Path,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> WordsLibrary:
    return copy_words_library(tmp_path_factory, shapes_model_path, isolated_home, monkeypatch)


def names(window) -> set[str]:
    return {path.name for path in shown_paths(window)}


def carrying(library, *tags: str) -> set[str]:
    """The names of the photos that carry every one of ``tags``, as core stores them."""
    return {photo.path.name for photo in library.search_by_name("", 1000)
            if set(tags) <= {name for name, _score in library.tags_of(photo.id)}}


def click_tag(qtbot, panel, name: str) -> None:
    item = panel.item_named(name)
    assert item is not None, name
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def chip_names(window) -> list[str]:
    """The chips shown in the filter bar (one going away is hidden until it is deleted)."""
    bar = window.filter_bar
    return [button.accessibleName() for button in bar.findChildren(QToolButton)
            if button.text() == "×" and button.isVisibleTo(bar)]


def wait_chips(qtbot, window, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: chip_names(window) == expected, timeout=TIMEOUT_MS)


def context_menu(qtbot, panel, name: str, choose) -> None:
    """Right-click the tag ``name``; ``choose(menu)`` acts on the menu while it is open."""
    item = panel.item_named(name)
    assert item is not None, name
    seen: list[QMenu] = []

    def act() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.append(menu)
        choose(menu)
        menu.close()

    QTimer.singleShot(200, act)
    pos: QPoint = panel.tree.visualItemRect(item).center()
    panel.tree.customContextMenuRequested.emit(pos)
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT_MS)


def test_an_own_tag_is_added_clicked_combined_and_removed(make_window, words_library, qtbot):
    window = make_window(model=words_library.model)
    panel, library = window.tags, window.engine.library
    qtbot.waitUntil(lambda: window.model.rowCount() == 25, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(panel.tags), timeout=TIMEOUT_MS)
    # What core counts, most used first; the list is shown, the empty-state line is not.
    assert [(t.name, t.count) for t in panel.tags] == [(t.name, t.count) for t in library.tags()]
    assert [t.count for t in panel.tags] == sorted((t.count for t in panel.tags), reverse=True)
    assert panel.tree.isVisible() and not panel.hint.isVisible()
    first = panel.item_named(panel.tags[0].name)
    assert first is not None and first.text(1) == str(panel.tags[0].count)

    # An own tag, typed in the panel's field: it fills itself with the yellow triangles.
    panel.add_field.setFocus()
    qtbot.keyClicks(panel.add_field, "A  Yellow Triangle")
    qtbot.keyClick(panel.add_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.item_named("a yellow triangle") is not None,
                    timeout=TIMEOUT_MS)
    own = panel.item_named("a yellow triangle")
    tagged = carrying(library, "a yellow triangle")
    triangles = {p.name for p in words_library.photos.glob("yellow_triangle_*")}
    assert own.text(0) == "A Yellow Triangle (yours)" and own.text(1) == str(len(tagged))
    assert tagged and len(tagged & triangles) >= len(tagged) - 1, tagged
    assert panel.add_field.text() == "" and panel.add_field.isEnabled()
    assert panel.hint.text() == f"“A Yellow Triangle” added: {len(tagged)} photos show it."
    assert window.filter_bar.filters.tags == ()  # added, not chosen

    # A click shows its photos: the grid narrows and a chip says why.
    click_tag(qtbot, panel, "a yellow triangle")
    qtbot.waitUntil(lambda: names(window) == tagged, timeout=TIMEOUT_MS)
    assert window.filter_bar.filters.tags == ("a yellow triangle",)
    wait_chips(qtbot, window, ["Remove tagged a yellow triangle"])
    assert window.status.results_label.text().startswith(
        f"{len(tagged)} of 25 photos pass the filters")

    # Another own tag while one is chosen: the list is rebuilt, the choice and grid stay.
    qtbot.keyClicks(panel.add_field, "a blue shape")
    qtbot.keyClick(panel.add_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.item_named("a blue shape") is not None, timeout=TIMEOUT_MS)
    assert [i.data(0, Qt.ItemDataRole.UserRole + 1) for i in panel.tree.selectedItems()] == [
        "a yellow triangle"]
    assert window.filter_bar.filters.tags == ("a yellow triangle",) and names(window) == tagged

    # Typed words combine with the tag: only tagged photos answer.
    window.search_bar.field.setFocus()
    qtbot.keyClicks(window.search_bar.field, "yellow")
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.last is not None
                    and window.controller.last.exact
                    and window.controller.draft.text == "yellow", timeout=TIMEOUT_MS)
    assert names(window) and names(window) <= tagged
    window.search_bar.clear_step()  # Esc: the words go, the tag stays
    qtbot.waitUntil(lambda: names(window) == tagged, timeout=TIMEOUT_MS)

    # A second tag combines: photos carrying both.
    other = max((t.name for t in panel.tags if not t.custom),
                key=lambda name: len(carrying(library, "a yellow triangle", name)))
    both = carrying(library, "a yellow triangle", other)
    click_tag(qtbot, panel, other)
    qtbot.waitUntil(lambda: window.filter_bar.filters.tags == ("a yellow triangle", other),
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: names(window) == both and window.controller.last is not None
                    and window.controller.last.hits is not None, timeout=TIMEOUT_MS)
    wait_chips(qtbot, window, ["Remove tagged a yellow triangle", f"Remove tagged {other}"])

    # Its chip removed: back to the own tag's photos, and the panel lets it go.
    chip = next(b for b in window.filter_bar.findChildren(QToolButton)
                if b.accessibleName() == f"Remove tagged {other}"
                and b.isVisibleTo(window.filter_bar))
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: names(window) == tagged, timeout=TIMEOUT_MS)
    assert not panel.item_named(other).isSelected()
    assert panel.item_named("a yellow triangle").isSelected()

    # A built-in tag cannot be removed; an own one can, and its filter goes with it.
    def built_in(menu: QMenu) -> None:
        assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [
            ("Built-in tags cannot be removed", False)]

    context_menu(qtbot, panel, other, built_in)

    def remove(menu: QMenu) -> None:
        action = menu.actions()[0]
        assert action.text() == "Remove Tag “A Yellow Triangle”"
        action.trigger()

    context_menu(qtbot, panel, "a yellow triangle", remove)
    qtbot.waitUntil(lambda: panel.item_named("a yellow triangle") is None, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(names(window)) == 25, timeout=TIMEOUT_MS)
    assert window.filter_bar.filters.tags == ()
    wait_chips(qtbot, window, [])
    assert "a yellow triangle" not in {t.name for t in library.tags()}


def test_the_panel_says_why_it_is_empty_then_fills_when_tagging_is_done(
    make_window, shapes_model_path, tmp_path, qtbot, monkeypatch
):
    from core.library import Library

    monkeypatch.setattr(Library, "tag_vocabulary", VOCABULARY)
    # Tagging waits for the test's word, so that the panel must fill when tagging ends, not
    # merely when the photos became searchable (which comes first).
    gate = threading.Event()
    tag_photos = Library.tag_photos

    def gated(self, cancel=None, progress=None):
        if self.status().indexed:  # photos to tag (not the empty library's first round)
            gate.wait(TIMEOUT_MS / 1000)
        return tag_photos(self, cancel, progress)

    monkeypatch.setattr(Library, "tag_photos", gated)
    window = make_window(model=f"test-tiny:{shapes_model_path}")
    panel = window.tags
    try:
        qtbot.waitUntil(lambda: panel.hint.text() == "Photos are tagged once they are indexed.",
                        timeout=TIMEOUT_MS)
        assert panel.hint.isVisible() and not panel.tree.isVisible()

        # The View menu hides and shows it (Ctrl+T).
        action = window.acts.tags_panel
        assert action.shortcut().toString() == "Ctrl+T" and action.isChecked()
        action.trigger()
        assert not panel.isVisible() and not action.isChecked()
        action.trigger()
        assert panel.isVisible()

        # Photos added through the window are indexed: searchable, not tagged yet.
        shapes_folder(tmp_path / "shapes", 1, seed=3)
        window.add_folder(str(tmp_path / "shapes"))
        qtbot.waitUntil(lambda: window.status.index_label.text().startswith(
            "12 of 12 photos indexed"), timeout=TIMEOUT_MS)
        qtbot.wait(1500)  # the session's last report of photos made searchable
        qtbot.waitUntil(lambda: not window.tasks.busy("io"), timeout=TIMEOUT_MS)
        assert panel.tags == []
        assert panel.hint.text() == ("No tags yet: photos are tagged in the background after "
                                     "indexing.")
    finally:
        gate.set()
    # Tagging runs and ends: the panel fills by itself.
    qtbot.waitUntil(lambda: bool(panel.tags), timeout=TIMEOUT_MS)
    library = window.engine.library
    assert [(t.name, t.count) for t in panel.tags] == [(t.name, t.count) for t in library.tags()]
    assert not panel.hint.isVisible() and panel.tree.isVisible()
