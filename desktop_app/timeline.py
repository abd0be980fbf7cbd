"""The timeline's shape: rows grouped by month and day, and where each group lies in the grid.

No widgets here: grouping 50,000 photos and placing them is plain arithmetic, measured on its
own (benchmarks/bench_timeline.py) and tested without a screen. ``desktop_app.results_view``
draws what this computes. Only the labels' words come from Qt (QtCore, no screen): months and
weekdays in the locale's language, laid out by a date format that is itself translated ("March
2023" / "2023年3月"), so that they follow the interface's language.

Groups are found in one pass over the rows' dates (the answer is already in date order, so a
group is a run of equal days); the grid's geometry is then one entry per day, not per photo:
where a row lies is a bisection and a division, whatever the number of photos.
"""

from __future__ import annotations

import functools
import itertools
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import NamedTuple, cast

from PySide6.QtCore import QDate, QDateTime, QLocale

from core.records import SearchHit
from desktop_app.i18n import translate

STAMP = "yyyy-MM-dd HH:mm:ss"  # how the catalog writes a date (Photo.taken_at, file_time)


def no_date() -> str:
    """The header of the photos that have no date."""
    return translate("Timeline", "No date")


def when_text(stamp: str) -> str:
    """A photo's date and time ("2019-07-14 10:00:00") the interface's way, to the second;
    the catalog's text itself when it is not one Qt can read."""
    when = QDateTime.fromString(stamp[:19], STAMP)
    if not when.isValid():
        return stamp
    # The format is translated: each language orders and spells a date its own way.
    return QLocale().toString(when, translate(
        "Timeline", "yyyy-MM-dd HH:mm:ss", "a date and time: a QLocale format"))


class Section(NamedTuple):
    """Rows ``start`` to ``end - 1``: one day of a timeline, or a whole ungrouped answer.

    ``opens_month``: a month header ("March 2023", or "No date") is drawn above it; ``day``
    ("Sunday 14") is the lighter label above its own tiles. An ungrouped answer is one section
    with neither.
    """

    start: int
    end: int
    month: str | None = None
    day: str | None = None
    year: int | None = None  # None for "No date" (and for an ungrouped answer)
    opens_month: bool = False
    month_photos: int = 0  # on a section that opens a month: the photos in that month

    @property
    def size(self) -> int:
        return self.end - self.start


def dates_of(hits: Sequence[SearchHit]) -> list[str | None]:
    """Each photo's date (``Photo.date``, spelled out: this runs over every row)."""
    return [h.photo.taken_at or h.photo.file_time for h in hits]


def arrange(hits: Sequence[SearchHit]) -> tuple[list[SearchHit], list[Section]]:
    """A date-ordered answer as a timeline: its hits in their order, except that photos with
    no date go last (SQL puts NULL first in an ascending order), and its sections."""
    dates = dates_of(hits)
    if all(dates):
        return list(hits), _group(list(map(_DAY, cast("list[str]", dates))))
    undated = list(map(operator.not_, dates))
    ordered = list(itertools.compress(hits, dates)) + list(itertools.compress(hits, undated))
    days: list[str | None] = list(map(_DAY, itertools.compress(cast("list[str]", dates), dates)))
    return ordered, _group(days + [None] * (len(ordered) - len(days)))


def undated_last(hits: Sequence[SearchHit]) -> list[SearchHit]:
    """``hits`` in their order, photos with no date last (see ``arrange``)."""
    dates = dates_of(hits)
    if all(dates):
        return list(hits)
    return (list(itertools.compress(hits, dates))
            + list(itertools.compress(hits, map(operator.not_, dates))))


def group(dates: Sequence[str | None]) -> list[Section]:
    """One section per run of rows taken on the same day; a month header where the month
    changes. ``dates`` are "YYYY-MM-DD HH:MM:SS" texts (None: no date), in row order."""
    if all(dates):
        return _group(list(map(_DAY, cast("list[str]", dates))))
    return _group([_DAY(d) if d else None for d in dates])


