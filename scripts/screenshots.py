"""Screenshots of the desktop app's main states, on a virtual X screen, with real photos.

Starts Xvfb (unless DISPLAY is set), builds a photo folder from scikit-image's sample pictures
(and variants of them: crops, flips, tints), then drives the real window through: the first-run
welcome, indexing, search results, the preview, the settings dialog, and results in a dark
theme. Saves docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--model test-tiny] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLES = (
    "astronaut", "chelsea", "coffee", "rocket", "camera", "coins", "hubble_deep_field",
    "immunohistochemistry", "moon", "page", "text", "clock", "colorwheel", "retina", "cell",
    "grass", "gravel", "brick", "logo", "horse",
)


def start_display() -> subprocess.Popen[bytes] | None:
    if os.environ.get("DISPLAY"):
        return None
    display = ":97"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1440x960x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.environ["DISPLAY"] = display
    time.sleep(1.0)
    return server


def make_library(folder: Path, variants: int) -> int:
    """scikit-image's bundled samples plus crops, mirrors and tints of the colour ones."""
    import numpy as np
    from PIL import Image, ImageEnhance, ImageOps
    from skimage import data

    folder.mkdir(parents=True, exist_ok=True)
    pictures: list[tuple[str, Image.Image]] = []
    for name in SAMPLES:
        try:
            array = getattr(data, name)()
        except Exception:  # a sample that needs a download: skip it offline
            continue
        if array.dtype == bool:
            array = array.astype(np.uint8) * 255
        if array.ndim == 3 and array.shape[2] == 4:
            array = array[..., :3]
        image = Image.fromarray(np.asarray(array, dtype=np.uint8)).convert("RGB")
        pictures.append((name, image))
        image.save(folder / f"{name}.jpg", quality=92)
    count = len(pictures)
    for n in range(variants):
        name, image = pictures[n % len(pictures)]
        w, h = image.size
        step = n // len(pictures) + 1
        c = step % 6 + 1  # crop a little more each round, never past a quarter
        box = (w * c // 24, h * (7 - c) // 28, w - w * (7 - c) // 30, h - h * c // 26)
        variant = image.crop(box)
        if step % 2:
            variant = ImageOps.mirror(variant)
        variant = ImageEnhance.Color(variant).enhance(0.6 + 0.1 * (step % 8))
        variant = ImageEnhance.Brightness(variant).enhance(0.85 + 0.05 * (step % 4))
        variant.save(folder / f"{name}_{step:02d}.jpg", quality=90)
        count += 1
    return count


def dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#323232"), (role.Text, "#e6e6e6"), (role.Button, "#353535"),
        (role.ButtonText, "#e6e6e6"), (role.Highlight, "#3d7ab8"),
        (role.HighlightedText, "#ffffff"), (role.ToolTipBase, "#3a3a3a"),
        (role.ToolTipText, "#f0f0f0"), (role.PlaceholderText, "#8a8a8a"), (role.Mid, "#505050"),
        (role.Midlight, "#404040"), (role.Dark, "#202020"), (role.Light, "#4a4a4a"),
    ):
        palette.setColor(r, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    return palette


def wait_until(app: object, condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        if condition():
            return True
        time.sleep(0.02)
    return False


def fresh_answer(window: object) -> Callable[[], bool]:
    """A condition: an exact answer newer than the one on screen now has been shown."""
    controller = window.controller  # type: ignore[attr-defined]
    before = controller.last
    return lambda: controller.last is not before and controller.last.exact


def settle(app: object, seconds: float) -> None:
    wait_until(app, lambda: False, seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="test-tiny")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--variants", type=int, default=700)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="photoseek-shots-"))
    os.environ["PHOTOSEEK_HOME"] = str(work / "home")
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    photos = work / "Pictures"
    print(f"{make_library(photos, args.variants)} photos in {photos}", file=sys.stderr)
    server = start_display()
    try:
        return shoot(args.model, photos, out)
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(work, ignore_errors=True)


def shoot(model: str, photos: Path, out: Path) -> int:
    from desktop_app.app import application, create_window

    app = application()
    window = create_window(model=model)
    window.resize(1280, 820)
    window.move(40, 40)
    window.show()
    window.engine.start()

    def save(widget: object, name: str, wait: float = 0.6) -> None:
        settle(app, wait)
        widget.grab().save(str(out / f"{name}.png"))  # type: ignore[attr-defined]
        print(f"saved {out / name}.png", file=sys.stderr)

    wait_until(app, lambda: window.engine.library is not None)
    save(window, "welcome")

    wait_until(app, lambda: window.engine.model_ready, 120)
    window.add_folder(str(photos))
    wait_until(app, lambda: window.status.progress.isVisible()
               and "Indexing" in window.status.index_label.text(), 60)
    wait_until(app, lambda: len(window.loader.memory) >= 12, 10)
    save(window, "indexing", wait=0.1)

    wait_until(app, lambda: "indexed" in window.status.index_label.text()
               and not window.status.progress.isVisible(), 300)
    answered = fresh_answer(window)
    window.search_bar.set_text("an astronaut in a white space suit")
    wait_until(app, answered, 60)
    wait_until(app, lambda: len(window.loader.memory) >= min(30, window.model.rowCount()), 30)
    window.view.setCurrentIndex(window.model.index(2, 0))
    window.view.setFocus()
    save(window, "results")

    window.search_bar.field.clear()
    window.search_bar.add_images([photos / "chelsea.jpg"])
    answered = fresh_answer(window)
    window.search_bar.add_negative("dark")
    wait_until(app, answered, 60)
    wait_until(app, lambda: len(window.loader.memory) >= min(30, window.model.rowCount()), 30)
    save(window, "similar")

    index = next((window.model.index(r, 0) for r in range(window.model.rowCount())
                  if window.model.photo(r).path.name == "astronaut.jpg"), window.model.index(0, 0))
    window.view.setCurrentIndex(index)
    window.show_preview()
    preview = window.preview
    assert preview is not None
    wait_until(app, lambda: preview.canvas.pixmap is not None
               and preview.canvas.pixmap.width() > 300, 30)
    save(preview, "preview")
    preview.close()

    from desktop_app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.engine, window)
    dialog.show()
    save(dialog, "settings")
    dialog.close()

    # A dark system theme, as a platform theme would hand it over (Xvfb has none): the app
    # paints only with palette colours, so everything must follow.
    app.setPalette(dark_palette())
    window.search_bar.clear_step()
    window.search_bar.clear_step()
    settle(app, 0.5)
    answered = fresh_answer(window)
    window.search_bar.set_text("coffee cup")
    wait_until(app, answered, 60)
    wait_until(app, lambda: len(window.loader.memory) >= 30, 30)
    save(window, "results-dark")
    window.engine.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
