"""Places: GPS positions named offline (reverse_geocode's real data), kept in a real catalog."""

from __future__ import annotations

import logging
import math
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.catalog import places as catalog_places
from core.catalog import queries
from core.catalog.database import Catalog
from core.catalog.places import (
    NOWHERE,
    PlaceName,
    known_places,
    place_ids_matching,
    place_label,
)
from core.library import Library
from core.places.geocoder import name_positions, plausible
from core.places.naming import name_pending
from core.records import IndexProgress
from tests.conftest import make_photo

PARIS = (48.8566, 2.3522)
TOKYO = (35.6762, 139.6503)
SYDNEY = (-33.8688, 151.2093)
PACIFIC = (0.0, -140.0)  # about 1,000 km from the Marquesas, the nearest towns
SAHARA = (23.0, 11.0)  # over 100 km from any town, in Libya


def _name(*positions: tuple[float, float]) -> list[PlaceName]:
    coords = np.array(positions, dtype=np.float64).reshape(-1, 2)
    return name_positions(coords[:, 0], coords[:, 1])


def test_known_cities_are_named() -> None:
    paris, tokyo, sydney = _name(PARIS, TOKYO, SYDNEY)
    assert paris == PlaceName("Paris", "Île-de-France", "France", "FR")
    # The nearest town to Tokyo's centre is one of its districts; the region is Tokyo.
    assert (tokyo.region, tokyo.country, tokyo.country_code) == ("Tokyo", "Japan", "JP")
    assert tokyo.city
    assert sydney == PlaceName("Sydney", "New South Wales", "Australia", "AU")


def test_bogus_positions_name_nothing() -> None:
    nan, inf = float("nan"), float("inf")
    bogus = [(0.0, 0.0), (nan, 2.0), (48.0, nan), (inf, 2.0), (48.0, -inf),
             (90.5, 2.0), (-91.0, 2.0), (48.0, 180.5), (48.0, -200.0)]
    assert _name(*bogus) == [NOWHERE] * len(bogus)
    # Between bogus ones, a real position keeps its own name.
    assert _name((0.0, 0.0), PARIS, (nan, nan))[1].city == "Paris"
    assert _name() == []
    # Each is rejected before any lookup (most would be far from towns anyway).
    lats, lons = np.array(bogus + [PARIS, (-90.0, 180.0)]).T
    assert plausible(lats, lons).tolist() == [False] * len(bogus) + [True, True]


def test_far_from_any_town_names_the_country_or_nothing() -> None:
    pacific, sahara = _name(PACIFIC, SAHARA)
    assert pacific == NOWHERE
    assert (sahara.city, sahara.region, sahara.country_code) == ("", "", "LY")
    assert sahara.country


def test_the_place_data_loads_on_first_use_and_prints_nothing() -> None:
    code = (
        "import sys, numpy as np\n"
        "import core.library, core.places.naming\n"
        "from core.places import geocoder\n"
        "loaded = 'reverse_geocode' in sys.modules\n"
        "names = geocoder.name_positions(np.array([48.8566]), np.array([2.3522]))\n"
        "sys.stderr.write(repr((loaded, names[0].city)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "(False, 'Paris')"
    assert done.stdout == ""


def test_place_label() -> None:
    assert place_label("Paris", "Île-de-France", "France") == "Paris, Île-de-France, France"
    assert place_label("Tokyo", "Tokyo", "Japan") == "Tokyo, Japan"
    assert place_label("", "", "Libya") == "Libya"
    assert place_label("Sydney", "", "Australia") == "Sydney, Australia"


# -- a catalog ---------------------------------------------------------------------------------


@pytest.fixture
def catalog(tmp_path: Path):
    cat = Catalog(tmp_path / "catalog.db")
    yield cat
    cat.close()


def _add_photos(catalog: Catalog, positions: list[tuple[float, float] | None]) -> list[int]:
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, Path("/pictures"))
        queries.insert_photos(
            conn, folder_id, [(f"p{n}.jpg", 100 + n, n, None) for n in range(len(positions))]
        )
        ids = [
            int(conn.exec_driver_sql("SELECT id FROM photos WHERE rel_path = ?", (f"p{n}.jpg",))
                .scalar_one())
            for n in range(len(positions))
        ]
        for pid, position in zip(ids, positions, strict=True):
            if position is not None:
                conn.exec_driver_sql(
                    "UPDATE photos SET gps_lat = ?, gps_lon = ? WHERE id = ?", (*position, pid)
                )
    return ids


