"""Screenshots of a first start, on a virtual X screen (Xvfb) unless DISPLAY is set.

A fresh data folder with no model named: the window asks which model to download before
anything is fetched (model-choice.png), then, once "Download and continue" is clicked, offers
the folders while the banner tells how the download goes (first-run.png: on a machine without
the model hub, as this one, the banner says the model cannot be fetched and offers Retry and
"Use a weights file…"). With --language zh_CN the same two shots in Chinese (*-zh.png).

    .venv/bin/python scripts/first_run_screenshot.py [--language zh_CN] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import settle, start_display, wait_until  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="photoseek-first-run-"))
    os.environ["PHOTOSEEK_HOME"] = str(home)
    os.environ.pop("PHOTOSEEK_MODEL", None)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    server = start_display()
    try:
        return shoot(args.out, args.language)
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(home, ignore_errors=True)


def shoot(out: Path, language: str) -> int:
    from desktop_app import i18n
    from desktop_app.app import application, create_window

    app = application()
    suffix = "" if i18n.install(language) == "en" else "-zh"
    window = create_window()
    window.resize(1280, 820)
    window.show()
    window.engine.start()
    out.mkdir(parents=True, exist_ok=True)

    def page():
        return window.welcome.model_choice

    def save(name: str) -> None:
        settle(app, 1.0)
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(f"saved {path}: banner {window.banner.state}", file=sys.stderr)

    if not wait_until(app, lambda: page() is not None and page().isVisible(), 120):
        raise SystemExit("first_run_screenshot: the model choice did not appear")
    wait_until(app, lambda: all(c.speed_label.text() for c in page().cards), 60)
    save("model-choice")
    page().continue_button.click()
    wait_until(app, lambda: window.banner.state in ("failed", "downloading"), 120)
    save("first-run")
    window.engine.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
