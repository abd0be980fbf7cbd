"""What the tags panel and the text mark cost the GUI thread.

The panel shows the library's tags as core counts them: every built-in tag in use plus a
person's own ones. Timed on the GUI thread, medians in milliseconds:

- the first list shown (the tree built);
- a refresh with the same tags in the same order and a few new counts (those rows updated in
  place: what most refreshes after a tagging run over new photos do), and with every count new;
- a refresh whose order changed, three tags chosen (the tree rebuilt, the choice and the scroll
  position kept);
- a full grid of ranked tiles painted with every tile marked as a text match, against none.

The panel's engine is a stand-in with the engine's signals and no library: the lists are made
here, so only the widget's own work is measured (reading the tags is core's: bench_tags.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_tags_panel.py [--own 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from core.records import Photo, SearchHit, TagCount  # noqa: E402


class StandInEngine(QObject):
    """The signals and properties the panel reads from desktop_app.engine.Engine."""

    opened = Signal(object)
    status_changed = Signal(object)
    library_grew = Signal(int)
    indexing_state = Signal(object, object)
    index_progress = Signal(object)
    model_state = Signal(object, str)
    message = Signal(str)
    library = None
    model_ready = True
    indexing = None

    def __init__(self, tasks: object) -> None:
        super().__init__()
        self.tasks = tasks


def library_tags(own: int) -> list[TagCount]:
    """Every built-in tag with a count, and ``own`` tags of one's own, most used first."""
    from core.tagging.vocabulary import BUILT_IN

    tags = [TagCount(c.name, c.zh or None, (n * 7919) % 5000 + 1)
            for n, c in enumerate(BUILT_IN.categories)]
    tags += [TagCount(f"my thing {n}", None, n * 3, True, f"My thing {n}") for n in range(own)]
    return sorted(tags, key=lambda t: (-t.count, t.name))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: object, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        QApplication.processEvents()
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--own", type=int, default=50, help="tags of one's own")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from desktop_app.results_model import ResultsModel
    from desktop_app.results_view import ResultsView
    from desktop_app.tags_panel import TagsPanel
    from desktop_app.tasks import TaskRunner
    from desktop_app.thumbnails import ThumbnailLoader

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    panel = TagsPanel(StandInEngine(runner))  # type: ignore[arg-type]
    panel.resize(300, 700)
    panel.show()
    app.processEvents()
    tags = library_tags(args.own)
    recounted = [replace(t, count=t.count + 1) for t in tags]
    # A few counts changed, the order kept (a tagging run over a few new photos).
    few = [replace(t, count=t.count + 1) if n % 100 == 0 else t for n, t in enumerate(tags)]
    reordered = list(reversed(tags))

    def first() -> None:
        panel.tree.clear()
        panel._tags = []  # as before the first read
        panel._show_tags(tags)

    shown = timed(first, args.repeat)
    panel.set_chosen(tuple(t.name for t in tags[:3]))
    flip = [recounted, tags]
    every = timed(lambda: panel._show_tags(flip.append(flip.pop(0)) or flip[0]), args.repeat)
    some = [few, tags]
    in_place = timed(lambda: panel._show_tags(some.append(some.pop(0)) or some[0]), args.repeat)
    orders = [reordered, tags]
    rebuilt = timed(lambda: panel._show_tags(orders.append(orders.pop(0)) or orders[0]),
                    args.repeat)
    kept = [i.text(0) for i in panel.tree.selectedItems()]
    print(f"{len(tags)} tags ({args.own} of one's own); medians of {args.repeat}:")
    print(f"  first list shown:             {shown:6.1f} ms")
    changed = sum(1 for a, b in zip(few, tags, strict=True) if a != b)
    print(f"  {changed} counts changed, in place:  {in_place:6.1f} ms")
    print(f"  every count changed:          {every:6.1f} ms")
    print(f"  order changed, tree rebuilt:  {rebuilt:6.1f} ms  (chosen kept: {len(kept)} of 3)")

    loader = ThumbnailLoader(runner, Path(os.environ.get("TMPDIR", "/tmp")) / "bench-thumbs")
    model = ResultsModel(loader)
    view = ResultsView(model)
    view.resize(1280, 800)
    view.show()
    hits = [SearchHit(Photo(n, Path(f"/nowhere/{n:05d}.jpg"), 1000), 0.3 - n * 1e-4,
                      relevance=0.9 - n * 1e-4) for n in range(1000)]
    marked = [replace(hit, text_match=True) for hit in hits]
    painted = {}
    for name, answer in (("no mark", hits), ("every tile marked", marked)):
        model.reset(answer, ranked=True)
        app.processEvents()
        painted[name] = timed(lambda: view.viewport().grab(), args.repeat)
    print(f"  grid paint, no mark:          {painted['no mark']:6.1f} ms")
    print(f"  grid paint, every tile 'Aa':  {painted['every tile marked']:6.1f} ms")
    runner.shutdown(wait=False)


if __name__ == "__main__":
    main()
