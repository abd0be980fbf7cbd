"""Where PhotoSeek's own files (the icon) are, and the application icon made from them.

The one place that locates ``resources/``: an installed wheel carries it inside the package as
``desktop_app/resources`` (setup.py maps it there); a source checkout (``make run``, an editable
install) has it at the top of the repository; a PyInstaller bundle unpacks it beside the code
under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_NAME = "photoseek"
_PACKAGE = Path(__file__).resolve().parent


def resources_candidates() -> list[Path]:
    """The places resources/ may be, in the order they are tried."""
    places = [_PACKAGE / "resources", _PACKAGE.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places[:0] = [Path(bundle) / "desktop_app" / "resources", Path(bundle) / "resources"]
    return places


def resources_dir() -> Path | None:
    """The first folder holding the icon; None when this copy of PhotoSeek has none."""
    return next((p for p in resources_candidates() if (p / f"{ICON_NAME}.svg").is_file()), None)


def app_icon() -> QIcon:
    """The icon in every rendered size (sharp at 16 px as at 512), plus the vector for the rest.

    The PNGs come first: they need no SVG image plugin, which a trimmed Qt may lack. An empty
    (null) icon when the resources are missing: the window then shows the platform's default.
    """
    icon = QIcon()
    folder = resources_dir()
    if folder is None:
        return icon
    for png in sorted((folder / "icons").glob(f"{ICON_NAME}-*.png")):
        icon.addFile(str(png))
    icon.addFile(str(folder / f"{ICON_NAME}.svg"))
    return icon
