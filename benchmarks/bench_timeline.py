"""What showing a 50,000-photo timeline costs the GUI thread.

The model's reset of 50,000 date-ordered hits (photos with no date moved last, days and months
found in one pass), the view's layout of them (one entry per line of the grid), the first paint
of a full window, and a resize (the layout again, for another number of columns). Each step is
timed on its own and repeated; the medians are printed in milliseconds.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_timeline.py --photos 50000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from core.records import Photo, SearchHit  # noqa: E402


def timeline_hits(count: int) -> list[SearchHit]:
    """Newest first, in bursts: minutes apart within a day, then a gap of hours to days (50,000
    photos span about seven years over some 2,000 days); 2% have no date."""
    hits = []
    when = time.mktime((2024, 6, 30, 18, 0, 0, 0, 0, -1))
    for n in range(count):
        spread = (n * 7919) % 997
        when -= 3600 * (6 + spread % 96) if spread < 30 else 60 * (1 + spread % 30)
        date = None if n % 50 == 49 else time.strftime("%Y-%m-%d %H:%M:%S",
                                                        time.localtime(when))
        hits.append(SearchHit(Photo(n, Path(f"/photos/{n:06d}.jpg"), 1000, taken_at=date), 0.0))
    return hits


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from desktop_app.results_model import ResultsModel
    from desktop_app.results_view import ResultsView
    from desktop_app.tasks import TaskRunner
    from desktop_app.thumbnails import ThumbnailLoader
    from desktop_app.timeline import group

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as tmp:
        model = ResultsModel(ThumbnailLoader(runner, Path(tmp)))
        view = ResultsView(model)
        view.resize(1200, 800)
        view.show()
        app.processEvents()
        hits = timeline_hits(args.photos)
        dates = [h.photo.date for h in hits]
        dates = [d for d in dates if d] + [d for d in dates if not d]
        grouping, resets, plain, paints, resizes = [], [], [], [], []
        shown_years = 0
        for n in range(args.repeat):
            started = time.perf_counter()
            sections = group(dates)  # as the model does it, with the undated rows last
            grouping.append(time.perf_counter() - started)

            started = time.perf_counter()
            model.reset(hits, ranked=False, grouped=True)
            view.executeDelayedItemsLayout()  # the layout the next event-loop turn would do
            resets.append(time.perf_counter() - started)
            shown_years = len(view.years())

            started = time.perf_counter()
            view.viewport().repaint()
            paints.append(time.perf_counter() - started)

            started = time.perf_counter()
            view.resize(900 if n % 2 == 0 else 1200, 800)
            view.viewport().repaint()
            resizes.append(time.perf_counter() - started)

            model.reset([], ranked=False)
            app.processEvents()
            started = time.perf_counter()
            model.reset(hits, ranked=False)  # the same rows as one ungrouped grid
            view.executeDelayedItemsLayout()
            plain.append(time.perf_counter() - started)
            model.reset([], ranked=False)
            app.processEvents()
        print(f"{args.photos:,} photos, {len(sections):,} days, "
              f"{shown_years} years; medians of {args.repeat}:")
        print(f"  grouping alone (timeline.group)        {median_ms(grouping):7.1f} ms")
        print("  reset: model (undated last, grouping)")
        print(f"         and the view's layout           {median_ms(resets):7.1f} ms")
        print(f"  (the same reset, not grouped)          {median_ms(plain):7.1f} ms")
        print(f"  first paint of a 1200x800 grid         {median_ms(paints):7.1f} ms")
        print(f"  resize: layout again and paint         {median_ms(resizes):7.1f} ms")
        total = median_ms(resets) + median_ms(paints)
        print(f"  reset to first paint                   {total:7.1f} ms")
    runner.shutdown()


if __name__ == "__main__":
    main()
