"""PyInstaller runtime hook: let torchvision import beside the CPU build of torch.

The bundle carries torch 2.13.0+cpu (no CUDA) and PyPI's torchvision 0.28.0, whose compiled ops
(``_C.so``, ``image.so``) are built against torch's CUDA libraries and so are left out of the
bundle (packaging/photoseek.spec). torchvision is written to run without them (``extension.
_has_ops()`` is then False) except for one line: ``torchvision._meta_registrations`` registers
fake kernels for ``torchvision::nms`` and ``qnms`` without checking that the ops exist, and
raises "operator torchvision::nms does not exist". open_clip imports torchvision.transforms, so
every torch model load would fail.

This hook declares those two schemas (the ones torchvision's C++ library declares) just before
that module loads, so the registration succeeds. No kernel is added: ``torchvision.ops.nms``
still fails loudly if called (PhotoSeek never calls it; it uses only torchvision.transforms).
It imports nothing at start-up: a meta-path finder waits for the module's first import, so the
window still opens without loading torch.
"""

from __future__ import annotations

import importlib.abc
import sys
from typing import Any

_TARGET = "torchvision._meta_registrations"
_SCHEMAS = (
    "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms(Tensor qdets, Tensor scores, float iou_threshold) -> Tensor",
)
_keep: list[Any] = []  # the torch.library.Library must outlive this hook, or the defs vanish


class _DeclareTorchvisionOps(importlib.abc.MetaPathFinder):
    """Finds nothing itself; runs once when torchvision's meta registrations are imported."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname != _TARGET:
            return None
        sys.meta_path.remove(self)
        import torch  # already imported by torchvision/__init__ at this point
        import torchvision.extension

        if not torchvision.extension._has_ops():
            library = torch.library.Library("torchvision", "DEF")
            for schema in _SCHEMAS:
                library.define(schema)
            _keep.append(library)
        return None  # the normal finders load the module


sys.meta_path.insert(0, _DeclareTorchvisionOps())
