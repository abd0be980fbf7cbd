"""Text in photos: read offline by rapidocr, stored in the catalog, found by search.

Pictures with text are rendered here with a TrueType font; photos without text are real ones
(skimage.data). OCR calls cost 0.05-0.5 s each: one reader is shared by the module, and the
libraries hold few, small photos.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from core.catalog.text import (
    Read,
    count_to_read,
    photos_to_read,
    photos_with_text,
    store_text,
    text_of,
)
from core.library.library import Library
from core.ocr.matching import exact_text, text_words
from core.ocr.pending import read_pending
from core.ocr.reader import TextReader, engine_name, model_files
from core.search.filters import Filters
from core.search.request import Asked
from tests.conftest import make_photo

FONTS = Path("/usr/share/fonts/truetype")
CJK_FONTS = [
    FONTS / "droid" / "DroidSansFallbackFull.ttf",
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    FONTS / "wqy" / "wqy-microhei.ttc",
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
]
RECEIPT = ["GROCERY RECEIPT", ("Milk", "2.50"), "TOTAL 42.50"]
# Every job after embedding, as registered: taken before tests/conftest.py leaves the costly ones
# (tags, text) out of each test's libraries.
ALL_JOBS = Library.background_jobs


def _font(size: int = 36) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    dejavu = FONTS / "dejavu" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(dejavu), size) if dejavu.is_file() \
        else ImageFont.load_default(size=size)


def render(path: Path, lines: list, font=None, size=(640, 420), **save: object) -> Path:
    """Black text on white; a (left, right) pair is one line with a gap between its halves,
    as on a receipt."""
    font = font or _font()
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        y = 30 + n * 70
        if isinstance(line, tuple):
            draw.text((30, y), line[0], fill="black", font=font)
            draw.text((size[0] // 2 + 60, y), line[1], fill="black", font=font)
        else:
            draw.text((30, y), line, fill="black", font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **save)
    return path


def real_photo(path: Path, name: str) -> Path:
    import skimage.data

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(getattr(skimage.data, name)()).save(path, quality=92)
    return path


@pytest.fixture(scope="module")
def reader():
    shared = TextReader()
    yield shared
    shared.close()


# -- the reader ------------------------------------------------------------------------------


def test_reads_rendered_text_in_reading_order(reader, tmp_path):
    found = reader.read(render(tmp_path / "receipt.png", RECEIPT))
    assert found.lines == ["GROCERY RECEIPT", "Milk 2.50", "TOTAL 42.50"]
    assert found.recognised and found.boxes >= 4


def test_reads_a_photo_turned_by_its_exif_orientation(reader, tmp_path):
    upright = render(tmp_path / "upright.png", ["OPENING HOURS"], size=(520, 160))
    stored = Image.open(upright).transpose(Image.Transpose.ROTATE_90)  # as the camera stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # show it turned 90 degrees clockwise: upright again
    path = tmp_path / "turned.jpg"
    stored.save(path, quality=95, exif=exif.tobytes())
    assert reader.read(path).text == "OPENING HOURS"


def test_reads_chinese(reader, tmp_path):
    font = next((f for f in CJK_FONTS if f.is_file()), None)
    if font is None:
        pytest.skip("no font with Chinese characters on this machine")
    cjk = ImageFont.truetype(str(font), 48)
    path = render(tmp_path / "sign.png", ["欢迎光临", "北京饭店"], cjk)
    assert reader.read(path).lines == ["欢迎光临", "北京饭店"]


def test_photos_without_text_stop_at_the_detector(reader, tmp_path, capfd):
    recognitions = reader.recognitions
    for name in ("chelsea", "rocket", "camera"):
        found = reader.read(real_photo(tmp_path / f"{name}.jpg", name))
        assert (found.text, found.boxes, found.recognised) == ("", 0, False), name
    assert reader.recognitions == recognitions  # the recogniser never ran
    # A detail boxed as text, read as one character ("8" on the coffee cup): dropped.
    for name in ("astronaut", "coffee"):
        assert reader.read(real_photo(tmp_path / f"{name}.jpg", name)).text == "", name
    assert "RapidOCR" not in capfd.readouterr().err  # its INFO and WARNING lines are silenced


def test_models_come_from_the_wheel_and_nothing_reaches_the_network(tmp_path, monkeypatch):
    import rapidocr

    det, rec = model_files()
    assert det.parent == rec.parent == Path(rapidocr.__file__).parent / "models"
    assert engine_name() == f"rapidocr:{det.stem}+{rec.stem}:r1"

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text reader tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = TextReader()  # its own sessions, created with the network refused
    try:
        assert fresh.read(render(tmp_path / "note.png", ["PARKING 24H"])).text == "PARKING 24H"
    finally:
        fresh.close()


# -- what a search asks of the text ---------------------------------------------------------


def test_query_words_and_exact_text():
    assert text_words('receipt, "total" 42.50 (milk)') == ["receipt", "total", "42.50", "milk"]
    assert text_words("北京 饭店 北京") == ["北京", "饭店"]
    assert exact_text('"TOTAL 42.50"') == "TOTAL 42.50"
    assert exact_text(" “TOTAL  42.50 ") == "TOTAL 42.50"  # still being typed
    assert exact_text("「北京饭店」") == "北京饭店"
    assert exact_text('TOTAL "42.50"') is None  # a word kept literal, not an exact text
    assert exact_text('"beach" "2023"') is None
    assert exact_text('""') is None


# -- the catalog: storing, what is left to read, finding ------------------------------------


def _scanned(library, tmp_path: Path, count: int) -> list[int]:
    """``count`` photos scanned into the library and marked indexed; their ids, oldest first."""
    root = tmp_path / "plain"
    for n in range(count):
        make_photo(root / f"p{n}.png", n)
    library.add_folder(root)
    library.scan()
    with library.catalog.write() as conn:
        conn.exec_driver_sql("UPDATE photos SET state = 1")
        return [r[0] for r in conn.exec_driver_sql("SELECT id FROM photos ORDER BY id")]


def _store(library, texts: dict[int, str], engine: str = "test") -> None:
    with library.catalog.write() as conn:
        rows = conn.exec_driver_sql("SELECT id, size, mtime_ns FROM photos").fetchall()
        sizes = {pid: (size, mtime) for pid, size, mtime in rows}
        store_text(conn, [Read(pid, *sizes[pid], text) for pid, text in texts.items()], engine)


def _drop_text_index(library) -> None:
    with library.catalog.write() as conn:
        for trigger in ("insert", "delete", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER photo_text_index_{trigger}")
        conn.exec_driver_sql("DROP TABLE photo_text_index")


@pytest.mark.parametrize("indexed", [True, False], ids=["trigram-index", "no-index"])
def test_photos_with_text(library, tmp_path, indexed):
    ids = _scanned(library, tmp_path, 5)
    if not indexed:
        _drop_text_index(library)
    _store(library, {
        ids[0]: "GROCERY RECEIPT\nMilk 2.50\nTOTAL 42.50",
        ids[1]: "SALE 50% OFF\nTV and radio",
        ids[2]: "欢迎光临\n北京饭店",
        ids[3]: "",
        ids[4]: "total_2",
    })

    def found(*words: str) -> set[int]:
        with library.catalog.read() as conn:
            return set(photos_with_text(conn, list(words), 10))

    assert found("receipt") == {ids[0]}  # case ignored
    assert found("total") == {ids[0], ids[4]}
    assert found("total", "42.50") == {ids[0]}  # every word must appear
    assert found("receipt", "radio") == set()
    assert found("TOTAL 42.50") == {ids[0]}  # a text with a space, as it is
    assert found("TOTAL 42.51") == set()
    assert found("TV") == {ids[1]}  # two letters: LIKE
    assert found("radio", "TV") == {ids[1]} and found("receipt", "TV") == set()
    assert found("北京") == {ids[2]} and found("北京饭店") == {ids[2]}
    assert found("50%") == {ids[1]} and found("l_2") == {ids[4]}  # % and _ are themselves
    assert found("0%O") == set() and found("L%2") == set()
    assert found("") == set()
    with library.catalog.read() as conn:
        assert photos_with_text(conn, ["a"], 1) and len(photos_with_text(conn, ["a"], 1)) == 1


def test_long_words_go_through_the_trigram_index(library, tmp_path):
    ids = _scanned(library, tmp_path, 2)
    _store(library, {ids[0]: "TOTAL TV", ids[1]: "TOTAL TV"})
    with library.catalog.write() as conn:  # the index forgets the first photo's text
        conn.exec_driver_sql(
            "INSERT INTO photo_text_index(photo_text_index, rowid, text)"
            " VALUES ('delete', ?, 'TOTAL TV')", (ids[0],),
        )
    with library.catalog.read() as conn:
        assert photos_with_text(conn, ["total"], 10) == [ids[1]]  # through the index
        assert set(photos_with_text(conn, ["TV"], 10)) == set(ids)  # short: the text itself


def test_photos_to_read_newest_first_then_other_engines(library, tmp_path):
    ids = _scanned(library, tmp_path, 5)
    with library.catalog.write() as conn:
        conn.exec_driver_sql("UPDATE photos SET taken_at = '2020-01-01 10:00:00' WHERE id = ?",
                             (ids[0],))
        conn.exec_driver_sql("UPDATE photos SET taken_at = '2024-06-01 10:00:00' WHERE id = ?",
                             (ids[1],))
        conn.exec_driver_sql("UPDATE photos SET state = 0 WHERE id = ?", (ids[4],))  # pending
    _store(library, {ids[2]: "old", ids[3]: ""}, engine="older-reader")
    _store(library, {ids[3]: ""}, engine="current")  # read again: its row replaced

    with library.catalog.read() as conn:
        chosen = [p.photo_id for p in photos_to_read(conn, "current", 10)]
        assert count_to_read(conn, "current") == 3
        assert text_of(conn, ids[3]) == "" and text_of(conn, ids[0]) is None
    # never read, newest taken first; then the photo another engine read; pending: not yet
    assert chosen == [ids[1], ids[0], ids[2]]


def test_text_read_in_a_file_that_changed_meanwhile_is_not_stored(library, tmp_path):
    ids = _scanned(library, tmp_path, 2)
    with library.catalog.write() as conn:
        size, mtime = conn.exec_driver_sql(
            "SELECT size, mtime_ns FROM photos WHERE id = ?", (ids[0],)).one()
        written = store_text(conn, [Read(ids[0], size + 1, mtime, "stale"),
                                    Read(ids[1], 1, 1, "stale"),
                                    Read(ids[0], size, mtime, "fresh")], "test")
    assert written == 1 and _rows(library) == {ids[0]: "fresh"}


# -- the job: reading pending photos --------------------------------------------------------


def _embedded(library, root: Path) -> None:
    """Indexed (scanned and embedded) without the work after embedding."""
    library.add_folder(root)
    library.scan()
    library.embed_pending()


def _rows(library) -> dict[int, str]:
    with library.catalog.read() as conn:
        return dict(conn.exec_driver_sql("SELECT photo_id, text FROM photo_text").fetchall())


def _ids(library) -> dict[str, int]:
    with library.catalog.read() as conn:
        rows = conn.exec_driver_sql("SELECT rel_path, id FROM photos").fetchall()
    return {rel: pid for rel, pid in rows}


def test_unreadable_files_get_a_row_and_never_stop_the_rest(library, reader, tmp_path, caplog):
    root = tmp_path / "photos"
    render(root / "receipt.png", RECEIPT)
    damaged = make_photo(root / "damaged.jpg", 1)
    vanished = make_photo(root / "vanished.jpg", 2)
    make_photo(root / "plain.jpg", 3)
    _embedded(library, root)
    # Damaged after indexing, with the same size and time: the catalog cannot tell.
    stat = damaged.stat()
    damaged.write_bytes(b"\xff\xd8" + os.urandom(stat.st_size - 2))
    os.utime(damaged, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    vanished.unlink()

    with caplog.at_level(logging.INFO, logger="core.ocr.pending"):
        assert read_pending(library.catalog, reader=reader) == 4
    ids, rows = _ids(library), _rows(library)
    assert rows[ids["receipt.png"]] == "GROCERY RECEIPT\nMilk 2.50\nTOTAL 42.50"
    assert rows[ids["damaged.jpg"]] == rows[ids["vanished.jpg"]] == rows[ids["plain.jpg"]] == ""
    assert "damaged.jpg" in caplog.text and "vanished.jpg" in caplog.text
    assert read_pending(library.catalog, reader=reader) == 0  # not tried again


def test_cancel_stops_between_photos_and_the_next_run_resumes(library, reader, tmp_path):
    root = tmp_path / "photos"
    for n in range(4):
        make_photo(root / f"p{n}.jpg", n)
    _embedded(library, root)
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        cancel.set()  # as Ctrl+C or new photos to embed would

    assert read_pending(library.catalog, cancel, progress, reader, batch_seconds=0) == 1
    assert seen == [(1, 4)] and len(_rows(library)) == 1
    assert max(_ids(library).values()) in _rows(library)  # newest first: the last added
    assert read_pending(library.catalog, reader=reader) == 3  # the rest, the first not again
    assert len(_rows(library)) == 4


def test_a_folder_gone_during_the_run_is_left_for_later(library, reader, tmp_path):
    root = tmp_path / "drive" / "photos"
    for n in range(2):
        make_photo(root / f"p{n}.jpg", n)
    _embedded(library, root)
    moved = tmp_path / "elsewhere"
    shutil.move(root, moved)  # unplugged: its photos are not "unreadable"
    assert read_pending(library.catalog, reader=reader) == 0 and _rows(library) == {}
    shutil.move(moved, root)
    assert read_pending(library.catalog, reader=reader) == 2


# -- the library: indexing reads text, search finds it --------------------------------------


@pytest.fixture
def text_job(monkeypatch):
    """Indexing reads text here, as it does in the product (tagging, not tested here, waits)."""
    monkeypatch.setattr(Library, "background_jobs",
                        lambda self: [job for job in ALL_JOBS(self) if job.name != "tags"])


def test_index_reads_text_and_search_lifts_it(library, text_job, tmp_path, capsys):
    root = tmp_path / "photos"
    render(root / "receipt.png", RECEIPT)
    render(root / "sign.png", ["Welcome to Springfield"])
    for n in range(3):
        make_photo(root / f"photo_{n}.jpg", n)
    library.add_folder(root)
    library.scan()
    ids = _ids(library)
    assert library.text_of(ids["receipt.png"]) is None  # not read yet
    library.index()
    assert library.text_of(ids["receipt.png"]) == "GROCERY RECEIPT\nMilk 2.50\nTOTAL 42.50"
    assert library.text_of(ids["photo_0.jpg"]) == ""
    assert [job.name for job in ALL_JOBS(library)][-1] == "text"

    def answer(text: str, **filters: object):
        return list(library.ask(Asked(text, filters=Filters(**filters))))[-1]

    lifted = answer("receipt")
    assert lifted.hits[0].photo.path.name == "receipt.png"
    assert lifted.hits[0].text_match and lifted.hits[0].match
    # A match by its text alone: its bar shows a match, whatever its picture scores.
    assert lifted.hits[0].relevance is not None and lifted.hits[0].relevance >= 0.5
    assert not any(hit.text_match for hit in lifted.hits[1:])
    both = answer("springfield welcome").hits[0]
    assert both.photo.path.name == "sign.png" and both.text_match and not both.name_match

    exact = answer('"TOTAL 42.50"')
    assert [h.photo.path.name for h in exact.hits] == ["receipt.png"] and exact.matches == 1
    # ...even when the weaker matches are asked for, which the same words unquoted bring.
    weaker = list(library.ask(Asked('"TOTAL 42.50"', weaker=True)))[-1].hits
    assert [h.photo.path.name for h in weaker] == ["receipt.png"]
    assert len(list(library.ask(Asked("TOTAL 42.50", weaker=True)))[-1].hits) == 5
    assert answer('"Total 42.50"').hits[0].text_match  # case ignored, as everywhere
    # No photo shows it: the words are searched by meaning after all (quotes also undo a chip).
    fallback = answer('"Milk 3.10"')
    assert fallback.hits and not any(hit.text_match for hit in fallback.hits)
    # Filters still apply: the receipt is a PNG.
    assert "receipt.png" not in [h.photo.path.name for h in answer("receipt", types=("jpg",)).hits]
    assert answer('"TOTAL 42.50"', types=("jpg",)).hits == []

    from core.cli.main import main

    capsys.readouterr()
    assert main(["--model", "test-tiny", "search", "receipt", "--all", "--json", "-k", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["text_match"] is True and rows[1]["text_match"] is False
    assert main(["--model", "test-tiny", "search", "receipt", "-k", "1"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("receipt.png  [text]")


def test_a_changed_file_is_read_again(library, reader, tmp_path):
    root = tmp_path / "photos"
    path = render(root / "note.png", ["BUY MILK"])
    _embedded(library, root)
    read_pending(library.catalog, reader=reader)
    photo_id = _ids(library)["note.png"]
    assert library.text_of(photo_id) == "BUY MILK"

    render(path, ["CALL THE DENTIST"])
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    library.scan()  # the catalog sees the new file: the text read in the old one goes
    assert library.text_of(photo_id) is None
    with library.catalog.read() as conn:
        assert photos_with_text(conn, ["milk"], 10) == []  # gone from the index as well
    library.embed_pending()
    read_pending(library.catalog, reader=reader)
    assert library.text_of(photo_id) == "CALL THE DENTIST"


def test_reading_order_groups_boxes_into_lines():
    from core.ocr.reader import _reading_order

    def box(x: float, y: float, w: float = 40, h: float = 20) -> np.ndarray:
        return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)

    # Out of order, and the right-hand box sits a little lower than its line's first box.
    boxes = [(box(300, 104), "2.50"), (box(10, 10), "RECEIPT"), (box(10, 100), "Milk"),
             (box(10, 200), "TOTAL")]
    assert _reading_order(boxes) == "RECEIPT\nMilk 2.50\nTOTAL"
