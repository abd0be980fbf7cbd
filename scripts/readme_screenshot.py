"""The README's screenshots: a real text search answered by a model that understands the words.

No real CLIP weights can be downloaded on the development machine, so this uses the tiny CLIP
that the tests train on coloured shapes: its answers to "red circle" are genuine. By default its
weights come from the committed tests/data/shapes_clip.npz (as the test suite builds them); a
.safetensors made by scripts/train_shapes_clip.py may be given instead. The library holds
sketches in that model's domain, saved as JPEGs with EXIF dates, cameras and, for some, a GPS
position, so that the filters have something to narrow by.

Two shots, on a virtual X screen (Xvfb) unless DISPLAY is set:

- hero.png: "red circle" answered with only the real matches ("10 matches", relevance bars);
- narrowed.png: "red circle 2023" (the year understood, shown as a chip) narrowed further by a
  camera chosen in the filter bar.

    .venv/bin/python scripts/readme_screenshot.py [--out docs/screenshots]
    .venv/bin/python scripts/readme_screenshot.py /tmp/shapes.safetensors   # trained weights
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

PICTURES = 120  # every colour and shape, ten of each
# The n-th sketch of a colour and shape (its round, 0-9) is dated, made and placed by that round:
# four of every ten in 2023, three of those by the iPhone, so "red circle 2023" with the camera
# chosen narrows ten red circles to three.
YEARS = (2021, 2021, 2022, 2022, 2023, 2023, 2023, 2023, 2024, 2024)
IPHONE, CANON, PIXEL = ("Apple", "iPhone 13"), ("Canon", "Canon EOS R5"), ("Google", "Pixel 7")
CAMERAS = (CANON, PIXEL, IPHONE, CANON, IPHONE, IPHONE, IPHONE, CANON, PIXEL, IPHONE)
PARIS: dict[int, object] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 8.0)}
TOKYO: dict[int, object] = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}
PLACES = (None, TOKYO, None, PARIS, PARIS, PARIS, None, TOKYO, None, TOKYO)
HERO_QUERY = "red circle"
NARROWED_QUERY = "red circle 2023"
NARROWED_CAMERA = "Apple iPhone 13"


def make_library(folder: Path) -> None:
    """Sketches of every colour and shape, in the model's own domain (it knows nothing else),
    as JPEGs with the EXIF a camera writes: date taken, make and model, GPS for some."""
    from PIL import Image

    rng = random.Random(2024)  # the pictures
    when = random.Random(7)  # their dates, drawn apart so that the pictures stay the same
    folder.mkdir(parents=True)
    labels = [(c, s) for s in SHAPES for c in COLOURS]
    for n in range(PICTURES):
        colour, shape = labels[n % len(labels)]
        round_ = n // len(labels)
        picture = draw_shape(rng, colour, shape, side=64)
        picture = picture.resize((320, 320), Image.Resampling.LANCZOS)
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = CAMERAS[round_]
        taken = (f"{YEARS[round_]}:{when.randint(1, 12):02d}:{when.randint(1, 28):02d} "
                 f"{when.randint(8, 19):02d}:{when.randint(0, 59):02d}:00")
        exif.get_ifd(0x8769)[0x9003] = taken
        place = PLACES[round_]
        if place is not None:
            exif.get_ifd(0x8825).update(place)
        picture.save(folder / f"sketch_{n:03d}.jpg", quality=95, exif=exif.tobytes())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=Path, nargs="?",
                        help="shapes CLIP weights (.safetensors); default: built from "
                             "tests/data/shapes_clip.npz")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", default="en",
                        help="the interface's language: en, or zh_CN for chinese.png and "
                             "chinese-narrowed.png")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="photoseek-hero-"))
    os.environ["PHOTOSEEK_HOME"] = str(work / "home")
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    weights = args.weights or build_weights_file(work / "shapes.safetensors")
    photos = work / "Pictures"
    make_library(photos)
    server = start_display()
    try:
        return shoot(weights.resolve(), photos, args.out, args.language)
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(work, ignore_errors=True)


def shoot(weights: Path, photos: Path, out: Path, language: str = "en") -> int:
    from desktop_app import i18n
    from desktop_app.app import application, create_window

    app = application()
    shown = i18n.install(language)
    prefix = "" if shown == "en" else "chinese-"
    window = create_window(model=f"test-tiny:{weights}")
    statuses = []
    window.engine.status_changed.connect(statuses.append)
    window.resize(1280, 800)
    window.show()
    window.engine.start()
    out.mkdir(parents=True, exist_ok=True)

    def need(done: bool, what: str) -> None:
        if not done:
            raise SystemExit(f"readme_screenshot: gave up waiting for {what}")

    def search(text: str) -> None:
        answered = fresh_answer(window)
        window.search_bar.set_text(text)
        need(wait_until(app, answered, 60), f"the answer to {text!r}")
        wait_until(app, lambda: len(window.loader.memory) >= min(40, window.model.rowCount()), 60)

    def save(name: str) -> None:
        settle(app, 3.0)
        window.view.clearSelection()
        settle(app, 0.3)
        path = out / f"{name}.png"
        image = window.grab()
        image.save(str(path))
        print(f"saved {path} ({image.width()}x{image.height()}): "
              f"{window.status.results_label.text()}", file=sys.stderr)

    need(wait_until(app, lambda: window.engine.model_ready, 120), "the model")
    window.add_folder(str(photos))
    need(wait_until(app, lambda: bool(statuses) and statuses[-1].indexed >= PICTURES, 300),
         "indexing")  # search once indexing is done
    # The filter menus offer what the library holds (read once its photos are found).
    need(wait_until(app, lambda: NARROWED_CAMERA in window.filter_bar.choices.cameras, 60),
         f"{NARROWED_CAMERA} in the Camera menu")
    settle(app, 2.0)

    search(HERO_QUERY)
    save("chinese" if prefix else "hero")

    search(NARROWED_QUERY)
    camera = next(a for a in window.filter_bar.camera.menu().actions()
                  if a.text() == NARROWED_CAMERA)
    answered = fresh_answer(window)
    camera.trigger()  # as a click in the Camera menu does
    need(wait_until(app, answered, 60), f"the answer with {NARROWED_CAMERA} chosen")
    save(f"{prefix}narrowed")

    window.engine.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
