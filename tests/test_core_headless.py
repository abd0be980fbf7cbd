"""core/ must work without Qt: import every module with Qt made unimportable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "core"

_BLOCKER = """
import importlib, importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'superqt', 'qtpy'}:
            raise ImportError('Qt is blocked in core: ' + name)
        return None
sys.meta_path.insert(0, BlockQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
print('imported', len(sys.argv) - 1)
"""


def test_every_core_module_imports_without_qt():
    modules = sorted(
        "core." + p.stem for p in CORE.glob("*.py") if p.stem not in {"__init__", "__main__"}
    )
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKER, "core", *modules],
        capture_output=True, text=True, cwd=CORE.parent, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"imported {len(modules) + 1}" in done.stdout


def test_opening_a_library_does_not_import_torch():
    """The window must appear at once: torch and open_clip load only when the model is needed."""
    code = (
        "import sys, tempfile; from core.library import Library;"
        "lib = Library(home=tempfile.mkdtemp(), model='test-tiny'); lib.status(); lib.folders();"
        "print('torch' in sys.modules, 'open_clip' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=CORE.parent, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
