"""Work done on photos once they are embedded: naming places, tagging, reading text.

Each job is resumable from the catalog's own state (a photo without a place, without read
text, tags older than the vectors), so a run that is cancelled or killed goes on where it
stopped at the next one. Jobs run in the order listed, below embedding in priority: the
indexing service runs them when nothing is left to scan or embed, and ends a job after its
current batch when new work arrives. A failure in one is logged and never shown as an
indexing error: photos are searchable without their places, tags or text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

# Called after each batch with (done so far, total known so far; 0 when unknown).
JobProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackgroundJob:
    name: str  # "places", "tags", "text": the phase of its progress reports
    needs_model: bool  # tags need the text tower: they wait while the model is held
    run: Callable[[threading.Event | None, JobProgress | None], int]  # returns how many done
