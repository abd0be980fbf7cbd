"""Videos in the library: found by their frames, once each, at the moment that matches.

Every video here is a real file encoded in the test with PyAV (tests/video_files.py): scenes
that change over time, in MP4 (H.264), MOV (MPEG-4), MKV (H.264), WebM (VP8) and AVI. The
search tests use the tiny CLIP trained on coloured shapes (tests/shapes_clip.py), which knows
"red circle" from "blue square": a clip that shows a red circle, then a blue square, must be
found by either, with the moment of the scene asked for.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from core.cli.main import main
from core.errors import ImageLoadError
from core.imaging import video
from core.imaging.formats import is_video, unread_reason
from core.imaging.loading import SUPPORTED_EXTENSIONS, is_supported
from core.records import moment_text
from core.search.query import build_query
from core.vectors.labels import FRAME_BASE, best_per_item, frame_label, items_of, split
from tests.shapes_clip import draw_shape
from tests.video_files import solid, write_audio_only, write_video

RED, BLUE = (220, 30, 30), (30, 30, 220)
SCENE_S = 8.0  # each scene of the test clips lasts 8 s: two sample moments per scene


def shape(colour: str, kind: str, seed: int = 1):
    return draw_shape(random.Random(seed), colour, kind)


# -- what is read from a video ---------------------------------------------------------------


def test_sample_times_spread_and_capped() -> None:
    assert video.sample_times(3.0) == [1.5]  # a short clip: its middle
    assert video.sample_times(7.9) == [pytest.approx(3.95)]
    sixty = video.sample_times(60.0)
    assert len(sixty) == 15 and sixty[0] == pytest.approx(2.0) and sixty[-1] == pytest.approx(58)
    long = video.sample_times(3600.0)
    assert len(long) == video.MAX_FRAMES and long[-1] < 3600
    assert len(video.sample_times(None)) == video.MAX_FRAMES  # a stream: from its start


@pytest.mark.parametrize("suffix", [".mp4", ".mov", ".mkv", ".webm", ".avi"])
def test_frames_follow_the_scenes(tmp_path: Path, suffix: str) -> None:
    path = write_video(tmp_path / f"clip{suffix}", [solid(RED), solid(BLUE)], SCENE_S)
    read = video.read_video(path, 32)
    assert read.duration == pytest.approx(16.0, abs=0.3)
    times = [frame.at for frame in read.frames]
    assert len(times) == 4 and times == sorted(times)
    for frame in read.frames:
        r, _g, b = frame.image.getpixel((5, 5))
        assert (r > b) == (frame.at < SCENE_S), (frame.at, r, b)  # red first, then blue
        assert min(frame.image.size) == 32  # shrunk while converting, never upscaled
    assert (read.meta.width, read.meta.height) == (64, 64)


def test_date_place_and_camera_from_tags(tmp_path: Path) -> None:
    tags = {
        "creation_time": "2021-07-04T10:20:30.000000Z",
        "com.apple.quicktime.creationdate": "2021-07-04T12:20:30+0200",
        "com.apple.quicktime.location.ISO6709": "+35.6586+139.7454+010.000/",
        "com.apple.quicktime.make": "Apple", "com.apple.quicktime.model": "iPhone 12",
    }
    meta = video.read_video(write_video(tmp_path / "a.mov", [solid(RED)], 2, metadata=tags),
                            32).meta
    # Apple's creation date keeps the local time it was shot in, as EXIF does.
    assert meta.taken_at is not None and meta.taken_at.isoformat() == "2021-07-04T12:20:30"
    assert (meta.gps_lat, meta.gps_lon) == (35.6586, 139.7454)
    assert (meta.camera_make, meta.camera_model) == ("Apple", "iPhone 12")
    # A plain MP4: the container's UTC creation time and the generic location tag.
    plain = write_video(tmp_path / "b.mp4", [solid(RED)], 2, metadata={
        "creation_time": "2019-01-02T03:04:05Z", "location": "-33.8688+151.2093/"})
    meta = video.read_video(plain, 32).meta
    assert meta.taken_at is not None and meta.taken_at.year == 2019
    assert (meta.gps_lat, meta.gps_lon) == (-33.8688, 151.2093)
    # None written: nothing made up (a muxer's 1970 default is no date either).
    bare = write_video(tmp_path / "c.mkv", [solid(RED)], 2,
                       metadata={"creation_time": "1970-01-01T00:00:00Z"})
    meta = video.read_video(bare, 32).meta
    assert meta.taken_at is None and meta.gps_lat is None and meta.camera_make is None


def test_iso6709_forms() -> None:
    assert video.parse_iso6709("+48.8584+002.2945+035.000/") == (48.8584, 2.2945)
    assert video.parse_iso6709("+4851.5-00217.2/") == (pytest.approx(48.858333),
                                                      pytest.approx(-2.286667))
    assert video.parse_iso6709("+485130+0021740/") == (pytest.approx(48.858333),
                                                      pytest.approx(2.294444))
    for bad in ("", "garbage", "+95.0+010.0/", "+00.0000+000.0000/", "+4899.0+00200.0/"):
        assert video.parse_iso6709(bad) is None, bad


def test_broken_videos_have_reasons(tmp_path: Path) -> None:
    good = write_video(tmp_path / "good.mp4", [solid(RED), solid(BLUE)], SCENE_S)
    empty = tmp_path / "empty.mov"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(bytes(random.Random(3).randrange(256) for _ in range(5000)))
    cut = tmp_path / "cut.mp4"  # the index (moov) of an MP4 is written last: cut, it is gone
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    sound = write_audio_only(tmp_path / "voice.mp4")
    expected = {
        empty: "empty file (0 bytes)",
        garbage: video.REASON_DAMAGED,
        cut: video.REASON_DAMAGED,
        sound: video.REASON_NO_PICTURE,
    }
    for path, reason in expected.items():
        with pytest.raises(ImageLoadError) as caught:
            video.read_video(path, 32)
        assert caught.value.reason == reason, path.name
    with pytest.raises(ImageLoadError) as caught:
        video.read_video(tmp_path, 32)
    assert caught.value.reason == "this is a folder, not a photo"
    # A decode past its time limit stops with a reason instead of running on.
    with pytest.raises(ImageLoadError) as caught:
        video.read_video(good, 32, limit_s=0.0)
    assert caught.value.reason == video.REASON_TIMEOUT


def test_cut_matroska_keeps_the_frames_before_the_cut(tmp_path: Path) -> None:
    whole = write_video(tmp_path / "whole.mkv", [solid(RED), solid(BLUE)], SCENE_S)
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    read = video.read_video(cut, 32)
    assert read.frames and all(frame.at < 16 for frame in read.frames)


def test_a_stream_that_cannot_seek_is_read_in_order_and_bounded(tmp_path: Path) -> None:
    """A raw H.264 capture (no duration, no index, no seeking) named like a video: frames are
    taken in order, one per moment, and never more than the cap."""
    import av

    path = tmp_path / "capture.mkv"
    with av.open(str(path), "w", format="h264") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for n in range(250):  # 10 s at 25 fps: red, then blue
            frame = av.VideoFrame.from_ndarray(
                np.asarray(solid(RED if n < 125 else BLUE)), format="rgb24")
            frame.pts = n
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    read = video.read_video(path, 32)
    assert read.duration is None
    colours = [frame.image.getpixel((5, 5)) for frame in read.frames]
    assert 2 <= len(colours) <= video.MAX_FRAMES
    assert colours[0][0] > colours[0][2] and colours[-1][2] > colours[-1][0]


def test_videos_are_read_not_skipped() -> None:
    for name in ("a.mp4", "b.MOV", "c.m4v", "d.mkv", "e.webm", "f.avi"):
        assert is_video(Path(name)) and is_supported(Path(name)), name
        assert unread_reason(Path(name), SUPPORTED_EXTENSIONS) is None
    assert not is_video(Path("a.jpg")) and not is_video(Path("mp4"))


# -- labels: several vectors per item --------------------------------------------------------


def test_frame_labels_name_their_video() -> None:
    label = frame_label(1234, 7)
    assert label >= FRAME_BASE and split(label) == (1234, 7)
    assert items_of(np.array([5, label])).tolist() == [5, 1234]
    labels = np.array([5, frame_label(9, 0), frame_label(9, 1), 6, frame_label(8, 0)])
    scores = np.array([0.2, 0.1, 0.7, 0.4, 0.3], np.float32)
    items, best_scores, best = best_per_item(labels, scores)
    found = dict(zip(items.tolist(), zip(best_scores.tolist(), best.tolist(), strict=True),
                     strict=True))
    assert found[9] == (pytest.approx(0.7), frame_label(9, 1))  # its best frame
    assert found[8] == (pytest.approx(0.3), frame_label(8, 0))
    assert found[5] == (pytest.approx(0.2), 5) and len(found) == 4


# -- the library: found by frames, once, at the moment ---------------------------------------


def _shapes_library(root: Path) -> None:
    """Photos of every colour and shape, and two clips: a red circle then a blue square (MP4),
    a yellow triangle then a green square (MKV)."""
    rng = random.Random(99)
    for n in range(24):
        colour = ["red", "green", "blue", "yellow"][n % 4]
        kind = ["circle", "square", "triangle"][(n // 4) % 3]
        path = root / f"photo_{n:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_shape(rng, colour, kind).save(path)
    write_video(root / "clips" / "circle_then_square.mp4",
                [shape("red", "circle", 5), shape("blue", "square", 6)], SCENE_S,
                metadata={"creation_time": "2022-08-01T09:00:00Z"})
    write_video(root / "clips" / "triangle_then_square.mkv",
                [shape("yellow", "triangle", 7), shape("green", "square", 8)], SCENE_S)


@pytest.fixture
def shapes_library(tmp_path: Path, shapes_model_path: Path):
    from core.library import Library

    root = tmp_path / "library"
    _shapes_library(root)
    lib = Library(model=f"test-tiny:{shapes_model_path}")
    lib.add_folder(root)
    summary = lib.index()
    assert summary.failed == 0 and summary.embedded == 26
    yield lib, root
    lib.close()


def _hits(lib, text: str | None = None, image: Path | None = None, k: int = 30):
    query = build_query(text or "", [str(image)] if image else [])
    return list(lib.search(query, k=k))[-1].hits


def _clip_hits(hits, name: str):
    return [hit for hit in hits if hit.photo.path.name == name]


def test_a_video_is_found_by_either_scene_at_its_moment(shapes_library, tmp_path) -> None:
    lib, _root = shapes_library
    clip = "circle_then_square.mp4"
    for query, later in (("blue square", True), ("red circle", False)):
        hits = _hits(lib, query)
        found = _clip_hits(hits, clip)
        assert len(found) == 1, (query, [h.photo.path.name for h in hits])  # listed once
        hit = found[0]
        assert hit.moment is not None and (hit.moment >= SCENE_S) == later, (query, hit.moment)
        assert hits.index(hit) < 6, (query, [h.photo.path.name for h in hits])  # a top match
        assert all(h.moment is None for h in hits if h.photo.path.suffix == ".png")
    # By example: a picture of a blue square finds the clip at its second scene.
    example = tmp_path / "blue_square.png"
    shape("blue", "square", 42).save(example)
    found = _clip_hits(_hits(lib, image=example), clip)
    assert len(found) == 1 and found[0].moment is not None and found[0].moment >= SCENE_S


def test_the_cli_prints_the_moment(shapes_library, capsys) -> None:
    lib, _root = shapes_library
    model = lib.model_name
    lib.close()
    capsys.readouterr()
    assert main(["--model", model, "search", "blue square", "-k", "30", "--all", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    clip = [r for r in rows if r["path"].endswith("circle_then_square.mp4")]
    assert len(clip) == 1 and clip[0]["moment"] >= SCENE_S
    assert clip[0]["taken_at"] is not None and clip[0]["taken_at"].startswith("2022-08-01")
    assert all(r["moment"] is None for r in rows if r["path"].endswith(".png"))
    assert main(["--model", model, "search", "blue square", "-k", "30", "--all"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "circle_then_square" in x)
    assert line.endswith(f"at {moment_text(clip[0]['moment'])}")


def test_frames_live_and_die_with_their_video(shapes_library, tmp_path) -> None:
    """Filters, a video as the example, a rebuilt index, a move and a deletion."""
    from core.library import Library
    from core.search.filters import Filters
    from core.search.request import SearchRequest

    lib, root = shapes_library
    clip = root / "clips" / "circle_then_square.mp4"
    index = lib._index
    assert len(index) == 26  # photos and videos, a video once however many frames
    assert sum(label >= FRAME_BASE for label in index.live_ids()) == 8  # 4 frames a clip
    # A filter by type lets the video's frames through.
    request = SearchRequest(build_query("blue square"), Filters(types=("mp4",)), weaker=True)
    hits = list(lib.find(request))[-1].hits
    assert [h.photo.path for h in hits] == [clip] and hits[0].moment >= SCENE_S
    # The timeline lists it, by its date.
    browsed = list(lib.find(SearchRequest(None, Filters(types=("mp4",)))))[-1].hits
    assert [h.photo.path for h in browsed] == [clip]
    # The video as the example: its own vector (the mean of its frames), itself left out.
    similar = _hits(lib, image=clip)
    assert similar and clip not in [h.photo.path for h in similar]
    # The index is only a cache: rebuilt from the catalog, frames and moments come back.
    lib.close()
    for leftover in lib.paths.index_dir.glob("*.hnsw"):
        leftover.unlink()
    lib = Library(model=lib.model_name)
    try:
        found = _clip_hits(_hits(lib, "blue square"), clip.name)
        assert len(found) == 1 and found[0].moment >= SCENE_S
        # Moved: its row, its vector and its frames follow it, nothing decoded again.
        moved = root / "moved.mp4"
        clip.rename(moved)
        summary = lib.index()
        assert summary.moved == 1 and summary.embedded == 0
        found = _clip_hits(_hits(lib, "blue square"), moved.name)
        assert len(found) == 1 and found[0].moment >= SCENE_S
        # Deleted: its frames leave the catalog and the index.
        moved.unlink()
        lib.index()
        assert not _clip_hits(_hits(lib, "blue square"), moved.name)
        frames = sum(label >= FRAME_BASE for label in lib._index.live_ids())
        assert frames == 4 and len(lib._index) == 25
        with sqlite3.connect(lib.paths.catalog) as conn:
            assert conn.execute("SELECT count(*) FROM video_frames").fetchone()[0] == 4
    finally:
        lib.close()


def test_a_damaged_frame_vector_embeds_its_video_again(shapes_library) -> None:
    from core.library import Library

    lib, root = shapes_library
    lib.close()
    with sqlite3.connect(lib.paths.catalog) as conn:
        conn.execute("UPDATE video_frames SET vector = x'00' WHERE n = 1 AND embedding_id ="
                     " (SELECT max(embedding_id) FROM video_frames)")
    for leftover in lib.paths.index_dir.glob("*.hnsw"):
        leftover.unlink()
    lib = Library(model=lib.model_name)
    try:
        _hits(lib, "blue square")  # loads the index: the damaged frame is found
        assert lib.count_to_embed() == 1
        assert lib.index().embedded == 1
        assert len(lib._index) == 26
        assert sum(label >= FRAME_BASE for label in lib._index.live_ids()) == 8
    finally:
        lib.close()


def test_broken_videos_are_listed_and_the_rest_indexed(tmp_path: Path, capsys) -> None:
    root = tmp_path / "mixed"
    write_video(root / "fine.webm", [solid(RED), solid(BLUE)], 4)
    write_video(root / "fine.avi", [solid(BLUE)], 3)
    (root / "empty.mp4").write_bytes(b"")
    (root / "junk.mov").write_bytes(b"\x00\x00\x00\x18ftypqt  " + b"\x13" * 4000)
    write_audio_only(root / "memo.m4v")
    assert main(["--model", "test-tiny", "index", str(root)]) == 0
    capsys.readouterr()
    assert main(["failures", "--json"]) == 0
    reasons = {Path(row["path"]).name: row["reason"] for row in json.loads(capsys.readouterr().out)}
    assert reasons == {
        "empty.mp4": "empty file (0 bytes)",
        "junk.mov": video.REASON_DAMAGED,
        "memo.m4v": video.REASON_NO_PICTURE,
    }
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["indexed"] == 2 and status["failed"] == 3


def test_each_model_has_its_own_frames(tmp_path: Path, shapes_model_path: Path, capsys) -> None:
    """A model switch embeds every video's frames again with the new model; each model keeps
    its own, and a search lists the video once with either."""
    from core.library import Library

    root = tmp_path / "switch"
    write_video(root / "clip.mp4", [shape("red", "circle", 5), shape("blue", "square", 6)],
                SCENE_S)
    shapes = f"test-tiny:{shapes_model_path}"
    for model in ("test-tiny", shapes):
        assert main(["--model", model, "index", str(root)]) == 0
    capsys.readouterr()
    lib = Library(model=shapes)
    try:
        with sqlite3.connect(lib.paths.catalog) as conn:
            per_model = conn.execute(
                "SELECT e.model_id, count(*) FROM video_frames f JOIN embeddings e"
                " ON e.id = f.embedding_id GROUP BY e.model_id").fetchall()
        assert [count for _model, count in per_model] == [4, 4]
        found = _clip_hits(_hits(lib, "blue square"), "clip.mp4")
        assert len(found) == 1 and found[0].moment >= SCENE_S
    finally:
        lib.close()


def test_a_crash_while_storing_frames_leaves_the_video_to_embed(tmp_path: Path, monkeypatch
                                                                ) -> None:
    """A video's vector and its frames are written in one transaction: a failure between
    them stores neither, and the next run embeds the video."""
    from core.catalog import frames as frame_rows
    from core.library import Library

    root = tmp_path / "crash"
    write_video(root / "clip.mkv", [solid(RED), solid(BLUE)], SCENE_S)
    real_save = frame_rows.save_frames

    def crash(*_args, **_kwargs):
        raise RuntimeError("the process dies here")

    monkeypatch.setattr(frame_rows, "save_frames", crash)
    lib = Library(model="test-tiny")
    try:
        lib.add_folder(root)
        with pytest.raises(RuntimeError):
            lib.index()
    finally:
        lib.close()
    monkeypatch.setattr(frame_rows, "save_frames", real_save)
    lib = Library(model="test-tiny")
    try:
        with sqlite3.connect(lib.paths.catalog) as conn:
            assert conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 0
        assert lib.count_to_embed() == 1
        assert lib.index().embedded == 1 and len(lib._index) == 1
    finally:
        lib.close()
