"""Cold starts of the command line with a prepared model: a search, and indexing's first photo.

Set-up (not timed): a library of ``--photos`` 12 MP JPEGs (200) indexed with the default model
(random weights: real compute) after ``Library.prepare_model`` made its ONNX int8 copy, as the
background job does after a first indexing run; the model is remembered in the settings, as
``photoseek --model M index`` does.

(a) ``photoseek search "a dog on the beach"`` in a new process each time: wall time from start to
    exit, median of ``--runs`` (5), and the heavy modules it imported (torch must not be: the
    prepared model needs only onnxruntime and tokenizers). Target: < 2 s.
(b) ``photoseek index NEW_FOLDER`` on a warm machine (files in the page cache), a folder of
    ``--new`` (16) new 12 MP JPEGs each time: from process start to the first photo embedded,
    seen by polling the catalog for a new vector row (so it includes walking the library's
    folders, loading the model and the first batch), median of ``--index-runs`` (3). Once every
    new photo is embedded the process is interrupted (Ctrl+C): the work after embedding (tags,
    text in photos) is not start-up. Target: < 4 s.

Each run goes through the ``photoseek`` entry point (desktop_app.launcher.main) in a fresh
``python -c`` that also reports, at exit, which heavy modules were imported. The JPEGs come
from benchmarks/bench_support.py's cache under /tmp (made once).

    .venv/bin/python benchmarks/bench_cold.py
    .venv/bin/python benchmarks/bench_cold.py --photos 24 --new 8 --runs 3 --index-runs 2
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_support import (  # noqa: E402
    DEFAULT_MODEL,
    HUB_NOTE,
    JPEG_CACHE,
    ROOT,
    cached_12mp_jpegs,
    median,
    offline,
    place_hub_files,
    short,
)

QUERY = "a dog on the beach"
HEAVY = ("torch", "open_clip", "transformers", "timm", "torchvision", "onnxruntime",
         "tokenizers", "hnswlib", "sqlalchemy", "numpy", "PIL", "cv2", "rapidocr", "skimage",
         "PySide6")
MARK = "BENCH-MODULES "
# The console script's body, plus a report of the heavy modules imported, at exit.
ENTRY = f"""
import atexit, json, sys
def _report():
    heavy = [m for m in {HEAVY!r} if m in sys.modules]
    sys.stderr.write({MARK!r} + json.dumps(heavy) + "\\n")
    sys.stderr.flush()
atexit.register(_report)
from desktop_app.launcher import main
sys.exit(main(sys.argv[1:]))
"""


def _copy(paths: list[Path], folder: Path) -> Path:
    """The library's own copies (distinct files: the shared cache is never a library folder)."""
    folder.mkdir(parents=True)
    for p in paths:
        shutil.copyfile(p, folder / p.name)
    return folder


def build_library(home: Path, model: str, folder: Path) -> float:
    """Prepare the model, index ``folder`` with the prepared copy; returns the prepare seconds."""
    from core.library import Library

    library = Library(home=home, model=model)
    try:
        place_hub_files(library.paths.models_dir, model)
        started = time.perf_counter()
        library.prepare_model()  # loads it on torch, exports, then uses the ONNX copy
        prepare_s = time.perf_counter() - started
        assert library.embedder().backend == "onnx", "the model was not prepared"
        library.add_folder(folder)
        library.background_jobs = lambda: []  # type: ignore[method-assign]  # not needed
        summary = library.index()
        assert summary.embedded > 0, summary
        library.remember_model()
    finally:
        library.close()
    return prepare_s


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PHOTOSEEK_IMAGE_PRECISION", None)
    env.pop("PHOTOSEEK_BACKEND", None)
    return env


def _modules(stderr: str) -> list[str] | None:
    for line in stderr.splitlines():
        if line.startswith(MARK):
            return list(json.loads(line[len(MARK):]))
    return None


def cold_search(home: Path, runs: int) -> tuple[list[float], list[str] | None, int, float | None]:
    """Wall seconds of each run, the heavy modules of the last, its result count, and one
    run of the installed ``photoseek`` script itself (None where it is not installed)."""
    command = [sys.executable, "-c", ENTRY, "--home", str(home), "search", QUERY, "--json"]
    times, modules, hits = [], None, 0
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
        times.append(time.perf_counter() - started)
        if out.returncode != 0:
            raise SystemExit(f"search failed ({out.returncode}): {out.stderr.strip()[-800:]}")
        modules, hits = _modules(out.stderr), len(json.loads(out.stdout or "[]"))
    script = Path(sys.executable).with_name("photoseek")
    direct = None
    if script.is_file():
        started = time.perf_counter()
        subprocess.run([str(script), "--home", str(home), "search", QUERY], env=_env(),
                       capture_output=True, timeout=300, check=True)
        direct = time.perf_counter() - started
    return times, modules, hits, direct