# "2023-03-14 10:12:00" -> "2023-03-14", in C
_DAY: Callable[[str], str] = operator.itemgetter(slice(0, 10))


def _group(keys: list[str | None]) -> list[Section]:
    # A run of equal days is one section. groupby does the comparing in C; the Python below
    # runs once a day, not once a photo.
    sections: list[Section] = []
    language = QLocale().name()  # the labels' cache is per language
    row = 0
    opened = 0  # index in ``sections`` of the section that opened the current month
    month_key: str | None = "-"  # never a real key
    for day_key, run in itertools.groupby(keys):
        end = row + len(list(run))
        month, day, year = _labels(language, day_key)
        key = day_key[:7] if day is not None and day_key else None  # None: "No date"
        if key != month_key:
            if sections:
                sections[opened] = sections[opened]._replace(
                    month_photos=row - sections[opened].start)
            opened, month_key = len(sections), key
            sections.append(Section(row, end, month, day, year, True))
        else:
            sections.append(Section(row, end, month, day, year))
        row = end
    if sections:
        sections[opened] = sections[opened]._replace(month_photos=row - sections[opened].start)
    return sections


@functools.lru_cache(maxsize=1 << 16)  # days of a library: a few thousand, asked on each reset
def _labels(language: str, day_key: str | None) -> tuple[str, str | None, int | None]:
    """("March 2023", "Tuesday 14", 2023) for "2023-03-14" in ``language`` (the default
    QLocale's name, which ``desktop_app.i18n.install`` sets with the translators); "No date"
    for none (or nonsense)."""
    if day_key is None:
        return no_date(), None, None
    try:
        when = Date(int(day_key[0:4]), int(day_key[5:7]), int(day_key[8:10]))
    except ValueError:
        return no_date(), None, None
    locale, day = QLocale(), QDate(when.year, when.month, when.day)
    month = locale.toString(day, translate(
        "Timeline", "MMMM yyyy", "a month's header: a QLocale date format"))
    weekday = locale.toString(day, translate(
        "Timeline", "dddd d", "a day's label in the timeline: a QLocale date format"))
    return month, weekday, when.year


def years(sections: Sequence[Section]) -> list[tuple[str, int]]:
    """The years present, newest first, each with the index of its first section in the grid
    (whatever the order of the grid); "No date" last when some photos have none."""
    first: dict[int, int] = {}
    undated: int | None = None
    for n, section in enumerate(sections):
        if not section.opens_month:
            continue
        if section.year is None:  # a month header with no year: "No date"
            if undated is None:
                undated = n
        elif section.year not in first:
            first[section.year] = n
    listed = [(str(year), first[year]) for year in sorted(first, reverse=True)]
    if undated is not None:
        listed.append((sections[undated].month or no_date(), undated))
    return listed


@dataclass(frozen=True)
class Metrics:
    """The grid's measures in pixels: ``columns`` cells of ``cell_width`` × ``cell_height`` a
    line; a month header takes ``month_height``, a line where a day begins ``day_height``
    more, for the day's label above its first tile."""

    columns: int
    cell_width: int
    cell_height: int
    month_height: int
    day_height: int


