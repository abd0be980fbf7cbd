"""Render resources/photoseek.svg into the PNG sizes desktops and Qt ask for (resources/icons/),
and pack those PNGs into the macOS ``photoseek.icns`` and the Windows ``photoseek.ico`` that the
bundles carry (packaging/photoseek.spec).

The files are committed: a desktop without an SVG renderer (or Qt without its svg image plugin)
still shows the icon, and a bundle is built without Qt drawing anything. Run again after
changing the SVG:
``QT_QPA_PLATFORM=offscreen .venv/bin/python -m scripts.render_icons``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows asks an .ico for 16..256 (256 is the largest it reads); macOS's .icns goes to 512.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, out_dir: Path, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    """One ``photoseek-<size>.png`` per size, drawn from the vector (never scaled bitmaps)."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"photoseek-{size}.png"
        if not image.save(str(target)):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written


def pack(pngs: list[Path], out_dir: Path) -> list[Path]:
    """``photoseek.icns`` and ``photoseek.ico`` from the rendered PNGs (Pillow writes both).

    Each size comes from its own sharp rendering, never a downscaled 512: Pillow's ICO writer
    takes the other sizes as ``append_images`` and its ICNS writer picks the exact-size images.
    """
    from PIL import Image

    by_size = {int(p.stem.rsplit("-", 1)[1]): p for p in pngs}
    images = {size: Image.open(path).convert("RGBA") for size, path in by_size.items()}
    largest = images[max(images)]
    ico = out_dir / "photoseek.ico"
    icns = out_dir / "photoseek.icns"
    ico_sizes = [s for s in ICO_SIZES if s in images]
    images[max(ico_sizes)].save(
        ico, format="ICO", sizes=[(s, s) for s in ico_sizes],
        append_images=[images[s] for s in ico_sizes])
    largest.save(icns, format="ICNS",
                 append_images=[im for size, im in images.items() if size != max(images)])
    return [icns, ico]


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter)
    icons = ROOT / "resources" / "icons"
    pngs = render(ROOT / "resources" / "photoseek.svg", icons)
    for path in [*pngs, *pack(pngs, icons)]:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
