"""The README's screenshot: a real text search answered by a model that understands the words.

No real CLIP weights can be downloaded on the development machine, so this uses the tiny CLIP
that the tests train on coloured shapes (scripts/train_shapes_clip.py): its answers to
"red circle" are genuine. The library holds sketches in that model's domain.

    .venv/bin/python scripts/train_shapes_clip.py /tmp/shapes.safetensors
    .venv/bin/python scripts/readme_screenshot.py /tmp/shapes.safetensors
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import fresh_answer, settle, start_display, wait_until  # noqa: E402
from tests.shapes_clip import COLOURS, SHAPES, draw_shape  # noqa: E402


def make_library(folder: Path) -> None:
    """Sketches of every colour and shape, in the model's own domain (it knows nothing else)."""
    from PIL import Image

    rng = random.Random(2024)
    folder.mkdir(parents=True)
    for n in range(120):
        colour, shape = list(COLOURS)[n % len(COLOURS)], SHAPES[(n // len(COLOURS)) % len(SHAPES)]
        picture = draw_shape(rng, colour, shape, side=64).resize((320, 320), Image.LANCZOS)
        picture.save(folder / f"sketch_{n:03d}.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=Path, help="shapes CLIP weights (.safetensors)")
    parser.add_argument("--query", default="red circle")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "hero.png")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="photoseek-hero-"))
    os.environ["PHOTOSEEK_HOME"] = str(work / "home")
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    photos = work / "Pictures"
    make_library(photos)
    server = start_display()
    try:
        from desktop_app.app import application, create_window

        app = application()
        window = create_window(model=f"test-tiny:{args.weights.resolve()}")
        window.resize(1280, 800)
        window.show()
        window.engine.start()
        wait_until(app, lambda: window.engine.model_ready, 120)
        window.add_folder(str(photos))
        everything = re.compile(r"^120 of 120 photos indexed")  # search once indexing is done
        wait_until(app, lambda: bool(everything.match(window.status.index_label.text())), 300)
        settle(app, 2.0)
        answered = fresh_answer(window)
        window.search_bar.set_text(args.query)
        wait_until(app, answered, 60)
        wait_until(app, lambda: len(window.loader.memory) >= min(40, window.model.rowCount()), 60)
        settle(app, 3.0)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.out))
        print(f"saved {args.out}", file=sys.stderr)
        window.engine.shutdown()
        window.close()
        return 0
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
