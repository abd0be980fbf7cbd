"""Screenshots of the Tools menu's windows: Find Duplicates and Evaluate Search Quality.

On a virtual X screen (Xvfb, unless DISPLAY is set), with scikit-image's sample photos plus
copies of some of them (the same file twice, a re-encoded and a resized copy, two frames of a
burst), indexed by the test-tiny CLIP trained on coloured shapes (tests/shapes_clip.py: it runs
offline); the evaluation runs on a folder of labelled shapes with that model. Saves
docs/screenshots/duplicates.png and docs/screenshots/evaluate.png.

    .venv/bin/python scripts/screenshots_tools.py [--out docs/screenshots]
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

from scripts.screenshots import make_library, settle, start_display, wait_until  # noqa: E402


def make_duplicates(folder: Path) -> None:
    """Copies among the samples that make_library wrote into ``folder``."""
    from PIL import Image

    shutil.copyfile(folder / "astronaut.jpg", folder / "astronaut (1).jpg")
    with Image.open(folder / "coffee.jpg") as coffee:
        coffee.save(folder / "coffee_sent.jpg", quality=45)
    with Image.open(folder / "rocket.jpg") as rocket:
        rocket.resize((rocket.width // 2, rocket.height // 2)).save(folder / "rocket_small.jpg")
    with Image.open(folder / "chelsea.jpg") as chelsea:
        w, h = chelsea.width - 14, chelsea.height - 9
        chelsea.crop((0, 0, w, h)).save(folder / "IMG_0001.jpg", quality=92)
        chelsea.crop((14, 9, 14 + w, 9 + h)).save(folder / "IMG_0002.jpg", quality=92)


def make_labelled(folder: Path) -> None:
    from tests.shapes_clip import draw_shape

    rng = random.Random(3)
    for colour, shape in (("red", "circle"), ("blue", "square"), ("green", "triangle"),
                          ("yellow", "circle"), ("red", "square")):
        for n in range(6):
            path = folder / f"{colour}_{shape}" / f"{n}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            draw_shape(rng, colour, shape).save(path)


def index(folder: Path, model: str) -> None:
    from core.library import Library

    library = Library(model=model)
    try:
        library.add_folder(folder)
        library.index()
    finally:
        library.close()


def shoot(model: str, photos: Path, labelled: Path, out: Path) -> None:
    from desktop_app.app import application, create_window

    app = application()
    window = create_window(model=model)
    window.resize(1280, 820)
    window.move(40, 40)
    window.show()
    window.engine.start()
    wait_until(app, lambda: window.engine.model_ready, 120)

    def save(widget: object, name: str, wait: float = 0.8) -> None:
        settle(app, wait)
        widget.grab().save(str(out / f"{name}.png"))  # type: ignore[attr-defined]
        print(f"saved {out / name}.png", file=sys.stderr)

    window.find_duplicates()
    duplicates = window.tool_windows["duplicates"]
    duplicates.move(60, 40)
    wait_until(app, lambda: bool(duplicates.rows) and not duplicates.progress.isVisible(), 120)
    cards = {c.member.photo.path.name: c for r in duplicates.rows for c in r.cards.values()}
    if "IMG_0002.jpg" in cards:
        cards["IMG_0002.jpg"].tick.setChecked(False)  # a burst frame kept, as a person might
    wait_until(app, lambda: all(c.picture.pixmap() is not None
                                and not c.picture.pixmap().isNull() for c in cards.values()), 30)
    save(duplicates, "duplicates")
    duplicates.close()

    window.open_evaluation()
    dialog = window.tool_windows["evaluation"]
    dialog.move(40, 20)
    dialog.folder.setText(str(labelled))
    dialog.robustness.setChecked(True)
    wait_until(app, lambda: "downloaded" in dialog.models.item(dialog.models.count() - 1).text(),
               30)
    dialog.run()
    wait_until(app, dialog.results.isVisible, 300)
    save(dialog, "evaluate")
    dialog.close()
    window.engine.shutdown()
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="photoseek-tools-shots-"))
    os.environ["PHOTOSEEK_HOME"] = str(work / "home")
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from tests.shapes_clip import COMMITTED_WEIGHTS, build_weights_file

    weights = build_weights_file(work / "shapes.safetensors", COMMITTED_WEIGHTS)
    model = f"test-tiny:{weights}"
    photos, labelled = work / "Pictures", work / "Labelled"
    make_library(photos, 0)
    make_duplicates(photos)
    make_labelled(labelled)
    index(photos, model)
    server = start_display()
    try:
        shoot(model, photos, labelled, out)
        return 0
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
