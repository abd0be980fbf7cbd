"""Places in the catalog: the names given to photos' GPS positions (see ``core.places``).

A place is (city, region, country, country_code), unique on (city, region, country_code).
Two kinds of row stand for less than a town:

- ``NOWHERE`` (every field empty) marks a position that was looked up and names no place (a
  bogus position, the open sea): it is never shown, and its photos are not looked up again.
- a row with an empty city and a country names only the country (a position far from any
  town, in a desert or a wilderness).

Callers own the transaction, as in ``core.catalog.queries``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.catalog.schema import photos, places


class PlaceName(NamedTuple):
    city: str
    region: str
    country: str
    country_code: str  # ISO 3166 alpha-2, upper case


NOWHERE = PlaceName("", "", "", "")

_NOT_NOWHERE = sa.or_(places.c.city != "", places.c.country_code != "")


def place_label(city: str, region: str, country: str) -> str:
    """"Paris, Île-de-France, France": the empty parts left out, and a region that repeats the
    city ("Tokyo, Tokyo") said once."""
    parts = [city, region if region != city else "", country]
    return ", ".join(part for part in parts if part)


def fold(text: str) -> str:
    """Text compared the way a person reads it: case and accents ignored ("Zurich" is
    "Zürich", "ILE-DE-FRANCE" is "Île-de-France")."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# -- reading ---------------------------------------------------------------------------------


def known_places(conn: sa.Connection) -> list[tuple[str, str, str, str]]:
    """(city, region, country, country_code) of every place a photo is in, ``NOWHERE`` left
    out, sorted by country, region and city."""
    used = sa.select(photos.c.place_id).where(photos.c.place_id.is_not(None)).distinct()
    rows = conn.execute(
        sa.select(places.c.city, places.c.region, places.c.country, places.c.country_code)
        .where(places.c.id.in_(used), _NOT_NOWHERE)
        .order_by(places.c.country, places.c.region, places.c.city)
    )
    return [PlaceName(*row) for row in rows]


def place_ids_matching(conn: sa.Connection, text: str) -> set[int]:
    """Places whose city, region or country is ``text`` (case and accents ignored), or, when
    ``text`` is two letters, whose ISO country code it is ("fr": France)."""
    wanted = fold(text)
    if not wanted:
        return set()
    code = wanted.upper() if len(wanted) == 2 and wanted.isascii() and wanted.isalpha() else None
    rows = conn.execute(
        sa.select(
            places.c.id, places.c.city, places.c.region, places.c.country, places.c.country_code
        ).where(_NOT_NOWHERE)
    )
    # The table holds one row per distinct place in the library (hundreds, a few thousand):
    # folding them here is simpler than teaching SQLite to ignore accents, and as quick.
    return {
        place_id
        for place_id, city, region, country, country_code in rows
        if wanted in (fold(city), fold(region), fold(country)) or country_code == code
    }


# -- naming ----------------------------------------------------------------------------------


def pending_positions(
    conn: sa.Connection, after_id: int, limit: int
) -> list[tuple[int, float, float]]:
    """(photo id, latitude, longitude) of photos with a position but no place yet, by id from
    ``after_id`` on (exclusive): walking by id reads each photo once however many batches."""
    rows = conn.execute(
        sa.select(photos.c.id, photos.c.gps_lat, photos.c.gps_lon)
        .where(
            photos.c.id > after_id,
            photos.c.place_id.is_(None),
            photos.c.gps_lat.is_not(None),
            photos.c.gps_lon.is_not(None),
        )
        .order_by(photos.c.id)
        .limit(limit)
    )
    return [(int(pid), float(lat), float(lon)) for pid, lat, lon in rows]


def place_ids(conn: sa.Connection, names: Iterable[PlaceName]) -> dict[PlaceName, int]:
    """The id of each place, its row added where it is new."""
    wanted = set(names)
    if not wanted:
        return {}
    conn.execute(
        sqlite_insert(places).on_conflict_do_nothing(
            index_elements=[places.c.city, places.c.region, places.c.country_code]
        ),
        [name._asdict() for name in wanted],
    )
    found: dict[PlaceName, int] = {}
    query = sa.select(places.c.id).where(
        places.c.city == sa.bindparam("c"),
        places.c.region == sa.bindparam("r"),
        places.c.country_code == sa.bindparam("cc"),
    )
    for name in wanted:  # each one a lookup in the unique index
        found[name] = int(
            conn.execute(
                query, {"c": name.city, "r": name.region, "cc": name.country_code}
            ).scalar_one()
        )
    return found


def assign_places(
    conn: sa.Connection,
    positions: Sequence[tuple[int, float, float]],
    names: Sequence[PlaceName],
) -> int:
    """Give each photo the place its position names; returns how many photos were updated.

    A photo whose position changed since it was read (indexed again meanwhile), or that was
    named meanwhile, is left alone: the next run looks it up again if it needs to.
    """
    ids = place_ids(conn, names)
    result = conn.execute(
        photos.update()
        .where(
            photos.c.id == sa.bindparam("pid"),
            photos.c.place_id.is_(None),
            photos.c.gps_lat == sa.bindparam("lat"),
            photos.c.gps_lon == sa.bindparam("lon"),
        )
        .values(place_id=sa.bindparam("place")),
        [
            {"pid": pid, "lat": lat, "lon": lon, "place": ids[name]}
            for (pid, lat, lon), name in zip(positions, names, strict=True)
        ],
    )
    return max(0, result.rowcount)
