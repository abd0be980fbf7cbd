"""Indexing a 1-minute 1080p H.264 video: frames read per second, videos per second.

The video (made once into /tmp/photoseek-bench/, like a phone's: 1920x1080, 30 fps, a keyframe
every second, 60 s; scenes from scikit-image's real photos, panning) is measured two ways:

- reading: ``core.imaging.video.read_video`` alone (seek to each moment's keyframe, decode,
  scale for the model): 15 frames for 60 s (one every 4 s);
- indexing: ``Library.index`` over copies of it (walk, read, preprocess, the model on every
  frame, the catalog, the index), with the given model's prepared copy (made before the clock
  starts), so frames/s include the model.

    .venv/bin/python benchmarks/bench_video.py                  # 4 copies, random:ViT-B-32
    .venv/bin/python benchmarks/bench_video.py --copies 8 --model random:ViT-B-32-SigLIP2-256
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_support import real_photos  # noqa: E402

VIDEO = Path("/tmp/photoseek-bench/phone-1080p-60s.mp4")
WIDTH, HEIGHT, FPS, SECONDS = 1920, 1080, 30, 60


def make_video(path: Path = VIDEO) -> Path:
    """Made once: scenes of 5 s each, panning across real photos scaled to cover 1080p."""
    import av
    from PIL import Image

    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    scenes = [photo.resize((WIDTH + 480, HEIGHT + 270), Image.Resampling.BILINEAR)
              for _name, photo in real_photos()]
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp.mp4")
    with av.open(str(tmp), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.codec_context.gop_size = FPS  # a keyframe a second, as phones write
        stream.options = {"preset": "veryfast", "crf": "23"}
        for n in range(SECONDS * FPS):
            scene = np.asarray(scenes[(n // (5 * FPS)) % len(scenes)])
            shift = (n % (5 * FPS)) * 3  # a slow pan: every frame differs
            pixels = scene[shift // 2 : shift // 2 + HEIGHT, shift : shift + WIDTH]
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            frame.pts = n
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    os.replace(tmp, path)
    return path


def bench_reading(path: Path, runs: int) -> tuple[float, int]:
    """Median seconds to read one video's frames for the model (224 px), and how many."""
    from core.imaging.video import read_video

    times, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        count = len(read_video(path, 224).frames)
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def bench_indexing(path: Path, copies: int, model: str) -> tuple[float, int]:
    """Seconds for ``Library.index`` to embed ``copies`` videos, and the frames it stored."""
    from core.library import Library

    home = Path(tempfile.mkdtemp(prefix="photoseek-bench-home-"))
    folder = Path(tempfile.mkdtemp(prefix="photoseek-bench-videos-"))
    os.environ["PHOTOSEEK_HOME"] = str(home)
    try:
        for n in range(copies):
            shutil.copyfile(path, folder / f"clip_{n:02d}.mp4")
        library = Library(model=model)
        try:
            library.prepare_model()
            library.embedder()  # loaded before the clock starts
            library.background_jobs = lambda: []  # type: ignore[method-assign]
            library.add_folder(folder)
            started = time.perf_counter()
            summary = library.index()
            seconds = time.perf_counter() - started
            assert summary.embedded == copies, summary
            frames = sum(label >= (1 << 62) for label in library._index.live_ids())
        finally:
            library.close()
        return seconds, frames
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default="random:ViT-B-32")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    path = make_video()
    print(f"video: {path} ({path.stat().st_size / 1e6:.1f} MB, {WIDTH}x{HEIGHT}, {FPS} fps, "
          f"{SECONDS} s; ready in {time.perf_counter() - started:.1f} s)")
    seconds, count = bench_reading(path, args.runs)
    print(f"reading: {count} frames in {seconds * 1000:.0f} ms (median of {args.runs}): "
          f"{count / seconds:.1f} frames/s, {1 / seconds:.2f} videos/s")
    seconds, frames = bench_indexing(path, args.copies, args.model)
    print(f"indexing with {args.model}: {args.copies} videos, {frames} frames in {seconds:.1f} s:"
          f" {frames / seconds:.1f} frames/s, {args.copies / seconds:.2f} videos/s")


if __name__ == "__main__":
    main()
