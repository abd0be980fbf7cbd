"""A cap on the pixels being decoded at once, across every decoding thread.

Each file is capped at ``imaging.MAX_PIXELS``, but several workers could each be decoding a
huge panorama at the same moment (a non-JPEG cannot be decoded at reduced scale), several GB
together. Decodes wait for room in a shared budget instead; one image alone always fits, so a
single photo larger than the budget still decodes, just not beside another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class PixelBudget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0
        self.peak = 0  # the most pixels ever held at once, for tests and diagnostics
        self._cond = threading.Condition()

    @contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        with self._cond:
            while self.in_use and self.in_use + pixels > self.limit:
                self._cond.wait()
            self.in_use += pixels
            self.peak = max(self.peak, self.in_use)
        try:
            yield
        finally:
            with self._cond:
                self.in_use -= pixels
                self._cond.notify_all()
