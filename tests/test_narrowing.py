"""Search that narrows, headless: real matches only, filters, dates, places, sort, browsing.

The semantic cases use the shapes CLIP the tests load from tests/data (it knows colours and
shapes); the filter cases use the random test-tiny model and JPEGs whose EXIF says when, where
and with what they were taken.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from core.search.filters import Filters, YearlySpan
from core.search.query import build_query
from core.search.request import SearchRequest, Sort
from tests.conftest import TINY_MODEL, make_photo
from tests.test_semantic_search import shapes_folder

PARIS = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 8.0)}
TOKYO = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}


def exif_photo(
    path: Path,
    seed: int,
    taken: str | None = None,
    camera: tuple[str, str] | None = None,
    gps: dict | None = None,
) -> Path:
    make_photo(path, seed)
    exif = Image.Exif()
    if camera:
        exif[0x010F], exif[0x0110] = camera
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif.get_ifd(0x8825).update(gps)
    with Image.open(path) as image:
        image.load()
        image.save(path, exif=exif.tobytes(), quality=90)
    return path


def last(results):
    return list(results)[-1]


def names(results) -> list[str]:
    return [h.photo.path.name for h in results.hits]


# -- real matches only (the shapes model) ---------------------------------------------------


@pytest.fixture(scope="module")
def shapes_library(tmp_path_factory, shapes_model_path):
    from core.library import Library

    tmp = tmp_path_factory.mktemp("narrowing")
    os.environ["PHOTOSEEK_HOME"] = str(tmp / "home")  # module-scoped: isolated_home is per test
    root = tmp / "shapes"
    truth = shapes_folder(root, 4242)
    lib = Library(home=tmp / "home", model=f"test-tiny:{shapes_model_path}")
    lib.add_folder(root)
    lib.index()
    yield lib, truth, tmp
    lib.close()


def test_red_circle_returns_the_red_circles_and_few_others(shapes_library):
    lib, truth, _ = shapes_library
    for colour, shape in [("red", "circle"), ("blue", "square"), ("green", "triangle")]:
        results = last(lib.find(SearchRequest(build_query(f"{colour} {shape}"), limit=48)))
        found = [truth[str(h.photo.path)] for h in results.hits]
        assert all(h.match for h in results.hits), "only real matches unless asked for more"
        assert results.matches == len(results.hits)
        assert found.count((colour, shape)) == 4, (colour, shape, found)  # all four of them
        assert len(found) <= 6, f"few others, not the library: {found}"
        assert results.candidates == 48


def test_an_exact_copy_returns_its_twin_and_not_the_library(shapes_library):
    lib, truth, tmp = shapes_library
    original = sorted(truth)[7]
    copy = tmp / "copy.png"
    shutil.copyfile(original, copy)
    results = last(lib.find(SearchRequest(build_query(images=[str(copy)]), limit=48)))
    assert str(results.hits[0].photo.path) == original
    assert results.hits[0].score > 0.99
    assert 1 <= results.matches <= 4 and all(h.match for h in results.hits)


def test_weaker_matches_follow_the_real_ones_ranked(shapes_library):
    lib, _truth, _ = shapes_library
    query = build_query("red circle")
    strong = last(lib.find(SearchRequest(query, limit=48)))
    everything = last(lib.find(SearchRequest(query, limit=48, weaker=True)))
    assert len(everything.hits) == 48 and everything.matches == strong.matches
    flags = [h.match for h in everything.hits]
    assert flags == [True] * strong.matches + [False] * (48 - strong.matches)
    scores = [h.score for h in everything.hits]
    assert scores == sorted(scores, reverse=True)
    relevance = [h.relevance for h in everything.hits]
    assert all(r is not None and 0 <= r <= 1 for r in relevance)
    assert relevance[0] >= 0.5 > relevance[-1]  # the cut-off sits at half the bar


def test_fast_answer_keeps_only_matches_too(shapes_library):
    lib, truth, _ = shapes_library
    fast = list(lib.find(SearchRequest(build_query("yellow square"), limit=48)))[0]
    assert not fast.exact
    found = [truth[str(h.photo.path)] for h in fast.hits]
    assert found.count(("yellow", "square")) == 4 and len(found) <= 6, found


# -- filters, dates, sort and browsing (random test-tiny, EXIF metadata) ------------------


@pytest.fixture
def dated_library(tmp_path, isolated_home):
    from core.library import Library

    root = tmp_path / "photos"
    exif_photo(root / "paris_2019.jpg", 1, "2019:07:14 10:00:00", ("Apple", "iPhone 12"), PARIS)
    exif_photo(root / "tokyo_2023.jpg", 2, "2023:03:03 09:00:00", ("Canon", "Canon EOS R5"), TOKYO)
    exif_photo(root / "xmas_2021.jpg", 3, "2021:12:25 18:00:00", ("Apple", "iPhone 12"))
    exif_photo(root / "trip" / "summer_2023.jpg", 4, "2023:08:01 12:00:00", ("Canon", "EOS 80D"))
    exif_photo(root / "trip" / "newyear_2023.jpg", 5, "2023:12:31 23:00:00")
    undated = make_photo(root / "scans" / "scan.png", 6)
    os.utime(undated, (datetime(2020, 5, 5, 12).timestamp(),) * 2)
    lib = Library(model=TINY_MODEL)
    lib.add_folder(root)
    lib.index()
    yield lib, root
    lib.close()


def browse(lib, **filters) -> list[str]:
    """The photos that pass ``filters``, with no query: newest first."""
    return names(next(lib.find(SearchRequest(filters=Filters(**filters), limit=100))))


def test_browsing_is_a_timeline_newest_first(dated_library):
    lib, _root = dated_library
    results = next(lib.find(SearchRequest(limit=100)))
    assert not results.ranked and results.matches == 6
    assert names(results) == [
        "newyear_2023.jpg", "summer_2023.jpg", "tokyo_2023.jpg", "xmas_2021.jpg", "scan.png",
        "paris_2019.jpg",
    ]
    oldest = next(lib.find(SearchRequest(sort=Sort.OLDEST, limit=100)))
    assert names(oldest) == names(results)[::-1]
    assert results.hits[4].photo.dated_by_file and results.hits[4].photo.date.startswith("2020")


def test_each_filter_keeps_exactly_its_photos(dated_library):
    lib, root = dated_library
    in_2023 = browse(lib, taken_from=datetime(2023, 1, 1), taken_until=datetime(2024, 1, 1))
    assert sorted(in_2023) == ["newyear_2023.jpg", "summer_2023.jpg", "tokyo_2023.jpg"]
    assert browse(lib, taken_from=datetime(2020, 1, 1), taken_until=datetime(2020, 12, 31)) == [
        "scan.png"  # no date taken: its file's time dates it
    ]
    christmas = YearlySpan((12, 24), (12, 26))
    assert browse(lib, yearly=christmas) == ["xmas_2021.jpg"]
    winter = YearlySpan((12, 1), (2, 28))  # wraps the year end
    assert sorted(browse(lib, yearly=winter)) == ["newyear_2023.jpg", "xmas_2021.jpg"]
    assert sorted(browse(lib, folders=(root / "trip",))) == ["newyear_2023.jpg", "summer_2023.jpg"]
    assert sorted(browse(lib, camera="iphone")) == ["paris_2019.jpg", "xmas_2021.jpg"]
    assert sorted(browse(lib, camera="canon")) == ["summer_2023.jpg", "tokyo_2023.jpg"]
    assert browse(lib, types=("png",)) == ["scan.png"]
    assert sorted(browse(lib, has_place=True)) == ["paris_2019.jpg", "tokyo_2023.jpg"]
    assert len(browse(lib, has_place=False)) == 4
    assert browse(lib, place="Paris") == ["paris_2019.jpg"]
    assert browse(lib, place="japan") == ["tokyo_2023.jpg"]
    assert browse(lib, place="FR") == ["paris_2019.jpg"]
    assert browse(lib, place="Atlantis") == []
    both = browse(lib, camera="canon", taken_from=datetime(2023, 6, 1))
    assert both == ["summer_2023.jpg"]


def test_filters_narrow_a_query_and_the_date_sort_orders_it(dated_library):
    lib, _root = dated_library
    query = build_query("a photo")
    kept = Filters(camera="canon")
    results = last(lib.find(SearchRequest(query, kept, weaker=True, limit=100)))
    assert sorted(names(results)) == ["summer_2023.jpg", "tokyo_2023.jpg"]
    assert results.candidates == 2
    newest = last(lib.find(SearchRequest(query, weaker=True, sort=Sort.NEWEST, limit=100)))
    assert names(newest) == names(next(lib.find(SearchRequest(limit=100))))


def test_photos_carry_their_place_camera_and_dates(dated_library):
    lib, _root = dated_library
    photos = {h.photo.path.name: h.photo for h in next(lib.find(SearchRequest(limit=100))).hits}
    assert photos["paris_2019.jpg"].place == "Paris, Île-de-France, France"
    assert photos["tokyo_2023.jpg"].camera == "Canon EOS R5"
    assert photos["paris_2019.jpg"].camera == "Apple iPhone 12"
    assert photos["xmas_2021.jpg"].place is None and not photos["xmas_2021.jpg"].dated_by_file


def test_filters_follow_new_and_moved_photos(dated_library):
    lib, root = dated_library
    assert browse(lib, folders=(root / "trip",)) != []  # the table is read once here
    exif_photo(root / "trip" / "later.jpg", 9, "2024:02:02 10:00:00")
    (root / "elsewhere").mkdir()
    (root / "trip" / "summer_2023.jpg").rename(root / "elsewhere" / "summer_2023.jpg")
    lib.index()
    assert sorted(browse(lib, folders=(root / "trip",))) == ["later.jpg", "newyear_2023.jpg"]
    assert browse(lib, folders=(root / "elsewhere",)) == ["summer_2023.jpg"]
    assert browse(lib, taken_from=datetime(2024, 1, 1)) == ["later.jpg"]
