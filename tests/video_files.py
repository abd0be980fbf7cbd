"""Real video files for tests, encoded here with PyAV: scenes that change over time."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

# The encoder each container gets in tests (all in PyAV's wheels): H.264 where it fits, MPEG-4
# part 2 in MOV and AVI, VP8 in WebM.
CODECS = {".mp4": "libx264", ".m4v": "libx264", ".mkv": "libx264", ".mov": "mpeg4",
          ".avi": "mpeg4", ".webm": "libvpx"}


def write_video(
    path: Path,
    scenes: Sequence[Image.Image],
    seconds_each: float,
    fps: int = 5,
    metadata: dict[str, str] | None = None,
    codec: str | None = None,
    keyframe_every: int | None = None,
) -> Path:
    """Each scene shown for ``seconds_each`` seconds, in order; ``metadata`` as container
    tags (MOV writes any key, e.g. Apple's location, with use_metadata_tags)."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = scenes[0].size
    options = {"movflags": "use_metadata_tags"} if path.suffix.lower() in (".mov", ".mp4") else {}
    with av.open(str(path), "w", options=options) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream = out.add_stream(codec or CODECS[path.suffix.lower()], rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        if keyframe_every:
            stream.codec_context.gop_size = keyframe_every
        frames_each = max(1, round(seconds_each * fps))
        count = 0
        for scene in scenes:
            pixels = np.asarray(scene.convert("RGB"))
            for _ in range(frames_each):
                frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
                frame.pts = count
                count += 1
                for packet in stream.encode(frame):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def write_audio_only(path: Path, seconds: float = 2.0) -> Path:
    """A file with a sound track and no picture (a voice memo saved as .mp4)."""
    import av

    rate = 16000
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=rate)
        samples = int(seconds * rate)
        tone = (np.sin(np.arange(samples) * 2 * np.pi * 440 / rate) * 0.2).astype(np.float32)
        for start in range(0, samples, 1024):
            chunk = tone[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def solid(colour: tuple[int, int, int], size: tuple[int, int] = (64, 64)) -> Image.Image:
    return Image.new("RGB", size, colour)
