"""The shipped translations are complete and current: every string the code passes to Qt's
translation system is in each .ts, translated, with the same placeholders and accelerators as
its English, and the committed .qm is compiled from that .ts (scripts/translations.py check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_translations_are_complete_and_compiled() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "translations.py"), "check"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
