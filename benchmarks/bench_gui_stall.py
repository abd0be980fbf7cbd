"""The longest event-loop stall of the real window while it indexes and the user searches.

A 5 ms QTimer records the gaps between its ticks; any gap beyond the interval is time the GUI
thread could not react. The run: open the window (offscreen), wait for the model, drop a folder
of generated JPEGs on it, and while the indexing service works, type a new query every 300 ms,
drop an example photo now and then, and scroll the grid, until every photo is indexed.
Target: no stall over 50 ms while indexing and searching.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui_stall.py --photos 2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402

WORDS = "red circle blue square green dog beach sunset night city tree snow car".split()
TICK_MS = 5


def make_photos(root: Path, count: int, size: tuple[int, int] = (1024, 768)) -> None:
    rnd = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        img = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(6):
            x0, y0 = rnd.randrange(size[0] - 100), rnd.randrange(size[1] - 100)
            box = (x0, y0, x0 + rnd.randrange(40, 300), y0 + rnd.randrange(40, 300))
            fill = tuple(rnd.randrange(256) for _ in range(3))
            (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=fill)
        img.save(root / f"photo_{n:05d}.jpg", quality=88)


class StallMeter:
    """Gaps between 5 ms timer ticks, per phase."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.phase = "startup"
        self.gaps: dict[str, list[float]] = {}
        self._last = 0.0

    def start(self) -> None:
        self.clock.start()
        self._last = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.setdefault(self.phase, []).append(now - self._last - TICK_MS)
        self._last = now

    def report(self) -> dict[str, dict[str, float]]:
        out = {}
        for phase, gaps in self.gaps.items():
            ordered = sorted(gaps)
            out[phase] = {
                "ticks": len(gaps),
                "max_stall_ms": round(ordered[-1], 1),
                "p99_stall_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
                "stalls_over_50ms": sum(1 for g in gaps if g > 50),
            }
        return out


def measure_parts(app: object, rows: int = 50_000, failures: int = 5_000) -> dict[str, float]:
    """GUI-thread cost of the two big updates: showing ``rows`` results (model replace plus
    the view's layout, batched) and a status update / failure reload of the library panel."""
    from pathlib import Path as P

    from core.records import Failure, Folder, LibraryStatus, Photo, SearchHit
    from desktop_app.folders_panel import FoldersPanel
    from desktop_app.results_model import ResultsModel
    from desktop_app.results_view import ResultsView
    from desktop_app.tasks import TaskRunner
    from desktop_app.thumbnails import ThumbnailLoader

    def ms(fn: object) -> float:
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        return round((time.perf_counter() - t) * 1000, 1)

    runner = TaskRunner()
    model = ResultsModel(ThumbnailLoader(runner, P(tempfile.mkdtemp())))
    view = ResultsView(model)
    view.resize(1000, 700)
    view.show()
    hits = [SearchHit(Photo(i, P(f"/p/{i:06d}.jpg"), 1000), 1.0) for i in range(rows)]
    out: dict[str, float] = {}
    app.processEvents()  # the view's first paint is not part of what is measured

    def longest_turn(turns: int = 40) -> float:
        """The batched layout goes on over later event-loop turns: the longest one."""
        return max(ms(app.processEvents) for _ in range(turns))

    out["browse_50k_first_show_ms"] = ms(lambda: (model.reset(hits), app.processEvents()))
    out["browse_50k_layout_longest_turn_ms"] = longest_turn()
    out["browse_50k_refine_ms"] = ms(lambda: (model.replace(hits[::-1]), app.processEvents()))
    out["browse_50k_refine_longest_turn_ms"] = longest_turn()
    root = P("/photos")
    folder = Folder(1, root, True, "native", rows, 10, failures)
    status = LibraryStatus(rows, 10, failures, 0, "m", [folder])
    fails = [Failure(root / f"d{n % 7}" / f"bad{n}.jpg", "not an image") for n in range(failures)]
    panel = FoldersPanel()
    panel.show()
    panel.show_status(status)
    app.processEvents()  # the panel is on screen with its folder before failures arrive
    out["failures_5k_arrive_ms"] = ms(lambda: (panel.show_failures(fails), app.processEvents()))
    out["failures_5k_status_update_ms"] = ms(lambda: (panel.show_status(status),
                                                      app.processEvents()))
    top = panel.tree.topLevelItem(0)
    top.setExpanded(True)
    top.child(0).setExpanded(True)  # the user opened the failures
    app.processEvents()
    one_more = [*fails, Failure(root / "worse.jpg", "truncated")]
    out["failures_5k_one_more_expanded_ms"] = ms(lambda: (panel.show_failures(one_more),
                                                          app.processEvents()))
    runner.shutdown()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--model", default="test-tiny")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--parts-only", action="store_true",
                        help="only the 50k-row browse and 5k-failure panel timings")
    args = parser.parse_args()
    if args.parts_only:
        from desktop_app.app import application

        print(json.dumps(measure_parts(application()), indent=2))
        return 0

    work = Path(tempfile.mkdtemp(prefix="photoseek-stall-"))
    os.environ["PHOTOSEEK_HOME"] = str(work / "home")
    photos = work / "photos"
    print(f"generating {args.photos} JPEGs in {photos}…", file=sys.stderr)
    make_photos(photos, args.photos)

    from desktop_app.app import application, create_window

    app = application()
    meter = StallMeter()
    meter.start()
    started = time.monotonic()
    window = create_window(model=args.model)
    window.show()
    window.engine.start()
    rnd = random.Random(3)
    state = {"queries": 0, "drops": 0, "indexed_at": None, "folder_added": False}

    def user() -> None:
        engine = window.engine
        if not engine.model_ready:
            return
        if not state["folder_added"]:
            state["folder_added"] = True
            meter.phase = "indexing+searching"
            window.add_folder(str(photos))
            return
        if rnd.random() < 0.15:
            window.search_bar.field.clear()
            window.search_bar.add_images([photos / f"photo_{rnd.randrange(args.photos):05d}.jpg"])
            state["drops"] += 1
        else:
            window.search_bar.set_text(" ".join(rnd.sample(WORDS, 2)))
            state["queries"] += 1
        bar = window.view.verticalScrollBar()
        bar.setValue(rnd.randrange(bar.maximum() + 1))
        label = window.status.index_label.text()
        if f"{args.photos:,} of {args.photos:,} photos indexed" in label:
            state["indexed_at"] = time.monotonic()
            app.quit()
        if time.monotonic() - started > args.timeout:
            app.quit()

    actor = QTimer()
    actor.setInterval(300)
    actor.timeout.connect(user)
    actor.start()
    app.exec()
    meter.timer.stop()
    window.engine.shutdown()
    result = {
        "photos": args.photos,
        "model": args.model,
        "seconds": round(time.monotonic() - started, 1),
        "indexed_all": state["indexed_at"] is not None,
        "queries": state["queries"],
        "photo_drops": state["drops"],
        "phases": meter.report(),
        "parts": measure_parts(app),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