def _vectors(catalog: Path) -> int:
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5)
    try:
        return int(db.execute("SELECT count(*) FROM embeddings").fetchone()[0])
    except sqlite3.OperationalError:  # locked for a moment by a commit: ask again
        return -1
    finally:
        db.close()


@dataclass
class Start:
    first: float  # seconds from process start to the first new vector in the catalog
    first_count: int  # photos in that first commit
    scanning: float | None  # seconds to the "scanning folders" line (imports, library open)
    modules: list[str] | None  # heavy modules imported by the end


def index_start(home: Path, folder: Path, new: int) -> Start:
    """One ``photoseek index FOLDER`` run: seconds to its first progress line and to the first
    new vector in the catalog, photos in that first commit, and the heavy modules at exit."""
    catalog = home / "catalog.db"
    before = _vectors(catalog)
    lines: list[tuple[float, str]] = []
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "--home", str(home), "index", str(folder)],
        env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stderr is not None
    stream = proc.stderr

    def read() -> None:
        for line in stream:
            lines.append((time.perf_counter() - started, line.rstrip("\n")))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    first: float | None = None
    first_count = 0
    deadline = started + 300
    while proc.poll() is None and time.perf_counter() < deadline:
        count = _vectors(catalog)
        if count > before and first is None:
            first, first_count = time.perf_counter() - started, count - before
        if count >= before + new:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # the work after embedding is not start-up
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    reader.join(5)
    text = "\n".join(line for _t, line in lines)
    if first is None:
        raise SystemExit(f"index embedded nothing ({proc.returncode}): {text[-800:]}")
    scanning = next((t for t, line in lines if "scanning" in line), None)
    return Start(first, first_count, scanning, _modules(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200, help="photos in the library")
    parser.add_argument("--new", type=int, default=16, help="new photos per index run")
    parser.add_argument("--runs", type=int, default=5, help="cold searches")
    parser.add_argument("--index-runs", type=int, default=3, help="index start-ups")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--cache", type=Path, default=JPEG_CACHE, help="where the JPEGs are kept")
    args = parser.parse_args()
    offline()
    logging.basicConfig(level=logging.ERROR)  # the expected "RANDOM weights" warning
    paths = cached_12mp_jpegs(args.photos + args.new * args.index_runs, args.cache)

    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        root = Path(tmp)
        home = root / "home"
        folder = _copy(paths[: args.photos], root / "library")
        prepare_s = build_library(home, args.model, folder)
        print(f"library: {args.photos} photos indexed with the prepared {args.model} "
              f"(prepared in {prepare_s:.0f} s)", flush=True)

        times, modules, hits, direct = cold_search(home, args.runs)
        print(f"(a) cold search: {', '.join(f'{t:.2f}' for t in times)} s", flush=True)

        starts = []
        for run in range(args.index_runs):
            first = args.photos + run * args.new
            new = _copy(paths[first: first + args.new], root / f"new-{run}")
            starts.append(index_start(home, new, args.new))
            print(f"(b) index start-up {run + 1}: first photo embedded after "
                  f"{starts[-1].first:.2f} s", flush=True)

    print()
    print(f"{short(args.model)} (prepared ONNX int8), library of {args.photos} photos, "
          f"{os.cpu_count()} cores")
    search_med = median(times)
    print(f"(a) cold `photoseek search \"{QUERY}\"`: median {search_med:.2f} s over {args.runs} "
          f"(min {min(times):.2f}, max {max(times):.2f}); {hits} results; "
          f"target < 2 s: {'met' if search_med < 2 else 'NOT met'}")
    if direct is not None:
        print(f"    the installed photoseek script, once: {direct:.2f} s")
    print(f"    heavy modules imported: {', '.join(modules or []) or 'none'}; torch "
          f"{'IMPORTED (must not be)' if modules and 'torch' in modules else 'not imported'}")
    firsts = [s.first for s in starts]
    index_med = median(firsts)
    scan = [s.scanning for s in starts if s.scanning is not None]
    print(f"(b) `photoseek index NEW` to the first photo embedded: median {index_med:.2f} s "
          f"over {args.index_runs} ({', '.join(f'{t:.2f}' for t in firsts)}); target < 4 s: "
          f"{'met' if index_med < 4 else 'NOT met'}")
    print(f"    first commit held {', '.join(str(s.first_count) for s in starts)} photos; "
          f"'scanning' printed after {', '.join(f'{t:.2f}' for t in scan)} s "
          f"(imports, library opened)")
    last = starts[-1].modules
    print(f"    heavy modules at exit: {', '.join(last or []) or 'unknown'}")
    print(HUB_NOTE)


if __name__ == "__main__":
    main()