def _places_of(catalog: Catalog, ids: list[int]) -> list[tuple[str, str, str, str] | None]:
    with catalog.read() as conn:
        found: list[tuple[str, str, str, str] | None] = []
        for pid in ids:
            row = conn.exec_driver_sql(
                "SELECT places.city, places.region, places.country, places.country_code"
                " FROM photos LEFT JOIN places ON places.id = photos.place_id"
                " WHERE photos.id = ?", (pid,),
            ).one()
            found.append(None if row[3] is None else tuple(row))
        return found


def test_naming_a_catalog_once(catalog: Catalog) -> None:
    ids = _add_photos(catalog, [PARIS, PARIS, TOKYO, PACIFIC, None, (0.0, 0.0), SYDNEY])
    assert name_pending(catalog) == 6  # every photo with a position, the bogus ones included
    paris, paris2, tokyo, pacific, no_gps, zero, sydney = _places_of(catalog, ids)
    assert paris == paris2 == ("Paris", "Île-de-France", "France", "FR")
    assert tokyo is not None and tokyo[3] == "JP"
    assert sydney == ("Sydney", "New South Wales", "Australia", "AU")
    assert pacific == zero == NOWHERE  # looked up, named nothing: not looked up again
    assert no_gps is None
    with catalog.read() as conn:
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM places WHERE city = 'Paris'"
        ).scalar_one() == 1
        assert sorted(row[3] for row in known_places(conn)) == ["AU", "FR", "JP"]
    writes = catalog.write_count
    assert name_pending(catalog) == 0  # idempotent: nothing new to name
    assert catalog.write_count == writes  # and nothing written


def test_a_cancelled_run_resumes_where_it_stopped(catalog: Catalog) -> None:
    ids = _add_photos(catalog, [PARIS, TOKYO, SYDNEY, PARIS, TOKYO])
    stop = threading.Event()
    assert name_pending(catalog, stop, progress=lambda _done, _total: stop.set(), batch=2) == 2
    assert [p is not None for p in _places_of(catalog, ids)] == [True, True, False, False, False]
    # A new run (a restart, say) finds the rest by their missing place.
    assert name_pending(catalog, batch=2) == 3
    assert all(p is not None for p in _places_of(catalog, ids))
    assert name_pending(catalog, threading.Event()) == 0


def test_a_position_changed_meanwhile_is_not_given_the_old_place(catalog: Catalog) -> None:
    (pid,) = _add_photos(catalog, [PARIS])
    with catalog.read() as conn:
        positions = catalog_places.pending_positions(conn, 0, 10)
    with catalog.write() as conn:  # indexed again with another position while it was named
        conn.exec_driver_sql("UPDATE photos SET gps_lat = ?, gps_lon = ? WHERE id = ?",
                             (*SYDNEY, pid))
    names = _name(PARIS)
    with catalog.write() as conn:
        assert catalog_places.assign_places(conn, positions, names) == 0
    name_pending(catalog)
    assert _places_of(catalog, [pid]) == [("Sydney", "New South Wales", "Australia", "AU")]


def test_place_ids_matching(catalog: Catalog) -> None:
    _add_photos(catalog, [PARIS, TOKYO, SYDNEY, PACIFIC])
    name_pending(catalog)
    with catalog.write() as conn:
        zurich = catalog_places.place_ids(
            conn, [PlaceName("Zürich", "Zurich", "Switzerland", "CH")]
        )[PlaceName("Zürich", "Zurich", "Switzerland", "CH")]
    with catalog.read() as conn:
        ids = {
            code: int(conn.exec_driver_sql(
                "SELECT id FROM places WHERE country_code = ?", (code,)
            ).scalar_one())
            for code in ("FR", "JP", "AU")
        }
        for text in ("paris", "PARIS", " Paris ", "France", "france", "fr", "FR",
                     "ile-de-france", "ÎLE-DE-FRANCE"):
            assert place_ids_matching(conn, text) == {ids["FR"]}, text
        assert place_ids_matching(conn, "Japan") == {ids["JP"]}
        assert place_ids_matching(conn, "tokyo") == {ids["JP"]}  # its region
        assert place_ids_matching(conn, "au") == {ids["AU"]}
        assert place_ids_matching(conn, "Zurich") == {zurich}
        assert place_ids_matching(conn, "zürich") == {zurich}
        # Words that name no place, and the empty place, match nothing.
        for text in ("beach", "Pari", "f", "", "  ", "xx"):
            assert place_ids_matching(conn, text) == set(), text


