"""Loading torch in the app's own process without freezing the GUI thread.

The window runs torch in-process, and while torch loads (and long after) every thread shares one
GIL. Two things made the GUI thread wait for it, measured with ``benchmarks/bench_gui_stall.py``
(``gc.callbacks`` timings on the same clock as the stalls, and ``py-spy record --gil --native``):

1. **Full garbage collections.** Importing torch and open_clip leaves some 400,000 objects
   tracked by the cyclic collector. A generation-2 collection walks all of them (190-260 ms on a
   two-core laptop) holding the GIL, on whichever thread allocated last: the model thread during
   the import (six collections, 65-250 ms each, as the heap grows), then the query thread or the
   scan when they allocate a few thousand rows. Every stall over 60 ms but two matched one.
   So while the model loads, full collections are deferred (young ones still run, so short-lived
   cycles are still freed: the heap ends up the same size), and once it is loaded everything
   alive is moved to the permanent generation (``gc.freeze``), which later full collections skip.
   The collector's thresholds are process-wide, so only the GUI thread changes them.

2. **dlopen under the GIL.** The import machinery and ``ctypes.CDLL`` keep the GIL while the
   dynamic loader maps and relocates torch's libraries (about 1 GB, plus CUDA's in a CUDA
   build): 60-250 ms with the GIL held, mostly waiting on the disk. A *foreign call* through
   ctypes releases the GIL, so the model thread first calls libc's ``dlopen`` that way, and the
   import's own ``dlopen`` then finds the libraries loaded. Only libraries that never call into
   Python are loaded so (not ``libtorch_python``, not torch's extension modules).
"""

from __future__ import annotations

import ctypes
import gc
import importlib.util
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

_NEVER = 1 << 30  # a generation-2 threshold that is never reached
# Loaded in this order: torch's own import loads libtorch_global_deps with RTLD_GLOBAL first.
_TORCH_LIBS = (
    ("libtorch_global_deps.so", os.RTLD_NOW | os.RTLD_GLOBAL),
    ("libtorch.so", os.RTLD_NOW | os.RTLD_LOCAL),  # brings libtorch_cpu, libc10 (and CUDA's)
    ("libshm.so", os.RTLD_NOW | os.RTLD_LOCAL),
)


def preload_torch_libraries() -> None:
    """Worker-side: map torch's native libraries with the GIL released (Linux; else nothing).

    Harmless when it fails: ``import torch`` then loads them itself, and reports real problems.
    """
    if not sys.platform.startswith("linux") or "torch" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("torch")  # finds the package without importing it
    except (ImportError, ValueError):
        return
    if spec is None or not spec.submodule_search_locations:
        return
    lib_dir = Path(next(iter(spec.submodule_search_locations))) / "lib"
    try:
        dlopen = ctypes.CDLL(None).dlopen  # a foreign call: ctypes releases the GIL around it
    except (OSError, AttributeError):
        return
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    for name, flags in _TORCH_LIBS:
        path = lib_dir / name
        if path.is_file() and not dlopen(os.fsencode(path), flags):
            log.debug("could not preload %s", path)


class FullCollections:
    """Defers full garbage collections while a model loads; freezes the loaded heap after.

    GUI thread only. Both calls are idempotent, so a load whose outcome is never delivered (a
    superseded model switch) cannot leave collections deferred past the next load's end.
    """

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def begin(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], _NEVER)

    def end(self) -> None:
        gc.freeze()  # what is alive now (torch, the model) is never walked again
        self._restore()

    def release(self) -> None:
        """At exit: back to normal collection, the frozen heap included (so it is finalised)."""
        self._restore()
        gc.unfreeze()

    def _restore(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
