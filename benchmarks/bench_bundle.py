"""The Linux bundle's size and start time, beside the project's venv.

- Size on disk of the one-folder app (build/bundle-dist/photoseek) and of the tarball in dist/,
  and the ten largest parts inside it (top-level folders and files of ``_internal``).
- Start: from launching ``photoseek`` with no arguments to its window being mapped on an X
  server (``xdotool search --onlyvisible --name ^PhotoSeek``, asked every 10 ms), median of
  ``--runs`` (3),
  each with a fresh, empty data folder (PHOTOSEEK_HOME); the same for ``.venv/bin/photoseek``.
  With ``--drop-caches`` (root, and a kernel that allows it) the page cache is emptied before
  each run, which makes it a cold start from disk; without it, files are in the page cache
  after the first run (a "warm" start; the report says which it measured).

    .venv/bin/python benchmarks/bench_bundle.py --display :91
    .venv/bin/python benchmarks/bench_bundle.py --runs 5 --drop-caches

Needs Xvfb (started here unless --display names a running server) and xdotool.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "build" / "bundle-dist" / "photoseek"
VENV_PROGRAM = ROOT / ".venv" / "bin" / "photoseek"


def disk_usage(path: Path) -> int:
    """Bytes the files under ``path`` occupy on disk (blocks, as du counts; links once)."""
    if path.is_symlink():  # PyInstaller links libraries to one copy: count that copy once
        return 0
    if path.is_file():
        return path.stat().st_blocks * 512
    seen: set[int] = set()
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if info.st_ino not in seen:
                seen.add(info.st_ino)
                total += info.st_blocks * 512
    return total


def largest_parts(bundle: Path, count: int = 10) -> list[tuple[str, int]]:
    """The biggest top-level entries of the bundle's ``_internal`` folder."""
    inside = bundle / "_internal"
    sizes = [(entry.name, disk_usage(entry)) for entry in inside.iterdir()]
    return sorted(sizes, key=lambda item: item[1], reverse=True)[:count]


def drop_caches() -> bool:
    """Empty the kernel's page cache (root only); False where that is not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


@contextmanager
def x_server(display: str | None) -> Iterator[str]:
    """The display to use: the one given, or a private Xvfb on a free number."""
    if display:
        yield display
        return
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                               "1280x800x24", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def time_to_window(program: Path, display: str, timeout: float = 180.0) -> float:
    """Seconds from launch to the mapped main window, with a fresh data folder."""
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}
        env.update(DISPLAY=display, PHOTOSEEK_HOME=home)
        started = time.perf_counter()
        log = Path(home) / "app.log"
        with log.open("wb") as out:
            app = subprocess.Popen([str(program)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            # Asked every 50 ms: `xdotool search --sync` polls only every 0.5 s, coarser than
            # what is measured.
            while time.perf_counter() - started < timeout:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                                        "^PhotoSeek"], env=env, capture_output=True)
                if found.returncode == 0 and found.stdout.strip():
                    return time.perf_counter() - started
                if app.poll() is not None:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{program} exited with {app.returncode}:\n{tail}")
                time.sleep(0.05)
            raise TimeoutError(f"no PhotoSeek window after {timeout:.0f} s")
        finally:
            app.terminate()
            try:
                app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the one-folder app")
    parser.add_argument("--tarball", type=Path, help="default: newest dist/*-linux-*.tar.gz")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--display", help="a running X server (default: start Xvfb)")
    parser.add_argument("--drop-caches", action="store_true",
                        help="empty the page cache before each run (root)")
    args = parser.parse_args()

    program = args.bundle / "photoseek"
    if not program.is_file():
        print(f"no bundle at {args.bundle}: run `make bundle` first", file=sys.stderr)
        return 1
    tarballs = sorted((ROOT / "dist").glob("photoseek-*-linux-*.tar.gz"),
                      key=lambda p: p.stat().st_mtime)
    tarball = args.tarball or (tarballs[-1] if tarballs else None)

    print(f"bundle folder: {mib(disk_usage(args.bundle))} ({args.bundle})")
    if tarball:
        print(f"tarball: {mib(tarball.stat().st_size)} ({tarball.name})")
    print("largest parts inside:")
    for name, size in largest_parts(args.bundle):
        print(f"  {mib(size):>10}  {name}")

    programs = {"bundle": program}
    if VENV_PROGRAM.exists():
        programs["venv"] = VENV_PROGRAM
    cold = False
    times: dict[str, list[float]] = {name: [] for name in programs}
    with x_server(args.display) as display:
        for _ in range(args.runs):  # interleaved, so that both see the same machine load
            for name, path in programs.items():
                cold = drop_caches() if args.drop_caches else False
                times[name].append(time_to_window(path, display))
    kind = "cold (page cache dropped)" if cold else "warm page cache, fresh data folder"
    for name, values in times.items():
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"start to window, {name}: median {statistics.median(values):.2f} s "
              f"over {args.runs} runs ({shown}); {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