# -- end to end: a real photo with a real GPS position, indexed ---------------------------------


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = math.floor(value)
    minutes = math.floor((value - degrees) * 60)
    return float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4)


def _gps_jpeg(path: Path, seed: int, position: tuple[float, float]) -> Path:
    make_photo(path, seed)
    lat, lon = position
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({
        1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon),
    })
    with Image.open(path) as img:
        img.load()
        img.save(path, quality=90, exif=exif.tobytes())
    return path


def _place_of_file(library: Library, name: str) -> tuple[str, str, str, str] | None:
    with library.catalog.read() as conn:
        row = conn.exec_driver_sql(
            "SELECT places.city, places.region, places.country, places.country_code"
            " FROM photos LEFT JOIN places ON places.id = photos.place_id"
            " WHERE photos.rel_path = ?", (name,),
        ).one()
    return None if row[3] is None else tuple(row)


def test_indexing_names_the_places_of_photos(library: Library, tmp_path: Path) -> None:
    root = tmp_path / "trip"
    _gps_jpeg(root / "eiffel.jpg", 1, PARIS)
    _gps_jpeg(root / "opera.jpg", 2, SYDNEY)
    make_photo(root / "nowhere.jpg", 3)
    library.add_folder(root)
    summary = library.index()
    assert summary.embedded == 3
    assert _place_of_file(library, "eiffel.jpg") == ("Paris", "Île-de-France", "France", "FR")
    assert _place_of_file(library, "opera.jpg") == (
        "Sydney", "New South Wales", "Australia", "AU"
    )
    assert _place_of_file(library, "nowhere.jpg") is None
    with library.catalog.read() as conn:
        assert place_ids_matching(conn, "france")

    # The photo edited with another position (the file changes): it is named again.
    _gps_jpeg(root / "eiffel.jpg", 4, TOKYO)
    library.index()
    place = _place_of_file(library, "eiffel.jpg")
    assert place is not None and place[3] == "JP"
    assert library.name_places() == 0


def test_a_cancelled_index_names_no_places(library: Library, tmp_path: Path) -> None:
    _gps_jpeg(tmp_path / "trip" / "eiffel.jpg", 1, PARIS)
    library.add_folder(tmp_path / "trip")
    stop = threading.Event()

    def cancel_once_embedded(progress: IndexProgress) -> None:
        if progress.done:
            stop.set()

    summary = library.index(cancel_once_embedded, stop)
    assert summary.embedded == 1 and summary.cancelled
    assert _place_of_file(library, "eiffel.jpg") is None
    library.index()  # the next run names it
    assert _place_of_file(library, "eiffel.jpg") == ("Paris", "Île-de-France", "France", "FR")


def test_a_geocoding_failure_does_not_stop_indexing(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import core.places.naming

    def broken(_lats: np.ndarray, _lons: np.ndarray) -> list[PlaceName]:
        raise RuntimeError("no places today")

    monkeypatch.setattr(core.places.naming, "name_positions", broken)
    _gps_jpeg(tmp_path / "trip" / "eiffel.jpg", 1, PARIS)
    library.add_folder(tmp_path / "trip")
    with caplog.at_level(logging.ERROR, logger="core.library.indexer"):
        summary = library.index()
    assert summary.embedded == 1 and not summary.cancelled
    assert "places failed" in caplog.text
    assert _place_of_file(library, "eiffel.jpg") is None
    monkeypatch.undo()
    assert library.name_places() == 1  # the next run names it


def test_the_indexing_service_names_places_after_embedding(
    library: Library, tmp_path: Path
) -> None:
    from core.lifecycle.indexing_service import IndexingService

    root = tmp_path / "trip"
    _gps_jpeg(root / "eiffel.jpg", 1, PARIS)
    library.add_folder(root)
    service = IndexingService(library, debounce_s=0.05)
    service.start()
    try:
        assert service.wait_idle(180)
        assert _place_of_file(library, "eiffel.jpg") == (
            "Paris", "Île-de-France", "France", "FR"
        )
        _gps_jpeg(root / "harbour.jpg", 2, SYDNEY)
        service.request_scan()
        assert service.wait_idle(180)
        assert _place_of_file(library, "harbour.jpg") == (
            "Sydney", "New South Wales", "Australia", "AU"
        )
    finally:
        service.stop()
