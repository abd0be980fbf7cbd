"""Screenshots of what the app understands in photos: tags, descriptions, text read in them.

No real CLIP weights can be downloaded on the development machine, so this uses the tiny CLIP
the tests train on coloured shapes (as scripts/readme_screenshot.py does), with a vocabulary of
the labels it knows ("red circle", "blue square"); its tags, descriptions and the text read by
OCR are genuine. The library holds sketches of every colour and shape, a few of them posters
with printed words, and a receipt.

Shots, on a virtual X screen (Xvfb) unless DISPLAY is set:

- tags.png: the Tags panel under the library panel, an own tag ("a yellow triangle") typed in
  its field and clicked: the grid shows its photos, a chip in the filter bar says so;
- preview-words.png: the preview of a poster: its tags, what it looks like, the text in it;
- text-match.png: words printed on a poster typed in the search: the poster is lifted first,
  its tile marked "Aa", the count says why.

    .venv/bin/python scripts/screenshots_understanding.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import fresh_answer, settle, start_display, wait_until  # noqa: E402
from tests.shapes_clip import COLOURS, SHAPES, build_weights_file, draw_shape  # noqa: E402

PER_LABEL = 4  # sketches of each colour and shape
# Posters: a sketch with words printed under it (colour, shape, the words).
POSTERS = (
    ("red", "circle", ("GARAGE SALE", "SATURDAY 9 AM")),
    ("blue", "square", ("LOST CAT", "CALL 555 0199")),
    ("green", "triangle", ("FARMERS MARKET", "EVERY SUNDAY")),
)
RECEIPT = ("GROCERY RECEIPT", "MILK 2.50", "TOTAL 42.50")
OWN_TAG = "a yellow triangle"
TEXT_QUERY = "market"
TEMPLATES = ("{}", "a photo of {}")  # the phrasings the shapes model was trained on


def vocabulary() -> object:
    """The shapes model's labels as tags; "yellow triangle" is left for one's own tag."""
    from core.tagging.vocabulary import Category, Role, Vocabulary

    labels = [f"{c} {s}" for c in COLOURS for s in SHAPES if (c, s) != ("yellow", "triangle")]
    return Vocabulary(
        tuple(Category(label, f"a {label}", "", TEMPLATES, Role.SUBJECT) for label in labels),
        custom_templates=TEMPLATES,
    )


def _font(size: int) -> object:
    from PIL import ImageFont

    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    return ImageFont.truetype(str(dejavu), size) if dejavu.is_file() \
        else ImageFont.load_default(size=size)


def make_library(folder: Path) -> None:
    from PIL import Image, ImageDraw

    rng = random.Random(2024)
    folder.mkdir(parents=True)
    labels = [(c, s) for s in SHAPES for c in COLOURS]
    for n in range(PER_LABEL * len(labels)):
        colour, shape = labels[n % len(labels)]
        picture = draw_shape(rng, colour, shape).resize((320, 320), Image.Resampling.LANCZOS)
        picture.save(folder / f"sketch_{n:03d}.jpg", quality=95)
    for n, (colour, shape, words) in enumerate(POSTERS):
        sketch = draw_shape(rng, colour, shape).resize((320, 320), Image.Resampling.LANCZOS)
        poster = Image.new("RGB", (320, 440), "white")
        poster.paste(sketch, (0, 0))
        draw = ImageDraw.Draw(poster)
        for line, text in enumerate(words):
            draw.text((16, 340 + line * 44), text, fill="black", font=_font(24))
        poster.save(folder / f"poster_{n}.jpg", quality=95)
    receipt = Image.new("RGB", (480, 360), "white")
    draw = ImageDraw.Draw(receipt)
    for line, text in enumerate(RECEIPT):
        draw.text((30, 40 + line * 80), text, fill="black", font=_font(36))
    receipt.save(folder / "receipt.jpg", quality=95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="photoseek-words-"))
    os.environ["PHOTOSEEK_HOME"] = str(work / "home")
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    weights = build_weights_file(work / "shapes.safetensors")
    photos = work / "Pictures"
    make_library(photos)
    server = start_display()
    try:
        return shoot(weights.resolve(), photos, args.out)
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(work, ignore_errors=True)


def shoot(weights: Path, photos: Path, out: Path) -> int:
    from core.library import Library
    from core.lifecycle.states import IndexingState
    from desktop_app.app import application, create_window

    Library.tag_vocabulary = vocabulary()  # type: ignore[assignment]
    app = application()
    window = create_window(model=f"test-tiny:{weights}")
    window.resize(1280, 820)
    window.move(40, 40)
    window.show()
    window.engine.start()
    out.mkdir(parents=True, exist_ok=True)
    panel = window.tags

    def need(done: bool, what: str) -> None:
        if not done:
            raise SystemExit(f"screenshots_understanding: gave up waiting for {what}")

    def thumbnails() -> None:
        wait_until(app, lambda: len(window.loader.memory) >= min(40, window.model.rowCount()),
                   60)

    def save(widget: object, name: str) -> None:
        settle(app, 1.5)
        path = out / f"{name}.png"
        image = widget.grab()  # type: ignore[attr-defined]
        image.save(str(path))
        print(f"saved {path} ({image.width()}x{image.height()})", file=sys.stderr)

    need(wait_until(app, lambda: window.engine.model_ready, 120), "the model")
    window.add_folder(str(photos))
    total = PER_LABEL * len(COLOURS) * len(SHAPES) + len(POSTERS) + 1

    def text_read() -> bool:  # the last job after embedding (the state is idle before it)
        library = window.engine.library
        return library is not None and all(
            library.text_of(photo.id) is not None for photo in library.search_by_name("", 999))

    need(wait_until(app, lambda: window.engine.indexing is IndexingState.IDLE
                    and window.status.index_label.text().startswith(
                        f"{total} of {total} photos indexed")
                    and bool(panel.tags) and text_read(), 600),
         "indexing, tagging and reading text")

    # An own tag typed in the panel, then clicked: its photos, a chip.
    panel.add_field.setText(OWN_TAG)
    panel.add_field.returnPressed.emit()
    need(wait_until(app, lambda: panel.item_named(OWN_TAG) is not None, 60), "the own tag")
    answered = fresh_answer(window)
    item = panel.item_named(OWN_TAG)
    assert item is not None
    item.setSelected(True)  # as a click does
    need(wait_until(app, answered, 60), "the photos of the own tag")
    thumbnails()
    window.view.clearSelection()
    save(window, "tags")

    # The preview of a poster: tags, descriptions, text.
    window.filter_bar.clear()
    need(wait_until(app, lambda: window.model.rowCount() == total, 60), "every photo")
    row = next(r for r in range(window.model.rowCount())
               if window.model.photo(r).path.name == "poster_2.jpg")
    window.view.setCurrentIndex(window.model.index(row, 0))
    window.show_preview()
    preview = window.preview
    assert preview is not None
    preview.resize(1000, 640)
    need(wait_until(app, lambda: preview.canvas.pixmap is not None
                    and preview.canvas.pixmap.width() > 300 and bool(preview.phrases)
                    and preview.text_label is not None, 60),
         f"the preview's words (tags {preview.tags_box is not None}, descriptions "
         f"{len(preview.phrases)}, text {preview.text_label is not None})")
    save(preview, "preview-words")
    preview.close()

    # Words printed on a poster, typed: it comes first, marked.
    answered = fresh_answer(window)
    window.search_bar.set_text(TEXT_QUERY)
    need(wait_until(app, answered, 60), f"the answer to {TEXT_QUERY!r}")
    thumbnails()
    window.view.clearSelection()
    save(window, "text-match")
    window.engine.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
