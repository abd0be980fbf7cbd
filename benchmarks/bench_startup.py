"""How fast the window appears, and what it imported first: a fresh process per run.

Measures the time from the start of ``desktop_app.app`` imports to the first shown frame of the
main window (offscreen), over several runs, and lists the heavy modules loaded by then (none may
be: torch, open_clip, sqlalchemy and hnswlib load on worker threads afterwards).

    .venv/bin/python benchmarks/bench_startup.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

SCRIPT = """
import sys, time
t0 = time.perf_counter()
from desktop_app.app import application, create_window
app = application()
window = create_window(model="test-tiny")
window.show()
app.processEvents()
elapsed = time.perf_counter() - t0
heavy = sorted(m for m in ("torch", "open_clip", "sqlalchemy", "hnswlib", "numpy")
               if m in sys.modules)
print(f"{elapsed:.4f} {','.join(heavy) or '-'}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times, heavy = [], set()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PHOTOSEEK_HOME": home}
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                                 text=True, check=True)
            seconds, loaded = out.stdout.split()
            times.append(float(seconds))
            heavy.update(m for m in loaded.split(",") if m != "-")
    print(f"window shown: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {args.runs} runs")
    print(f"heavy modules loaded before it: {', '.join(sorted(heavy)) or 'none'}")


if __name__ == "__main__":
    main()