class Layout:
    """Where lines, headers and rows lie in the grid's content (y grows down from 0).

    A month starts a new line under its header, which spans the width; within a month the days
    follow one another on the same lines (a day of one photo takes one cell, not a line), and
    a line on which a day begins is taller by a lane for that day's label. Built in one pass
    over the lines (rows / columns of them); every query after that is a bisection.
    """

    def __init__(self, sections: Sequence[Section], metrics: Metrics) -> None:
        self.sections = list(sections)
        self.metrics = m = metrics
        self.starts = [section.start for section in self.sections]  # bisect rows to days
        # One entry per line: its first row, one past its last, the top of its band (the month
        # header above it, if it opens one, and its day lane), and the top of its tiles.
        self.line_row: list[int] = []
        self.line_end: list[int] = []
        self.band_top: list[int] = []
        self.tiles: list[int] = []
        self.opens_month: list[bool] = []
        columns, y, s, count = m.columns, 0, 0, len(self.sections)
        while s < count:
            month_start = self.sections[s].start
            t = s + 1  # the month runs to the next section that opens one
            while t < count and not self.sections[t].opens_month:
                t += 1
            month_end = self.sections[t - 1].end
            header = m.month_height if self.sections[s].opens_month else 0
            day = s  # the next day that may begin on a line of this month
            for first in range(month_start, month_end, columns):
                end = min(first + columns, month_end)
                lane = False
                while day < t and self.sections[day].start < end:
                    lane = lane or self.sections[day].day is not None
                    day += 1
                self.line_row.append(first)
                self.line_end.append(end)
                self.band_top.append(y)
                self.opens_month.append(first == month_start and header > 0)
                y += (header if first == month_start else 0) + (m.day_height if lane else 0)
                self.tiles.append(y)
                y += m.cell_height
            s = t
        self.height = y
        self.rows = self.sections[-1].end if self.sections else 0

    def line_of_row(self, row: int) -> int:
        return bisect_right(self.line_row, row) - 1

    def line_at(self, y: int) -> int:
        """The line whose band (headers and tiles) holds ``y``; clamped to the first and
        last."""
        return max(0, min(len(self.band_top) - 1, bisect_right(self.band_top, y) - 1))

    def section_of_row(self, row: int) -> int:
        return bisect_right(self.starts, row) - 1

    def section_top(self, s: int) -> int:
        """The top of the band of the line where section ``s`` begins."""
        return self.band_top[self.line_of_row(self.sections[s].start)]

    def cell(self, row: int) -> tuple[int, int]:
        """(column, y of its tiles) of ``row``."""
        line = self.line_of_row(row)
        return row - self.line_row[line], self.tiles[line]

    def row_at(self, column: int, y: int) -> int | None:
        """The row in that column and line, or None: a header, a gap, past the end."""
        if not self.line_row or y < 0 or y >= self.height or not 0 <= column < self.metrics.columns:
            return None
        line = self.line_at(y)
        if y < self.tiles[line]:
            return None
        row = self.line_row[line] + column
        return row if row < self.line_end[line] else None

    def visible(self, top: int, bottom: int) -> Iterator[int]:
        """The lines whose bands cross [top, bottom], top to bottom."""
        if not self.line_row:
            return
        line = self.line_at(top)
        while line < len(self.band_top) and self.band_top[line] <= bottom:
            yield line
            line += 1

    def days_on(self, line: int) -> list[tuple[int, int, str]]:
        """(first column, one past its last on this line, label) of each day that begins on
        ``line``: where its label goes."""
        first, end = self.line_row[line], self.line_end[line]
        s = bisect_left(self.starts, first)
        begun: list[tuple[int, int, str]] = []
        while s < len(self.starts) and self.starts[s] < end:
            section = self.sections[s]
            if section.day is not None:
                stop = min(end, self.starts[s + 1] if s + 1 < len(self.starts) else end)
                begun.append((section.start - first, stop - first, section.day))
            s += 1
        return begun

    # -- moving the cursor: headers are not items, so moving skips them by construction -------

    def row_above(self, row: int) -> int:
        line = self.line_of_row(row)
        if line == 0:
            return row
        column = row - self.line_row[line]
        return min(self.line_row[line - 1] + column, self.line_end[line - 1] - 1)

    def row_below(self, row: int) -> int:
        line = self.line_of_row(row)
        if line + 1 == len(self.line_row):
            return row
        column = row - self.line_row[line]
        return min(self.line_row[line + 1] + column, self.line_end[line + 1] - 1)

    def row_near(self, column: int, y: int) -> int:
        """The row nearest to (column, y): a header gives the line below it."""
        line = self.line_at(max(0, min(self.height - 1, y)))
        return min(self.line_row[line] + column, self.line_end[line] - 1)
