"""Telling a session's listener what happens: every callback guarded (a broken listener never
stops the session), the model's state said only when it changes, each notice said once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.errors import PhotoSeekError
from core.lifecycle.states import ModelState, SessionCallbacks

if TYPE_CHECKING:
    from core.library import Library

log = logging.getLogger(__name__)


class Announcer:
    def __init__(self, callbacks: SessionCallbacks) -> None:
        self.callbacks = callbacks
        self.model_state = ModelState.LOADING
        self._notices_shown = 0

    def call(self, callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # a broken listener must not stop the session
            log.exception("session callback failed")

    def model(self, state: ModelState, message: str) -> None:
        if state is ModelState.DOWNLOADING and self.model_state is ModelState.SWITCHING:
            return  # a switch downloads too: its banner stays, with progress
        changed = state is not self.model_state or bool(message)
        self.model_state = state
        if changed:
            self.call(self.callbacks.model, state, message)

    def download(self, done: int, total: int) -> None:
        self.model(ModelState.DOWNLOADING, "")  # kept as it is during a switch
        self.call(self.callbacks.download, done, total)

    def notice(self, text: str) -> None:
        self.call(self.callbacks.notice, text)

    def failure(self, exc: BaseException) -> None:
        """Work on a session thread failed: a user-fixable error is said as it is, a bug is
        logged with its traceback and said in one line."""
        if isinstance(exc, PhotoSeekError):
            self.notice(str(exc))
        else:
            log.error("background work failed", exc_info=exc)
            self.notice(f"Something went wrong: {exc}")

    def library_opened(self) -> None:
        """A library was (re)opened: its notices are counted from the start."""
        self._notices_shown = 0

    def new_notices(self, library: Library) -> None:
        """What the library's recovery did since the last call (Library.notices grows)."""
        notices = list(library.notices)
        for text in notices[self._notices_shown:]:
            self.notice(text)
        self._notices_shown = len(notices)
