"""Reading videos for the model: a few frames each, found by seeking, never a whole decode.

A video is searched by its pictures: ``sample_times`` spreads a few moments over it (one every
``STEP_S`` seconds or more, at most ``MAX_FRAMES``, a short clip gets its middle), and
``read_video`` seeks to the keyframe before each moment and decodes forward only as far as
needed. A 1-minute 1080p H.264 clip costs 15 keyframe decodes, not 1,800 frames
(``benchmarks/bench_video.py``). Date, camera and place come from the container's tags: the
creation time (QuickTime/MP4/Matroska), Apple's local creation date, and the ISO 6709 location
tag that phones write.

Every video on a user's disk is untrusted input, as every photo is: whatever goes wrong becomes
an :class:`ImageLoadError` whose reason a person can read, and a decode that runs past
``DECODE_LIMIT_S`` stops (keeping the frames it has, if any). PyAV (FFmpeg) is imported here
only, on first use.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from core.errors import ImageLoadError
from core.imaging.loading import MAX_PIXELS, PhotoMetadata, open_checked
from core.imaging.reasons import (
    REASON_MEMORY,
)

if TYPE_CHECKING:
    import av.container
    import av.video.frame
    import av.video.stream

log = logging.getLogger(__name__)

# One frame every 4 s or more: a scene in a phone clip rarely lasts less, and a 1-minute clip
# then costs 15 frames, about what 15 photos cost the model. 16 frames at most: a long video
# is covered evenly (a 10-minute one every 37 s) for the price of 16 photos, and its vectors
# take about 9 KB of catalog (a photo's take 0.5 KB).
STEP_S = 4.0
MAX_FRAMES = 16
# A decode stops after this long (the frames read so far are kept): well under the indexing
# pool's 60 s, so a stuck video is told apart from a stuck worker.
DECODE_LIMIT_S = 30.0
# Frames decoded past a keyframe to reach a moment, at most: a video whose keyframes are far
# apart (screen recordings) costs a bounded number of frames per moment.
_MAX_FORWARD = 240
# Frames decoded in order, at most, where seeking is impossible (about a minute at 30 fps).
_MAX_IN_ORDER = 2000

# A thumbnail is one frame: a video that takes longer is shown as one that cannot be.
THUMBNAIL_LIMIT_S = 10.0
MIDDLE = -1.0  # read_video's ``at`` for the frame in the middle of the video

REASON_DAMAGED = "damaged video: the file cannot be read as a video"
REASON_NO_PICTURE = "no picture: the file holds sound only"
REASON_NOT_DECODED = "damaged or cut short: no picture in the video could be decoded"
REASON_TIMEOUT = f"took too long to decode (over {DECODE_LIMIT_S:.0f} s)"
REASON_NO_DECODER = "its video codec cannot be decoded here"


@dataclass(frozen=True)
class Frame:
    at: float  # seconds from the start of the video
    image: Image.Image  # RGB, upright, shortest side as asked (never upscaled)


@dataclass(frozen=True)
class VideoRead:
    frames: list[Frame]  # in time order, at least one
    meta: PhotoMetadata  # width and height as displayed; format e.g. "MP4"
    duration: float | None  # seconds; None when the file does not say (a stream)


def sample_times(duration: float | None) -> list[float]:
    """The moments to look at: the middles of ``n`` equal parts, one part per ``STEP_S``
    seconds, at most ``MAX_FRAMES`` (middles avoid the fade-in and the last black frame); a
    clip shorter than two steps gets one frame, from its middle. With no known duration (a
    stream), a moment every ``STEP_S`` from the start, read until the file ends."""
    if duration is None or not math.isfinite(duration) or duration <= 0:
        return [STEP_S * (n + 0.5) for n in range(MAX_FRAMES)]
    count = max(1, min(MAX_FRAMES, int(duration // STEP_S)))
    part = duration / count
    return [part * (n + 0.5) for n in range(count)]


def read_video(
    path: Path, min_side: int, limit_s: float = DECODE_LIMIT_S, at: float | None = None
) -> VideoRead:
    """A few frames of ``path`` for the model (see ``sample_times``), or only the frame
    nearest ``at`` seconds when given (a thumbnail of the matching moment); ``MIDDLE`` for
    the frame in the middle of the video."""
    if min_side < 1:
        raise ValueError(f"min_side must be >= 1, got {min_side}")
    deadline = time.monotonic() + limit_s
    with _opened(path) as container:
        stream = _video_stream(container)
        duration = _duration(container, stream)
        if at is None:
            moments = sample_times(duration)
        else:
            moments = [duration / 2 if at == MIDDLE and duration else max(0.0, at)]
        tolerance = _tolerance(moments, duration)
        tags, stored = _tags(container, stream), _stored_size(stream)
        try:
            frames = _read_frames(container, stream, moments, tolerance, min_side, deadline)
            seekable = True
        except _CannotSeek:
            frames, seekable = [], False
    if not seekable:  # opened again: a failed seek leaves FFmpeg's reader where it gave up
        with _opened(path) as container:
            frames = _frames_in_order(container, _video_stream(container), moments, tolerance,
                                      min_side, deadline)
    if not frames:
        raise ImageLoadError(REASON_TIMEOUT if time.monotonic() >= deadline else
                             REASON_NOT_DECODED)
    meta = _metadata(tags, path, _display_size(stored, frames[0].image.size))
    return VideoRead(frames, meta, duration)


def video_thumbnail(path: Path, max_side: int, at: float | None = None) -> Image.Image:
    """One frame, upright, its longest side ``max_side`` at most: the moment ``at`` seconds,
    or without one the middle of the video (a clip's first frame is often black)."""
    frame = read_video(path, max_side, THUMBNAIL_LIMIT_S, MIDDLE if at is None else at)
    image = frame.frames[0].image
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def _tolerance(moments: list[float], duration: float | None) -> float:
    """How far before a moment a frame may lie and still stand for it: a quarter of the part
    of the video it stands for (usually the keyframe before it does), a second at most for a
    single moment."""
    tolerance = max(0.5, (duration / len(moments) if duration else STEP_S) / 4)
    return min(tolerance, 1.0) if len(moments) == 1 else tolerance


# --- opening -------------------------------------------------------------------------------


@contextmanager
def _opened(path: Path) -> Iterator[av.container.InputContainer]:
    """Open ``path`` as a video: a plain, non-empty file (a FIFO named clip.mp4 must not block
    a worker), read through the descriptor checked; FFmpeg's errors become readable reasons."""
    import av

    handle = open_checked(path)  # the same checks as a photo's: never a FIFO, folder or empty
    with handle:
        try:
            # Tags in a broken encoding are replaced, not fatal; 64 KiB reads keep the Python
            # calls few (a keyframe is a few hundred KiB).
            container = av.open(handle, "r", metadata_errors="replace", buffer_size=1 << 16)
        except av.error.MemoryError as exc:
            raise ImageLoadError(REASON_MEMORY) from exc
        except av.error.FFmpegError as exc:
            log.debug("%s: FFmpeg cannot open it: %s", path, exc)
            raise ImageLoadError(REASON_DAMAGED) from exc
        except (OSError, ValueError, UnicodeError) as exc:
            raise ImageLoadError(REASON_DAMAGED) from exc
        try:
            with container:
                yield container
        except ImageLoadError:
            raise
        except MemoryError as exc:
            raise ImageLoadError(REASON_MEMORY) from exc
        except (av.error.FFmpegError, OSError, ValueError, OverflowError, ZeroDivisionError) as exc:
            log.debug("%s: FFmpeg failed part way", path, exc_info=True)
            raise ImageLoadError(REASON_NOT_DECODED) from exc


def _video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    """The first picture stream, ready to decode; a reason when there is none."""
    streams = container.streams.video
    if not streams:
        raise ImageLoadError(REASON_NO_PICTURE if container.streams.audio else REASON_DAMAGED)
    stream = streams[0]
    _check_decoder(stream)
    return stream


def _check_decoder(stream: av.video.stream.VideoStream) -> None:
    context = getattr(stream, "codec_context", None)
    if context is None:
        raise ImageLoadError(REASON_NO_DECODER)
    width, height = int(context.width or 0), int(context.height or 0)
    if width * height > MAX_PIXELS:
        raise ImageLoadError(f"video too large: {width}x{height} pixels a frame")
    # One thread per video: the indexing pool already decodes several files at once, and
    # frame threads would decode frames ahead that a seek then throws away.
    context.thread_count = 1


def _duration(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return container.duration / 1_000_000  # AV_TIME_BASE
    return None


# --- frames --------------------------------------------------------------------------------


class _CannotSeek(Exception):
    """A stream that cannot seek (a raw or live capture): read it in order instead."""


def _read_frames(
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    moments: list[float],
    tolerance: float,
    min_side: int,
    deadline: float,
) -> list[Frame]:
    """The frame at (or just before) each moment, by seeking; _CannotSeek where the stream
    does not allow it."""
    import av

    frames: list[Frame] = []
    seen: set[float] = set()
    for moment in moments:
        if time.monotonic() >= deadline:
            log.info("video decode stopped after %.0f s with %d frames", DECODE_LIMIT_S,
                     len(frames))
            break
        try:
            found = _frame_near(container, stream, moment, tolerance, deadline)
        except av.error.EOFError:
            found = None
        except av.error.FFmpegError as exc:
            if frames:
                break  # damaged further on: keep what was read
            raise _CannotSeek() from exc
        if found is None:
            break  # the file ends before this moment (moments only grow)
        at, frame = found
        if at in seen:
            continue  # two moments on the same keyframe
        seen.add(at)
        frames.append(Frame(at, _picture(frame, min_side)))
    if not frames and time.monotonic() < deadline:  # the index lies: read from the start
        frames = _frames_in_order(container, stream, moments[:1], tolerance, min_side, deadline,
                                  from_start=True)
    frames.sort(key=lambda f: f.at)
    return frames


def _seconds(
    frame: av.video.frame.VideoFrame, stream: av.video.stream.VideoStream, count: int
) -> float | None:
    """Seconds from the stream's start; from the frame's number and rate when it has no
    timestamp (a raw stream); None when neither is known."""
    pts = frame.pts if frame.pts is not None else frame.dts
    if pts is not None and stream.time_base is not None:
        return max(0.0, float((pts - (stream.start_time or 0)) * stream.time_base))
    rate = stream.average_rate or stream.guessed_rate
    return count / float(rate) if rate else None


def _frame_near(
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    moment: float,
    tolerance: float,
    deadline: float,
) -> tuple[float, av.video.frame.VideoFrame] | None:
    """Seek to the keyframe before ``moment`` and decode forward until a frame lies within
    ``tolerance`` of it (at most ``_MAX_FORWARD`` frames). None at the end of the file."""
    import av

    if stream.time_base is None:
        raise _CannotSeek()
    target = int(moment / stream.time_base) + (stream.start_time or 0)
    container.seek(target, stream=stream, backward=True, any_frame=False)
    last: tuple[float, av.video.frame.VideoFrame] | None = None
    for count, frame in enumerate(container.decode(stream)):
        if not isinstance(frame, av.VideoFrame):
            continue
        at = _seconds(frame, stream, count)
        if at is None:
            continue
        last = (at, frame)
        if at >= moment - tolerance or count >= _MAX_FORWARD or time.monotonic() >= deadline:
            return last
    return last


def _frames_in_order(
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    moments: list[float],
    tolerance: float,
    min_side: int,
    deadline: float,
    from_start: bool = False,
) -> list[Frame]:
    """Without seeking: decode in order and keep the first frame at (or just before) each
    moment; stop after the last moment, at the end of the file, at the deadline, or after
    ``_MAX_IN_ORDER`` frames (an endless stream is never read to its end)."""
    import av

    if from_start:
        with suppress(av.error.FFmpegError):
            container.seek(0)
    frames: list[Frame] = []
    waiting = iter(moments)
    target = next(waiting, None)
    try:
        for count, frame in enumerate(container.decode(stream)):
            if target is None or count >= _MAX_IN_ORDER or time.monotonic() >= deadline:
                break
            if not isinstance(frame, av.VideoFrame):
                continue
            at = _seconds(frame, stream, count)
            if at is None and from_start:
                at = 0.0  # no clock at all: the first picture is still a picture
            if at is None or at < target - tolerance:
                continue
            frames.append(Frame(at, _picture(frame, min_side)))
            while target is not None and at >= target - tolerance:
                target = next(waiting, None)  # moments this frame already stands for
    except av.error.FFmpegError:
        log.debug("decoding in order stopped", exc_info=True)  # damaged further on
    return frames


def _picture(frame: av.video.frame.VideoFrame, min_side: int) -> Image.Image:
    """The frame as an upright RGB picture whose shortest side is ``min_side`` (FFmpeg's
    scaler shrinks it while converting: no full-size RGB copy is made)."""
    width, height = int(frame.width), int(frame.height)
    if width <= 0 or height <= 0:
        raise ImageLoadError(REASON_NOT_DECODED)
    short = min(width, height)
    scale = min(1.0, min_side / short)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = frame.reformat(
        width=size[0], height=size[1], format="rgb24", interpolation="AREA"
    ).to_image()
    return _upright(image, int(getattr(frame, "rotation", 0) or 0))


def _upright(image: Image.Image, rotation: int) -> Image.Image:
    """Apply the display matrix's turn (degrees counter-clockwise, FFmpeg's convention): a
    phone held upright stores its frames sideways."""
    turn = {90: Image.Transpose.ROTATE_90, -270: Image.Transpose.ROTATE_90,
            -90: Image.Transpose.ROTATE_270, 270: Image.Transpose.ROTATE_270,
            180: Image.Transpose.ROTATE_180, -180: Image.Transpose.ROTATE_180}.get(rotation)
    return image.transpose(turn) if turn is not None else image


def _stored_size(stream: av.video.stream.VideoStream) -> tuple[int, int]:
    """The frame size as stored, stretched by the pixel aspect ratio (anamorphic video)."""
    context = stream.codec_context
    width, height = int(context.width or 0), int(context.height or 0)
    sar = getattr(context, "sample_aspect_ratio", None)
    if sar is not None and sar > 0 and sar != 1:
        width = max(1, round(width * float(sar)))
    return width, height


def _display_size(stored: tuple[int, int], decoded: tuple[int, int]) -> tuple[int, int]:
    """The size a player shows: the stored size, turned when the frame was turned upright
    (a portrait picture from landscape storage); the decoded size if none is declared."""
    width, height = stored
    if width <= 0 or height <= 0:
        return decoded
    if (decoded[0] > decoded[1]) != (width > height) and width != height:
        return height, width
    return width, height


# --- metadata ------------------------------------------------------------------------------


def _tags(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> dict[str, str]:
    """Container and stream tags, keys in lower case (Matroska writes them in capitals)."""
    found: dict[str, str] = {}
    for source in (stream.metadata, container.metadata):
        for key, value in (source or {}).items():
            found.setdefault(str(key).lower(), str(value))
    return found


def _metadata(tags: dict[str, str], path: Path, size: tuple[int, int]) -> PhotoMetadata:
    lat_lon = None
    for key in ("com.apple.quicktime.location.iso6709", "location", "location-eng"):
        if key in tags and (lat_lon := parse_iso6709(tags[key])) is not None:
            break
    make = tags.get("com.apple.quicktime.make") or tags.get("com.android.manufacturer") \
        or tags.get("make")
    model = tags.get("com.apple.quicktime.model") or tags.get("com.android.model") \
        or tags.get("model")
    return PhotoMetadata(
        width=size[0], height=size[1], orientation=1, taken_at=taken_at(tags),
        camera_make=_clean(make), camera_model=_clean(model),
        gps_lat=lat_lon[0] if lat_lon else None, gps_lon=lat_lon[1] if lat_lon else None,
        format=path.suffix.lstrip(".").upper() or "VIDEO",
    )


def _clean(value: str | None) -> str | None:
    value = (value or "").strip().strip("\x00").strip()
    return value[:100] or None


def taken_at(tags: dict[str, Any]) -> datetime | None:
    """When the video was shot, as naive local time like a photo's EXIF date: Apple's
    creation date keeps the local time it was shot in; the container's creation time is UTC,
    turned into this computer's time. Zero dates (1904, 1970: a muxer's default) mean none."""
    local = _parse_when(tags.get("com.apple.quicktime.creationdate"))
    if local is not None:
        return local.replace(tzinfo=None)
    when = _parse_when(tags.get("creation_time") or tags.get("date"))
    if when is None:
        return None
    if when.tzinfo is not None:
        return when.astimezone().replace(tzinfo=None)
    return when


_WHEN = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def _parse_when(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    found = _WHEN.match(text.strip())
    if found is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(found[n]) for n in range(1, 7))
        when = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if when.year < 1971 or when > datetime.now() + timedelta(days=366):
        return None
    zone = found[7]
    if zone == "Z":
        return when.replace(tzinfo=UTC)
    if zone:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return when.replace(tzinfo=timezone(sign * offset))
    return when


_ISO6709 = re.compile(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS.*)?/?$")


def parse_iso6709(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) from an ISO 6709 string ("+48.8584+002.2945+035.000/"), in any
    of its forms (degrees, degrees and minutes, degrees minutes seconds); None when absent,
    malformed, out of range or the (0, 0) of an unset position."""
    found = _ISO6709.match(text.strip())
    if found is None:
        return None
    lat = _angle(found[1], 2)
    lon = _angle(found[2], 3)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
        return None
    return round(lat, 6), round(lon, 6)


def _angle(text: str, degree_digits: int) -> float | None:
    """±DD.D, ±DDMM.M or ±DDMMSS.S (one more D for a longitude)."""
    sign = -1.0 if text[0] == "-" else 1.0
    whole, _, fraction = text[1:].partition(".")
    tail = float("0." + fraction) if fraction else 0.0
    if len(whole) == degree_digits:
        return sign * (int(whole) + tail)
    if len(whole) == degree_digits + 2:
        minutes = int(whole[degree_digits:]) + tail
        return sign * (int(whole[:degree_digits]) + minutes / 60) if minutes < 60 else None
    if len(whole) == degree_digits + 4:
        minutes, seconds = int(whole[degree_digits:-2]), int(whole[-2:]) + tail
        if minutes >= 60 or seconds >= 60:
            return None
        return sign * (int(whole[:degree_digits]) + minutes / 60 + seconds / 3600)
    return None
