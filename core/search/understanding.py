"""What people type, understood: "beach 2023", "sunset in Paris", "dog last summer".

``understand`` reads a query as typed and takes out what a filter answers better than the model:
dates (years, months, seasons, holidays, relative and explicit dates, ranges), the places and
cameras the library knows (a ``Vocabulary`` its caller builds from the catalog with
``build_vocabulary``) and file kinds. The words left go to the model. Each thing understood is
a ``Chip`` the app shows with the span of text that produced it, so that a wrong guess is one
click from undone: ``keep_literal`` puts the chip's words in quotes, and quoted words are never
understood.

English is read case-insensitively, whole words only; simplified Chinese on characters (it has
no spaces). Everything here is pure: no I/O, no catalog, patterns compiled once at import, and
quick enough for every keystroke (a typical query takes a few tens of microseconds).

Readings that are choices, not facts:

- Seasons are the northern hemisphere's meteorological ones: spring March to May, summer June
  to August, autumn ("fall") September to November, winter December to February.
- "summer 2022" is June to August 2022. A winter straddles two years, so "winter 2022" is the
  winter days *of* 2022: January, February and December 2022 (the year and the yearly span).
- "last summer" is the most recent summer that has ended (on 2 December 2026 that is summer
  2026; on 1 July 2026, summer 2025); "this summer" is this year's. "last winter" is the most
  recent winter that has ended, "this winter" the one that began most recently. Months and
  holidays read the same way ("last march", "last christmas").
- Weeks start on Monday. "last week" is the calendar week before this one; "past week" and
  "past 7 days" are the seven days up to today. "3 weeks ago" is that calendar week, "3 months
  ago" that calendar month, "2 years ago" that calendar year.
- Holidays: Christmas is 24 to 26 December; New Year is 31 December and 1 January ("new year
  2020": 31 December 2019 and 1 January 2020; "new year's eve 2019": the same two days);
  Easter is Easter Sunday and the days either side (dateutil's Western Easter), US
  Thanksgiving the fourth Thursday of November and the days either side, Chinese New Year
  (春节) its eve to the sixth day, from a table of 2000-2035. Without a year, a holiday that
  moves is the window of days it can fall on (Easter: 21 March to 26 April, every year).
- "before 2020" ends when 2020 begins; "after 2018" starts when 2018 ends; "since" and "until"
  include their date. Several date expressions all apply (their spans intersect).
- One place and one camera: a second one stays text for the model, unless it is a place the
  first lies in, right after it ("Paris, France"). File kinds add up ("png gif").
- A place that is also an everyday word ("Nice", "Reading", "Central") is understood only when
  written with a capital after in/at/from; such a camera word ("galaxy", "apple") only after
  "my", "with", "shot on"... (``Vocabulary.cautious``).
- "screenshots", "christmas tree", "easter eggs", "hot spring" stay words for the model.

Explicit dates are read by shape ("2021-03-04", "March 3, 2021", "3 March 2021", "2021-03",
"2021年3月4日"); digits alone only where one order of day and month fits ("25/12/2021"):
"03/04/2021" stays words, as its order would be a guess. dateutil gives Easter and month
arithmetic; its parser is not used: each shape here is isolated and exact already, and the
parser would guess where they do not (and add some 40 ms to the import).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from core.search.filters import Filters, YearlySpan

ChipKind = Literal["date", "place", "camera", "type"]


@dataclass(frozen=True)
class Vocabulary:
    """What this library knows: the places its photos were taken in and its cameras.

    Keys are casefolded words as a person types them ("paris", "new york", "iphone 12"); values
    are what ``Filters.place`` / ``Filters.camera`` take. ``cautious`` keys are everyday words
    as well ("nice", "galaxy"): understood only with a connecting word before them (see the
    module's notes)."""

    places: Mapping[str, str]
    cameras: Mapping[str, str]
    cautious: frozenset[str] = frozenset()
    # place (a value of ``places``, folded) -> the places it lies in, folded: "paris" ->
    # {"ile-de-france", "france"}; so that "Paris, France" is one place and "Paris Tokyo" two
    within: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # the keys' beginnings, word by word ("new", "new york"): a run of typed words that begins
    # no key is left at once (built here, once, not on every keystroke)
    _prefixes: frozenset[str] = field(init=False, repr=False, compare=False,
                                      default=frozenset())

    def __post_init__(self) -> None:
        prefixes = set()
        for table in (self.places, self.cameras):
            for key in table:
                for m in _TOKEN.finditer(key):
                    prefixes.add(key[:m.end()])
        object.__setattr__(self, "_prefixes", frozenset(prefixes))


@dataclass(frozen=True)
class Chip:
    """One thing understood, as the app shows it."""

    kind: ChipKind
    label: str  # "2023", "Summer 2025", "March", "Christmas 2019", "Paris", "iPhone", "PNG"
    start: int  # the span of typed text that produced it, connecting words included
    end: int


@dataclass(frozen=True)
class Understanding:
    text: str  # the words left for the model, tidied ("" when everything was a filter)
    filters: Filters
    chips: tuple[Chip, ...]


# -- words -----------------------------------------------------------------------------------

# Characters of scripts written without spaces (CJK and what follows it in Unicode, from
# U+2E80 on): each one a token. Written as a negated class, which re compiles quickly.
_WIDE = "[^\x00-\u2e7f]"
# A letter or digit of a spaced script, next to which a word does not end. A class over the
# CJK ranges costs re milliseconds to compile (tens with IGNORECASE), so only the tokens use
# one; word ends are checked against Latin, Greek and Cyrillic, which is what they meet.
_LW = "[0-9A-Za-z_\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]"

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTHS: dict[str, int] = {name.casefold(): n for n, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update(
    jan=1, feb=2, mar=3, apr=4, jun=6, jul=7, aug=8, sep=9, sept=9, oct=10, nov=11, dec=12
)
# Months that are also common words or names ("may I", "Jan and me", "Jun"): a month only
# with a day or a year, or after in/from/during/last... .
_GUARDED_MONTHS = frozenset({"may", "jan", "jun"})
# ...and never before these, whatever comes first: "this may be", "in may I ask"
_NOT_A_MONTH_BEFORE = frozenset("be have not never also well i you we he she they it".split())

_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
            "winter": "winter"}
_SEASON_SPANS = {
    "spring": ((3, 1), (5, 31)), "summer": ((6, 1), (8, 31)),
    "autumn": ((9, 1), (11, 30)), "winter": ((12, 1), (2, 29)),
}
_SEASON_LABELS = {"spring": ("Spring", "春天"), "summer": ("Summer", "夏天"),
                  "autumn": ("Autumn", "秋天"), "winter": ("Winter", "冬天")}
# A season word that names a thing here: "hot spring", "spring rolls", "free fall".
_SEASON_NOT_AFTER = {
    "spring": frozenset({"hot", "thermal", "mineral", "natural", "box", "coil"}),
    "autumn": frozenset({"free", "water", "night", "snow", "rain", "land", "pit", "rock"}),
}
_SEASON_NOT_BEFORE = {
    "spring": frozenset({"roll", "rolls", "water", "onion", "onions", "mattress", "clean",
                         "cleaning"}),
    "autumn": frozenset({"down", "off", "over", "asleep", "apart"}),
}

# Chinese New Year's Day, 2000-2035 (checked against the new moons of those years).
_CNY = {
    2000: (2, 5), 2001: (1, 24), 2002: (2, 12), 2003: (2, 1), 2004: (1, 22), 2005: (2, 9),
    2006: (1, 29), 2007: (2, 18), 2008: (2, 7), 2009: (1, 26), 2010: (2, 14), 2011: (2, 3),
    2012: (1, 23), 2013: (2, 10), 2014: (1, 31), 2015: (2, 19), 2016: (2, 8), 2017: (1, 28),
    2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22),
    2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
    2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}
_CNY_DAYS = sorted(date(y, m, d) for y, (m, d) in _CNY.items())
# the days they can fall on: from the earliest eve to the latest sixth day
_CNY_FIRST = min((d - timedelta(days=1)).timetuple()[1:3] for d in _CNY_DAYS)
_CNY_LAST = max((d + timedelta(days=6)).timetuple()[1:3] for d in _CNY_DAYS)
_CNY_EVE_LAST = max((d - timedelta(days=1)).timetuple()[1:3] for d in _CNY_DAYS)

# id: (English label, Chinese label, yearly first (month, day), yearly last)
_HOLIDAYS: dict[str, tuple[str, str, tuple[int, int], tuple[int, int]]] = {
    "christmas": ("Christmas", "圣诞节", (12, 24), (12, 26)),
    "christmas_eve": ("Christmas Eve", "平安夜", (12, 24), (12, 24)),
    "christmas_day": ("Christmas Day", "圣诞节当天", (12, 25), (12, 25)),
    "nye": ("New Year's Eve", "跨年", (12, 31), (1, 1)),
    "new_year": ("New Year", "元旦", (12, 31), (1, 1)),
    "halloween": ("Halloween", "万圣节", (10, 31), (10, 31)),
    "valentine": ("Valentine's Day", "情人节", (2, 14), (2, 14)),
    "easter": ("Easter", "复活节", (3, 21), (4, 26)),
    "thanksgiving": ("Thanksgiving", "感恩节", (11, 21), (11, 29)),
    "cny": ("Chinese New Year", "春节", (_CNY_FIRST[0], _CNY_FIRST[1]),
            (_CNY_LAST[0], _CNY_LAST[1])),
    "cny_eve": ("Chinese New Year's Eve", "除夕", (_CNY_FIRST[0], _CNY_FIRST[1]),
                (_CNY_EVE_LAST[0], _CNY_EVE_LAST[1])),
    "national_day": ("National Day", "国庆", (10, 1), (10, 7)),
}
_HOLIDAY_PHRASES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _hid in [
    (("chinese", "new", "year"), "cny"), (("lunar", "new", "year"), "cny"),
    (("spring", "festival"), "cny"),
    (("new", "year's", "eve"), "nye"), (("new", "years", "eve"), "nye"),
    (("new", "year", "eve"), "nye"), (("nye",), "nye"),
    (("new", "year's", "day"), "new_year"), (("new", "years", "day"), "new_year"),
    (("new", "year's"), "new_year"), (("new", "years"), "new_year"), (("new", "year"), "new_year"),
    (("christmas", "eve"), "christmas_eve"), (("xmas", "eve"), "christmas_eve"),
    (("christmas", "day"), "christmas_day"), (("christmas",), "christmas"),
    (("xmas",), "christmas"), (("halloween",), "halloween"),
    (("st", "valentine's", "day"), "valentine"), (("valentine's", "day"), "valentine"),
    (("valentines", "day"), "valentine"), (("valentine", "day"), "valentine"),
    (("valentine's",), "valentine"), (("valentines",), "valentine"),
    (("easter", "sunday"), "easter"), (("easter",), "easter"),
    (("thanksgiving", "day"), "thanksgiving"), (("thanksgiving",), "thanksgiving"),
]:
    _HOLIDAY_PHRASES.setdefault(_words[0], []).append((_words, _hid))
for _phrases in _HOLIDAY_PHRASES.values():
    _phrases.sort(key=lambda p: -len(p[0]))
# A holiday word that names a thing here: "christmas tree", "easter eggs", "easter island".
_HOLIDAY_NOT_BEFORE = frozenset(
    "tree trees light lights market markets card cards decoration decorations ornament "
    "ornaments sweater sweaters jumper jumpers cookie cookies egg eggs bunny bunnies costume "
    "costumes pumpkin pumpkins candy island wreath stocking stockings lily lilies cactus "
    "movie movies song songs carol carols".split()
)

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
          "months": "month", "year": "year", "years": "year"}

# file kind: (extensions for Filters.types, label)
_TYPES: dict[str, tuple[tuple[str, ...], str]] = {}
for _names, _exts, _label in [
    ("png pngs", ("png",), "PNG"),
    ("jpg jpgs jpeg jpegs", ("jpg", "jpeg"), "JPEG"),
    ("heic heif", ("heic", "heif"), "HEIC"),
    ("gif gifs", ("gif",), "GIF"),
    ("webp webps", ("webp",), "WebP"),
    ("tif tifs tiff tiffs", ("tif", "tiff"), "TIFF"),
    ("bmp bmps", ("bmp",), "BMP"),
]:
    for _name in _names.split():
        _TYPES[_name] = (_exts, _label)
_TYPE_AFTER = frozenset("files file images image photos photo pictures picture pics only "
                        "format".split())

# Connecting words: taken into a chip's span, left out of its words (``keep_literal``).
_DATE_BEFORE = frozenset({"in", "from", "during", "on", "at", "over", "within"})
_PLACE_BEFORE = frozenset({"in", "at", "from"})
_ZH_BEFORE = frozenset({"在", "于", "从"})
_CAMERA_VERBS = frozenset({"taken", "shot", "photographed", "captured", "filmed"})
_CAMERA_PREPS = frozenset({"with", "on", "using", "by", "from"})
_CAMERA_DETS = frozenset({"my", "a", "an", "the", "our", "his", "her", "their"})
_ZH_CAMERA_BEFORE = ("使用", "用", "拿")
_TYPE_BEFORE = frozenset({"in", "as"})

# Ranges: "from 2019 to 2021", "between March and May 2020", "2019 - 2021", "before 2020".
_RANGE_TO = frozenset({"to", "until", "till", "til", "through", "thru"})  # "between": "and"
_ZH_RANGE_TO = frozenset({"到", "至"})
_BOUND_WORDS = {"before": "before", "after": "after", "since": "since", "until": "until",
                "till": "until", "til": "until"}

# Left dangling next to something understood: dropped from the model's text.
_FILLER = ("photos|photo|pictures|picture|pics|pic|images|image|shots|of|from|in|at|on|during|"
           "with|my|our|the|and|taken|shot|for|by")
_PUNCT_CHARS = ",;:&+/.-–—~，、。；：～"
_PUNCT = rf"[\s{re.escape(_PUNCT_CHARS)}]+"
_LEAD_FILLER = re.compile(
    rf"(?:{_PUNCT}|(?i:{_FILLER})(?!{_LW})|的照片|的图片|的相片|的时候|拍摄的|拍的|照片|图片|相片"
    r"|时候|期间|拍摄|拍(?=的|\s|$)|时(?=的|\s|$)|的|在|和|与)"
)
_TRAIL_FILLER = re.compile(  # after the text's own trailing spaces and marks
    rf"(?:(?<!{_LW})(?i:{_FILLER})|的照片|的图片|的相片|拍摄的|拍的|照片|图片|相片|的|和|与|在|从)$"
)
_LEAD_PUNCT = re.compile(_PUNCT)
_SPACES = re.compile(r"\s+")

# -- Chinese ---------------------------------------------------------------------------------

_ZH_FIXED: dict[str, tuple[str, str]] = {}
for _kind, _value, _wordlist in [
    ("year", "0", "今年"), ("year", "-1", "去年"), ("year", "-2", "前年"), ("year", "-3", "大前年"),
    ("month", "0", "这个月 本月 这月"), ("month", "-1", "上个月 上月"),
    ("week", "0", "这周 本周 这个星期 这星期 本星期 这个礼拜 这礼拜"),
    ("week", "-1", "上周 上个星期 上星期 上个礼拜 上礼拜"),
    ("day", "0", "今天 今日"), ("day", "-1", "昨天 昨日"), ("day", "-2", "前天"),
    ("season", "spring", "春天 春季"), ("season", "summer", "夏天 夏季"),
    ("season", "autumn", "秋天 秋季"), ("season", "winter", "冬天 冬季"),
    ("holiday", "christmas", "圣诞节 圣诞"), ("holiday", "christmas_eve", "平安夜"),
    ("holiday", "new_year", "元旦"), ("holiday", "nye", "跨年"),
    ("holiday", "cny", "春节 过年 农历新年"), ("holiday", "cny_eve", "除夕 大年三十"),
    ("holiday", "national_day", "国庆节 国庆"), ("holiday", "valentine", "情人节"),
    ("holiday", "halloween", "万圣节"), ("holiday", "easter", "复活节"),
    ("holiday", "thanksgiving", "感恩节"),
    ("bound", "before", "以前 之前"), ("bound", "after", "以后 之后"), ("bound", "since", "以来"),
]:
    for _w in _wordlist.split():
        _ZH_FIXED[_w] = (_kind, _value)

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_NUM = r"(?:\d{1,3}|[一两二三四五六七八九十]{1,3})"
_ZH_DAY_NUM = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZH_AGO = re.compile(rf"({_ZH_NUM})(天|周|个星期|个礼拜|星期|个月|年)前")
_ZH_PAST = re.compile(rf"(?:最近|过去|近)的?({_ZH_NUM})(天|周|个星期|个礼拜|个月|年)")
_ZH_DECADE = re.compile(r"(\d{2}|\d{4})年代")
_ZH_YEAR = re.compile(r"(\d{4}|[零〇一二三四五六七八九]{4})年")
_ZH_MONTH = re.compile(
    rf"(\d{{1,2}}|十[一二]?|[一二三四五六七八九])月份?(?:({_ZH_DAY_NUM})[日号])?"
)

_ZH_WORD = "|".join(
    [re.escape(w) for w in sorted(_ZH_FIXED, key=len, reverse=True)]
    + [p.pattern for p in (_ZH_AGO, _ZH_PAST, _ZH_DECADE, _ZH_YEAR, _ZH_MONTH)]
)
_ZH_UNITS = {"天": "day", "周": "week", "个星期": "week", "个礼拜": "week", "星期": "week",
             "个月": "month", "年": "year"}
_ZH_UNIT_LABELS = {"day": "天", "week": "周", "month": "个月", "year": "年"}


def _zh_number(text: str) -> int:
    """"3", "十二", "二十一", "两", "二〇二三" as numbers (0 when it is none)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH_DIGITS.get(tens, 0) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0))
    value = 0
    for char in text:
        if char not in _ZH_DIGITS:
            return 0
        value = value * 10 + _ZH_DIGITS[char]
    return value


# -- tokens ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    rf"(?P<span>(?<!{_LW})\d{{4}}\s*[-–—~～]\s*\d{{4}}(?!{_LW}))"
    rf"|(?P<iso>(?<!{_LW})\d{{4}}(?P<sep>[-/.])\d{{1,2}}(?:(?P=sep)\d{{1,2}})?(?!{_LW}))"
    rf"|(?P<dmy>(?<!{_LW})\d{{1,2}}(?P<sep2>[-/.])\d{{1,2}}(?P=sep2)\d{{4}}(?!{_LW}))"
    rf"|(?![A-Za-z])(?P<zh>{_ZH_WORD})"
    rf"|(?P<word>(?:(?!{_WIDE})\w)+(?:['’][A-Za-z]+)*)"
    rf"|(?P<cjk>{_WIDE})"
)
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_DECADE = re.compile(r"(?:(1[89]|20)(\d)0|(\d)0)s")
_JOIN_GAP = re.compile(r"\s*[,，、]?\s*")
_DASH_GAP = re.compile(r"\s*[-–—~～]\s*")
_KEY_GAP = re.compile(r"\s+|[-./'’&]\s*")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    key: str  # casefolded, curly apostrophes straightened
    start: int
    end: int
    kind: str  # "word", "cjk", "zh" (a Chinese date word), "iso", "dmy", "span"


def _tokens(typed: str, start: int, end: int) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(typed, start, end):
        kind = m.lastgroup or "word"
        if kind in ("sep", "sep2"):
            kind = "iso" if kind == "sep" else "dmy"
        text = m.group()
        out.append(_Token(text, text.casefold().replace("’", "'"), m.start(), m.end(), kind))
    return out


EMPTY_VOCABULARY = Vocabulary({}, {})

# -- dates -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Period:
    """Days that come back every year: a month, a day of a month, a season, a holiday."""

    kind: Literal["month", "day", "season", "holiday"]
    name: str = ""  # the season or holiday
    month: int = 0
    day: int = 0

    @property
    def yearly(self) -> YearlySpan:
        if self.kind == "month":
            return YearlySpan((self.month, 1), (self.month, _month_days(2000, self.month)))
        if self.kind == "day":
            return YearlySpan((self.month, self.day), (self.month, self.day))
        if self.kind == "season":
            first, last = _SEASON_SPANS[self.name]
            return YearlySpan(first, last)
        _en, _zh, first, last = _HOLIDAYS[self.name]
        return YearlySpan(first, last)

    def label(self, zh: bool) -> str:
        if self.kind == "month":
            return f"{self.month}月" if zh else _MONTH_NAMES[self.month - 1]
        if self.kind == "day":
            return (f"{self.month}月{self.day}日" if zh
                    else f"{self.day} {_MONTH_NAMES[self.month - 1]}")
        if self.kind == "season":
            return _SEASON_LABELS[self.name][1 if zh else 0]
        english, chinese, _first, _last = _HOLIDAYS[self.name]
        return chinese if zh else english

    def occurrence(self, year: int) -> tuple[date, date] | None:
        """The days (end exclusive) of the one that begins in ``year``; None where there is
        none (29 February of a common year, Chinese New Year outside the table)."""
        if self.kind == "month":
            first = date(year, self.month, 1)
            return first, first + relativedelta(months=1)
        if self.kind == "day":
            if self.day > _month_days(year, self.month):
                return None
            first = date(year, self.month, self.day)
            return first, first + timedelta(days=1)
        if self.kind == "season":
            (m1, _), (m2, _) = _SEASON_SPANS[self.name]
            first = date(year, m1, 1)
            return first, date(year + (m2 < m1), m2, 1) + relativedelta(months=1)
        one = timedelta(days=1)
        if self.name == "easter":
            sunday = easter(year)
            return sunday - one, sunday + 2 * one
        if self.name == "thanksgiving":
            november = date(year, 11, 1)
            thursday = november + timedelta(days=(3 - november.weekday()) % 7 + 21)
            return thursday - one, thursday + 2 * one
        if self.name in ("cny", "cny_eve"):
            if year not in _CNY:
                return None
            new_year = date(year, *_CNY[year])
            return new_year - one, (new_year if self.name == "cny_eve" else new_year + 7 * one)
        _en, _zh, (m1, d1), (m2, d2) = _HOLIDAYS[self.name]
        return date(year, m1, d1), date(year + ((m2, d2) < (m1, d1)), m2, d2) + one

    def in_year(self, year: int) -> tuple[date, date] | None:
        """The days of this in ``year`` ("christmas 2019"), or None when that is not one span
        of days: the caller takes the year and the yearly span together (winter)."""
        if self.kind == "season" and self.name == "winter":
            return None
        if self.name == "new_year":
            return self.occurrence(year - 1)
        return self.occurrence(year)

    def occurrence_label(self, start: date, zh: bool) -> str:
        year = start.year
        if self.name == "winter":
            return f"{year}–{year + 1}年冬天" if zh else f"Winter {year}–{(year + 1) % 100:02d}"
        if self.name == "new_year":
            year += 1
        return f"{year}年{self.label(True)}" if zh else f"{self.label(False)} {year}"


@dataclass(frozen=True, slots=True)
class _When:
    """A date expression, read: absolute days (end exclusive) and/or days of every year."""

    start: date | None
    end: date | None
    yearly: YearlySpan | None
    label: str
    zh: bool = False
    period: _Period | None = None  # set when not tied to a year ("march", "christmas")
    year: int | None = None  # the calendar year it lies in, where it names one
    whole_year: bool = False  # exactly one calendar year: a year can anchor a period


# Shaped like a date, naming none ("february 30 2021", "03/04/2021": which is the month?): its
# words stay words, all of them.
_NOTHING = _When(None, None, None, "")


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _day_label(day: date, zh: bool) -> str:
    if zh:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def _month_when(year: int, month: int, zh: bool) -> _When:
    first = date(year, month, 1)
    label = f"{year}年{month}月" if zh else f"{_MONTH_NAMES[month - 1]} {year}"
    return _When(first, first + relativedelta(months=1), None, label, zh, year=year)


def _year_when(year: int, zh: bool) -> _When:
    return _When(date(year, 1, 1), date(year + 1, 1, 1), None, f"{year}年" if zh else str(year),
                 zh, year=year, whole_year=True)


def _day_when(day: date, zh: bool, label: str | None = None) -> _When:
    return _When(day, day + timedelta(days=1), None, label or _day_label(day, zh), zh,
                 year=day.year)


def _period_when(period: _Period, zh: bool) -> _When:
    return _When(None, None, period.yearly, period.label(zh), zh, period=period)


def _anchored(period: _Period, year: int, zh: bool) -> _When:
    """``period`` in ``year``: "summer 2022", "christmas 2019", "winter 2022"."""
    label = f"{year}年{period.label(True)}" if zh else f"{period.label(False)} {year}"
    days = period.in_year(year)
    if days is None:
        return _When(date(year, 1, 1), date(year + 1, 1, 1), period.yearly, label, zh, year=year)
    return _When(days[0], days[1], None, label, zh, year=year)


def _last_occurrence(period: _Period, today: date, zh: bool) -> _When | None:
    """The most recent one that has ended ("last summer", "last christmas")."""
    for year in range(today.year, today.year - 3, -1):
        days = period.occurrence(year)
        if days is not None and days[1] <= today:
            return _When(days[0], days[1], None, period.occurrence_label(days[0], zh), zh,
                         year=days[0].year)
    return None


def _this_occurrence(period: _Period, today: date, zh: bool) -> _When | None:
    """This year's ("this summer"); for a winter, the one that began most recently."""
    if period.name == "winter":
        for year in (today.year, today.year - 1):
            days = period.occurrence(year)
            if days is not None and days[0] <= today:
                return _When(days[0], days[1], None, period.occurrence_label(days[0], zh), zh)
        return None
    days = period.in_year(today.year)
    if days is None:
        return None
    return _When(days[0], days[1], None, period.occurrence_label(days[0], zh), zh,
                 year=today.year)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _ago(count: int, unit: str, today: date, zh: bool) -> _When | None:
    """"3 days ago": that day; "2 weeks ago", "3 months ago", "2 years ago": that calendar
    week, month, year."""
    if count < 0 or count > 200:
        return None
    if unit == "day":
        return _day_when(today - timedelta(days=count), zh)
    if unit == "week":
        first = _week_start(today) - timedelta(weeks=count)
        label = (f"{count}周前" if zh else
                 f"Week of {first.day} {_MONTH_NAMES[first.month - 1]} {first.year}")
        return _When(first, first + timedelta(weeks=1), None, label, zh)
    if unit == "month":
        first = today.replace(day=1) - relativedelta(months=count)
        return _month_when(first.year, first.month, zh)
    if today.year - count < 1900:
        return None
    return _year_when(today.year - count, zh)


def _past(count: int, unit: str, today: date, zh: bool, bare: bool = False) -> _When | None:
    """"past 30 days": the ``count`` days, weeks... up to and including today."""
    if count < 1 or count > 200:
        return None
    until = today + timedelta(days=1)
    if unit == "day":
        start = until - timedelta(days=count)
    elif unit == "week":
        start = until - timedelta(weeks=count)
    elif unit == "month":
        start = until - relativedelta(months=count)
    else:
        start = until - relativedelta(years=count)
    if zh:
        label = f"最近{count}{_ZH_UNIT_LABELS[unit]}"
    elif bare:
        label = f"Past {unit}"
    else:
        label = f"Past {count} {unit}{'s' if count != 1 else ''}"
    return _When(start, until, None, label, zh)


def _this_or_last_unit(unit: str, back: int, today: date, zh: bool) -> _When:
    if unit == "day":
        day = today - timedelta(days=back)
        label = ("今天", "昨天", "前天")[back] if zh else ("Today", "Yesterday", "")[back]
        return _day_when(day, zh, label or None)
    if unit == "week":
        first = _week_start(today) - timedelta(weeks=back)
        label = ("本周" if back == 0 else "上周") if zh else ("This week" if back == 0
                                                            else "Last week")
        return _When(first, first + timedelta(weeks=1), None, label, zh)
    if unit == "month":
        first = today.replace(day=1) - relativedelta(months=back)
        return _month_when(first.year, first.month, zh)
    return _year_when(today.year - back, zh)


# -- the parser ------------------------------------------------------------------------------

# The words a date can begin with (besides digits and Chinese date words).
_DATE_STARTERS = (
    frozenset(_MONTHS) | frozenset(_SEASONS) | frozenset(_HOLIDAY_PHRASES)
    | frozenset(_NUMBER_WORDS) | frozenset(_BOUND_WORDS) | _DATE_BEFORE
    | frozenset({"today", "tonight", "yesterday", "this", "last", "past", "previous",
                 "current", "between", "the"})
)
_TYPE_STARTERS = frozenset(_TYPES) | _TYPE_BEFORE


@dataclass(frozen=True, slots=True)
class _Match:
    end: int  # token index after the match
    kind: ChipKind
    label: str
    when: _When | None = None
    value: str | None = None
    types: tuple[str, ...] = ()


class _Parser:
    """Reads one unquoted stretch of the typed text."""

    def __init__(self, typed: str, toks: list[_Token], today: date, vocab: Vocabulary,
                 have_place: bool, have_camera: bool) -> None:
        self.typed = typed
        self.toks = toks
        self.n = len(toks)
        self.today = today
        self.vocab = vocab
        self.have_place = have_place
        self.have_camera = have_camera

    # small helpers

    def gap(self, j: int) -> str:
        """The text between token j-1 and token j."""
        return self.typed[self.toks[j - 1].end:self.toks[j].start]

    def key(self, j: int) -> str:
        return self.toks[j].key if j < self.n else ""

    def spaced(self, j: int) -> bool:
        """Token j follows token j-1 with only space between (or directly, across scripts)."""
        return j < self.n and not self.gap(j).strip()

    def joined(self, j: int) -> bool:
        return j < self.n and _JOIN_GAP.fullmatch(self.gap(j)) is not None

    def year_at(self, j: int) -> int | None:
        if j >= self.n:
            return None
        tok = self.toks[j]
        if tok.kind != "word" or len(tok.key) != 4 or not tok.key.isdigit():
            return None
        year = int(tok.key)
        if not 1900 <= year <= self.today.year + 1:
            return None
        # "1920 x 1080", "2000 px": a size, not a year
        if self.spaced(j + 1) and self.key(j + 1) in ("x", "×", "px", "mm"):
            return None
        if j > 0 and self.spaced(j) and self.key(j - 1) in ("x", "×"):
            return None
        return year

    def day_at(self, j: int) -> int | None:
        if j >= self.n or self.toks[j].kind != "word":
            return None
        m = _DAY_NUMBER.fullmatch(self.toks[j].key)
        if m is None or not 1 <= int(m.group(1)) <= 31:
            return None
        return int(m.group(1))

    def number_at(self, j: int) -> int | None:
        key = self.key(j)
        if key.isdigit() and len(key) <= 3:
            return int(key)
        return _NUMBER_WORDS.get(key)

    # dates

    def period_at(self, j: int, guarded_ok: bool) -> tuple[_Period, int] | None:
        """A month, season or holiday word (not tied to a year) at token j."""
        if j >= self.n or self.toks[j].kind != "word":
            return None
        key = self.toks[j].key
        for words, holiday in _HOLIDAY_PHRASES.get(key, ()):
            end = j + len(words)
            if end <= self.n and all(
                self.key(j + i) == w and (i == 0 or self.spaced(j + i))
                for i, w in enumerate(words)
            ):
                if self.spaced(end) and self.key(end) in _HOLIDAY_NOT_BEFORE:
                    return None
                return _Period("holiday", holiday), end
        if key in _MONTHS:
            if key in _GUARDED_MONTHS and (
                (not guarded_ok and self.year_at(j + 1) is None)
                or (self.spaced(j + 1) and self.key(j + 1) in _NOT_A_MONTH_BEFORE)
            ):
                return None
            return _Period("month", month=_MONTHS[key]), j + 1
        season = _SEASONS.get(key)
        if season is not None:
            if j > 0 and self.spaced(j) and self.key(j - 1) in _SEASON_NOT_AFTER.get(season, ()):
                return None
            if self.spaced(j + 1) and self.key(j + 1) in _SEASON_NOT_BEFORE.get(season, ()):
                return None
            return _Period("season", season), j + 1
        return None

    def explicit_day(self, j: int) -> tuple[_When, int] | None:
        """"March 3", "March 3rd, 2021", "3 March 2021", "3rd of March"."""
        month = day = None
        end = j
        if self.key(j) in _MONTHS and self.spaced(j + 1) and (day := self.day_at(j + 1)):
            month, end = _MONTHS[self.key(j)], j + 2
        elif (day := self.day_at(j)) is not None:
            k = j + 1
            if self.spaced(k) and self.key(k) == "of":
                k += 1
            if self.spaced(k) and self.key(k) in _MONTHS:
                month, end = _MONTHS[self.key(k)], k + 1
        if month is None or day is None:
            return None
        if self.joined(end) and (year := self.year_at(end)) is not None:
            if day > _month_days(year, month):
                return _NOTHING, end + 1
            return _day_when(date(year, month, day), False), end + 1
        if day > _month_days(2000, month):
            return _NOTHING, end
        return _period_when(_Period("day", month=month, day=day), False), end

    def numeric_day(self, j: int) -> tuple[_When, int]:
        """"25/12/2021", "12/25/2021", "04.04.2021": the day, where only one order makes
        sense; "03/04/2021" names none (March or April?)."""
        a, b, year = (int(p) for p in re.split(r"[-/.]", self.toks[j].text))
        if a > 12 >= b:
            a, b = b, a
        elif not (b > 12 >= a or a == b):
            return _NOTHING, j + 1
        month, day = a, b
        if not (1900 <= year <= self.today.year + 1 and 1 <= month <= 12
                and 1 <= day <= _month_days(year, month)):
            return _NOTHING, j + 1
        return _day_when(date(year, month, day), False), j + 1

    def zh_atom(self, j: int) -> tuple[_When, int] | None:
        text, today = self.toks[j].text, self.today
        fixed = _ZH_FIXED.get(text)
        if fixed is not None:
            kind, value = fixed
            if kind == "year":
                year = today.year + int(value)
                return _year_when(year, True), j + 1
            if kind in ("month", "week", "day"):
                return _this_or_last_unit(kind, -int(value), today, True), j + 1
            if kind == "season":
                return _period_when(_Period("season", value), True), j + 1
            if kind == "holiday":
                return _period_when(_Period("holiday", value), True), j + 1
            return None
        if m := _ZH_AGO.fullmatch(text):
            when = _ago(_zh_number(m.group(1)), _ZH_UNITS[m.group(2)], today, True)
            return (when, j + 1) if when else None
        if m := _ZH_PAST.fullmatch(text):
            when = _past(_zh_number(m.group(1)), _ZH_UNITS[m.group(2)], today, True)
            return (when, j + 1) if when else None
        if m := _ZH_DECADE.fullmatch(text):
            digits = m.group(1)
            first = int(digits) if len(digits) == 4 else (
                1900 + int(digits) if int(digits) >= 30 else 2000 + int(digits))
            if first % 10 or not 1900 <= first <= today.year:
                return None
            return _When(date(first, 1, 1), date(first + 10, 1, 1), None, f"{digits}年代",
                         True), j + 1
        if m := _ZH_YEAR.fullmatch(text):
            year = _zh_number(m.group(1))
            if not 1900 <= year <= today.year + 1:
                return None
            return _year_when(year, True), j + 1
        if m := _ZH_MONTH.fullmatch(text):
            month = _zh_number(m.group(1))
            if not 1 <= month <= 12:
                return None
            if m.group(2) is None:
                return _period_when(_Period("month", month=month), True), j + 1
            day = _zh_number(m.group(2))
            if not 1 <= day <= _month_days(2000, month):
                return None
            return _period_when(_Period("day", month=month, day=day), True), j + 1
        return None

    def atom(self, j: int, guarded_ok: bool) -> tuple[_When, int] | None:
        """One date expression at token j, without merging it with its neighbours."""
        if j >= self.n:
            return None
        tok, today = self.toks[j], self.today
        if tok.kind == "zh":
            return self.zh_atom(j)
        if tok.kind == "span":
            first, last = sorted(int(y) for y in re.findall(r"\d{4}", tok.text))
            if first < 1900 or last > today.year + 1:
                return None
            return _When(date(first, 1, 1), date(last + 1, 1, 1), None, f"{first}–{last}"), j + 1
        if tok.kind == "iso":
            parts = [int(p) for p in re.split(r"[-/.]", tok.text)]
            year, month = parts[0], parts[1]
            if not (1900 <= year <= today.year + 1 and 1 <= month <= 12):
                return None
            if len(parts) == 2:
                return _month_when(year, month, False), j + 1
            if not 1 <= parts[2] <= _month_days(year, month):
                return None
            return _day_when(date(year, month, parts[2]), False), j + 1
        if tok.kind == "dmy":
            return self.numeric_day(j)
        if tok.kind != "word":
            return None
        key = tok.key
        if (found_year := self.year_at(j)) is not None:
            return _year_when(found_year, False), j + 1
        if m := _DECADE.fullmatch(key):
            if m.group(1):
                first = int(m.group(1)) * 100 + int(m.group(2)) * 10
            else:
                first = (1900 if int(m.group(3)) >= 3 else 2000) + int(m.group(3)) * 10
            if not 1900 <= first <= today.year:
                return None
            return _When(date(first, 1, 1), date(first + 10, 1, 1), None, f"{first}s"), j + 1
        if key in ("today", "tonight"):
            return _this_or_last_unit("day", 0, today, False), j + 1
        if key == "yesterday":
            return _this_or_last_unit("day", 1, today, False), j + 1
        if key in ("this", "last", "past", "previous", "current"):
            return self.relative(j)
        # "3 days ago", "a week ago"
        count = self.number_at(j)
        if count is not None and self.spaced(j + 1) and self.key(j + 1) in _UNITS \
                and self.spaced(j + 2) and self.key(j + 2) == "ago":
            when = _ago(count, _UNITS[self.key(j + 1)], today, False)
            return (when, j + 3) if when else None
        if found := self.explicit_day(j):
            return found
        if found_period := self.period_at(j, guarded_ok):
            period, end = found_period
            return _period_when(period, False), end
        return None

    def relative(self, j: int) -> tuple[_When, int] | None:
        """"this week", "last month", "past 30 days", "last summer", "this christmas"."""
        word, k = self.key(j), j + 1
        if not self.spaced(k):
            return None
        nxt, today = self.key(k), self.today
        back = 0 if word in ("this", "current") else 1
        count = self.number_at(k)
        if word != "this" and count is not None and nxt not in ("a", "an") \
                and self.spaced(k + 1) and self.key(k + 1) in _UNITS:
            when = _past(count, _UNITS[self.key(k + 1)], today, False)
            return (when, k + 2) if when else None
        if nxt in ("week", "month", "year", "day"):
            if word == "past":
                when = _past(1, nxt, today, False, bare=True)
                return (when, k + 1) if when else None
            if nxt == "day":
                return None
            return _this_or_last_unit(nxt, back, today, False), k + 1
        if word == "past":
            return None
        found = self.period_at(k, guarded_ok=True)
        if found is None:
            return None
        period, end = found
        when = (_this_occurrence if back == 0 else _last_occurrence)(period, today, False)
        return (when, end) if when else None

    def when(self, j: int, guarded_ok: bool) -> tuple[_When, int] | None:
        """A date expression at token j, with a year next to it taken in: "march 2021",
        "2021 march", "christmas of 2019", "summer last year", "去年夏天", "2021年3月"."""
        found = self.atom(j, guarded_ok)
        if found is None:
            return None
        first, end = found
        if first is _NOTHING or not (first.period or first.whole_year) or end >= self.n:
            return found
        k = end
        if (first.period and self.spaced(k) and self.key(k) in ("of", "in")
                and self.spaced(k + 1)):
            k += 1  # "summer of 2022", "christmas in 2019"
        elif self.toks[k].text == "的" and self.gap(k) == "":
            k += 1  # "2022年的夏天"
        elif not self.joined(k):
            return found
        nxt = self.atom(k, guarded_ok=True)
        if nxt is None:
            return found
        second, end2 = nxt
        if first.period and second.whole_year and second.year is not None:
            period, year = first.period, second.year
        elif first.whole_year and second.period and first.year is not None:
            period, year = second.period, first.year
        else:
            return found
        return _anchored(period, year, first.zh or second.zh), end2

    def date_range(self, first: _When, second: _When) -> _When | None:
        """"from first to second"."""
        if first is _NOTHING or second is _NOTHING:
            return None
        zh = first.zh or second.zh
        if first.period and second.period:
            span = YearlySpan(first.period.yearly.first, second.period.yearly.last)
            label = f"{first.label}到{second.label}" if zh else f"{first.label} – {second.label}"
            return _When(None, None, span, label, zh)
        if first.period and second.year is not None and second.start is not None:
            period = first.period
            first = _anchored(period, second.year, zh)
            if first.start is not None and first.start > second.start:
                first = _anchored(period, second.year - 1, zh)  # "from december to feb 2021"
        elif second.period and first.year is not None and first.end is not None:
            period = second.period
            second = _anchored(period, first.year, zh)
            if second.end is not None and second.end < first.end:
                second = _anchored(period, first.year + 1, zh)
        if None in (first.start, first.end, second.start, second.end):
            return None
        assert first.start and second.end and second.start and first.end
        if second.end <= first.start:
            first, second = second, first
        start, end = first.start, second.end
        assert start and end
        a, b = first.label, second.label
        if a.isdigit() and b.isdigit():
            return _When(start, end, None, f"{a}–{b}")
        if zh:
            year_a, year_b = a.partition("年")[0], b.partition("年")[0]
            if year_a == year_b and year_a.isdigit() and b != f"{year_b}年":
                b = b.partition("年")[2]
            return _When(start, end, None, f"{a}到{b}", True)
        if a[-4:] == b[-4:] and a[-4:].isdigit() and a != a[-4:] and a[-5] == " ":
            a = a[:-5]
        return _When(start, end, None, f"{a} – {b}")

    def bound(self, kind: str, when: _When) -> _When | None:
        """"before 2020", "after 2018", "since March 2023", "until 2020", "2020年以前"."""
        today, zh = self.today, when.zh
        start = end = None
        if when.period is not None:
            if kind == "since":
                this = _this_occurrence(when.period, today, zh)
                if this is not None and this.start is not None and this.start > today:
                    this = None
                this = this or _last_occurrence(when.period, today, zh)
                start = this.start if this else None
            elif kind == "after":
                last = _last_occurrence(when.period, today, zh)
                start = last.end if last else None
            if start is None:
                return None
        elif when.start is None or when.end is None or when.yearly is not None:
            return None
        elif kind == "before":
            end = when.start
        elif kind == "after":
            start = when.end
        elif kind == "since":
            start = when.start
        else:
            end = when.end
        if zh:
            word = {"before": "以前", "after": "以后", "since": "以来", "until": "以前"}[kind]
            return _When(start, end, None, f"{when.label}{word}", True)
        return _When(start, end, None, f"{kind.capitalize()} {when.label}")

    def match_date(self, i: int) -> _Match | None:
        tok = self.toks[i]
        if tok.kind == "word" and tok.key not in _DATE_STARTERS and not tok.key[0].isdigit():
            return None  # most words: no date begins with them
        if tok.kind == "cjk" and tok.text not in _ZH_BEFORE:
            return None
        best: _Match | None = None
        toks = self.toks
        # connecting words: "in 2023", "during the summer", "在2023年"
        starts = [(i, False)]
        key = self.key(i)
        if (key in _DATE_BEFORE or toks[i].text in _ZH_BEFORE) and i + 1 < self.n \
                and (self.spaced(i + 1)):
            starts.append((i + 1, True))
            if self.key(i + 1) == "the" and self.spaced(i + 2):
                starts.append((i + 2, True))
        for s, connected in starts:
            found = self.dates_at(s, connected)
            if found is not None and (best is None or found.end > best.end):
                best = found
        return best

    def dates_at(self, s: int, connected: bool) -> _Match | None:
        """A date, a range or a bound at token s (connecting words before it end at s)."""
        key = self.key(s)
        # "before 2020", "since March 2023"
        bound = _BOUND_WORDS.get(key)
        if bound and self.spaced(s + 1):
            found = self.when(s + 1, guarded_ok=True)
            if found is not None:
                when = self.bound(bound, found[0])
                if when is not None:
                    return _Match(found[1], "date", when.label, when=when)
        # "from 2019 to 2021", "between march and may 2020", "从2019年到2021年"
        if (key in ("from", "between") or self.toks[s].text == "从") and s + 1 < self.n \
                and (self.spaced(s + 1)):
            ranged = self.range_from(s + 1, key == "between")
            if ranged is not None:
                return _Match(ranged[1], "date", ranged[0].label, when=ranged[0])
        found = self.when(s, guarded_ok=connected)
        if found is None:
            return None
        first, end = found
        # "2019 to 2021", "march - may"
        ranged = self.range_rest(first, end, between=False)
        if ranged is not None:
            return _Match(ranged[1], "date", ranged[0].label, when=ranged[0])
        # "2020年以前"
        if end < self.n and self.toks[end].kind == "zh" and self.spaced(end):
            fixed = _ZH_FIXED.get(self.toks[end].text)
            if fixed is not None and fixed[0] == "bound":
                when = self.bound(fixed[1], first)
                if when is not None:
                    return _Match(end + 1, "date", when.label, when=when)
        return _Match(end, "date", first.label, when=first)

    def range_from(self, s: int, between: bool) -> tuple[_When, int] | None:
        found = self.when(s, guarded_ok=True)
        if found is None:
            return None
        return self.range_rest(found[0], found[1], between)

    def range_rest(self, first: _When, end: int, between: bool) -> tuple[_When, int] | None:
        if end >= self.n:
            return None
        if _DASH_GAP.fullmatch(self.gap(end)) and self.gap(end):
            k = end
        elif self.spaced(end) and (
            (self.key(end) == "and") if between else
            (self.key(end) in _RANGE_TO or self.toks[end].text in _ZH_RANGE_TO)
        ) and self.spaced(end + 1):
            k = end + 1
        else:
            return None
        found = self.when(k, guarded_ok=True)
        if found is None:
            return None
        when = self.date_range(first, found[0])
        return (when, found[1]) if when else None

    # places, cameras, file kinds

    def key_at(self, s: int, table: Mapping[str, str]) -> tuple[str, str, int] | None:
        """The longest run of words from token s that is a key of ``table``: (key, value,
        end)."""
        best = None
        words = 0
        prefixes = self.vocab._prefixes
        for e in range(s, min(self.n, s + 8)):
            tok = self.toks[e]
            if tok.kind not in ("word", "cjk"):
                break
            if e > s and not (_KEY_GAP.fullmatch(self.gap(e)) or (
                    tok.kind == "cjk" and self.gap(e) == "")):
                break
            words += tok.kind == "word"
            if words > 5:
                break
            text = self.typed[self.toks[s].start:tok.end]
            key = " ".join(text.split()).casefold().replace("’", "'")
            if key not in prefixes:
                key = _strip_accents(key)
                if key not in prefixes:
                    break
            value = table.get(key)
            if value is not None:
                best = (key, value, e + 1)
        return best

    def match_place(self, i: int) -> _Match | None:
        if self.have_place or not self.vocab.places:
            return None
        places = self.vocab.places
        starts = [(i, False)]
        tok = self.toks[i]
        if (tok.key in _PLACE_BEFORE or tok.text in _ZH_BEFORE) and self.spaced(i + 1):
            starts.append((i + 1, True))
            if self.key(i + 1) == "the" and self.spaced(i + 2):
                starts.append((i + 2, True))
        best = None
        for s, connected in starts:
            found = self.key_at(s, places)
            if found is None:
                continue
            key, value, end = found
            if key in self.vocab.cautious and not (
                connected and self.toks[s].text[:1].isupper()
            ):
                continue
            label = value
            # "Paris, France": one place, said more precisely
            if self.joined(end) and (more := self.key_at(end, places)) is not None \
                    and _fold(more[1]) in self.vocab.within.get(_fold(value), ()):
                label, end = f"{value}, {more[1]}", more[2]
            if best is None or end > best.end:
                best = _Match(end, "place", label, value=value)
        return best

    def match_camera(self, i: int) -> _Match | None:
        if self.have_camera or not self.vocab.cameras:
            return None
        s = i
        if self.key(s) in _CAMERA_VERBS and self.spaced(s + 1):
            s += 1
        if self.key(s) in _CAMERA_PREPS and self.spaced(s + 1):
            s += 1
        if self.key(s) in _CAMERA_DETS and self.spaced(s + 1):
            s += 1
        if s == i and self.toks[i].text in ("使", "用", "拿"):
            for word in _ZH_CAMERA_BEFORE:
                k = i + len(word)
                if "".join(self.key(i + n) for n in range(len(word))) == word and k < self.n \
                        and self.spaced(k):
                    s = k
                    break
        for start in ((s, i) if s != i else (i,)):
            found = self.key_at(start, self.vocab.cameras)
            if found is None:
                continue
            key, value, end = found
            if key in self.vocab.cautious and start == i:
                continue
            return _Match(end, "camera", value, value=value)
        return None

    def match_type(self, i: int) -> _Match | None:
        if self.toks[i].key not in _TYPE_STARTERS:
            return None
        s = i
        if self.key(s) in _TYPE_BEFORE and self.spaced(s + 1):
            s += 1
        for start in ((s, i) if s != i else (i,)):
            if start >= self.n or self.toks[start].kind != "word":
                continue
            kind = _TYPES.get(self.toks[start].key)
            if kind is None:
                continue
            end = start + 1
            if self.spaced(end) and self.key(end) in _TYPE_AFTER:
                end += 1
            return _Match(end, "type", kind[1], types=kind[0])
        return None

    def parse(self) -> list[tuple[int, _Match]]:
        """Each thing understood, with the token it begins at, left to right; at each token
        the longest reading wins (a date before a file kind, a camera, a place)."""
        found: list[tuple[int, _Match]] = []
        i = 0
        while i < self.n:
            best = None
            for matcher in (self.match_date, self.match_type, self.match_camera,
                            self.match_place):
                m = matcher(i)
                if m is not None and (best is None or m.end > best.end):
                    best = m
            if best is None:
                i += 1
                continue
            if best.when is _NOTHING:
                i = best.end  # words shaped like a date that names none: words they stay
                continue
            if best.kind == "place":
                self.have_place = True
            elif best.kind == "camera":
                self.have_camera = True
            found.append((i, best))
            i = best.end
        return found


# -- putting it together ---------------------------------------------------------------------

_ACCENTED = re.compile("[\u00c0-\u036f\u1e00-\u1eff]")
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_ANY_QUOTE = re.compile('["“「『]')
# Quote marks left inside quoted words (「他说“你好”」) or with no partner: nothing for the model.
_QUOTE_MARKS = str.maketrans("", "", '"“”「」『』')


def _regions(typed: str) -> list[tuple[bool, int, int]]:
    """(quoted, start, end) stretches of the text, the quote marks left out. A quote left open
    runs to the end (it is being typed)."""
    if _ANY_QUOTE.search(typed) is None:
        return [(False, 0, len(typed))]
    out: list[tuple[bool, int, int]] = []
    plain = 0
    for m in _ANY_QUOTE.finditer(typed):
        opened = m.start()
        if opened < plain:
            continue
        if opened > plain:
            out.append((False, plain, opened))
        closed = typed.find(_QUOTES[m.group()], opened + 1)
        if closed < 0:
            closed = len(typed)
        out.append((True, opened + 1, closed))
        plain = closed + 1
    if plain < len(typed):
        out.append((False, plain, len(typed)))
    return out


def _strip_accents(text: str) -> str:
    if text.isascii() or not _ACCENTED.search(text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _intersect_yearly(a: YearlySpan, b: YearlySpan) -> YearlySpan:
    """The days in both, when they are one stretch; otherwise ``b`` (as ``Filters.merged``)."""
    days = [(m, d) for m in range(1, 13) for d in range(1, _month_days(2000, m) + 1)]
    inside = [a.contains(m, d) and b.contains(m, d) for m, d in days]
    if not any(inside):
        return b
    if all(inside):
        return a
    starts = [n for n in range(len(days)) if inside[n] and not inside[n - 1]]
    if len(starts) != 1:
        return b
    first = starts[0]
    last = first
    while inside[(last + 1) % len(days)]:
        last = (last + 1) % len(days)
    return YearlySpan(days[first], days[last])


def _as_datetime(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day)


def _tidy(typed: str, regions: list[tuple[bool, int, int]],
          cuts: list[tuple[int, int]]) -> str:
    """The text left for the model: the quoted words as they are, the rest without the cuts
    and without the filler those leave dangling ("photos from", "的")."""
    entries: list[tuple[str, str]] = []
    cut_at = 0
    for quoted, start, end in regions:
        if quoted:
            entries.append(("quoted", typed[start:end]))
            continue
        pos = start
        while cut_at < len(cuts) and cuts[cut_at][0] < end:
            cut_start, cut_end = cuts[cut_at]
            if cut_start > pos:
                entries.append(("plain", typed[pos:cut_start]))
            entries.append(("cut", ""))
            pos = cut_end
            cut_at += 1
        if pos < end:
            entries.append(("plain", typed[pos:end]))
    parts: list[str] = []
    for n, (kind, text) in enumerate(entries):
        if kind == "cut":
            parts.append(" ")
            continue
        text = text.translate(_QUOTE_MARKS)
        if kind == "plain":
            after_cut = n > 0 and entries[n - 1][0] == "cut"
            before_cut = n + 1 < len(entries) and entries[n + 1][0] == "cut"
            # words that lead into quoted ones belong to them: 'beach "2023" in "Paris"'
            into_quote = n + 1 < len(entries) and entries[n + 1][0] == "quoted"
            text = _without_filler(text, after_cut, before_cut, into_quote)
        if not text:
            continue
        if parts and parts[-1][-1:].isalnum() and text[:1].isalnum() \
                and not (_is_cjk(parts[-1][-1]) or _is_cjk(text[0])):
            parts.append(" ")  # words that only a quote mark kept apart
        parts.append(text)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _without_filler(text: str, after_cut: bool, before_cut: bool, into_quote: bool) -> str:
    """``text`` without the filler at the ends that touch a cut (moving indices, never
    searching the whole text again: a pasted page stays linear)."""
    start, end = 0, len(text)
    if after_cut:
        lead = _LEAD_PUNCT if into_quote else _LEAD_FILLER
        while (m := lead.match(text, start)) is not None and m.end() > start:
            start = m.end()
    if before_cut:
        while True:
            while end > start and (text[end - 1].isspace() or text[end - 1] in _PUNCT_CHARS):
                end -= 1
            m = _TRAIL_FILLER.search(text, max(start, end - 12), end)
            if m is None or m.start() == end:
                break
            end = m.start()
    return text[start:end]


def understand(
    typed: str, today: date, vocabulary: Vocabulary = EMPTY_VOCABULARY
) -> Understanding:
    """Read ``typed``: what becomes filters, as chips, and the words left for the model."""
    if isinstance(today, datetime):
        today = today.date()
    regions = _regions(typed)
    matches: list[_Match] = []
    spans: list[tuple[int, int]] = []
    have_place = have_camera = False
    for quoted, start, end in regions:
        if quoted:
            continue
        toks = _tokens(typed, start, end)
        if not toks:
            continue
        parser = _Parser(typed, toks, today, vocabulary, have_place, have_camera)
        for first, m in parser.parse():
            matches.append(m)
            spans.append((toks[first].start, toks[m.end - 1].end))
        have_place, have_camera = parser.have_place, parser.have_camera
    chips = tuple(
        Chip(m.kind, m.label, start, end) for m, (start, end) in zip(matches, spans, strict=True)
    )
    return Understanding(_tidy(typed, regions, spans), _filters(matches), chips)


def _filters(matches: list[_Match]) -> Filters:
    start: date | None = None
    end: date | None = None
    yearly: YearlySpan | None = None
    place = camera = None
    types: list[str] = []
    for m in matches:
        if m.kind == "date" and m.when is not None:
            w = m.when
            if w.start is not None:
                start = w.start if start is None else max(start, w.start)
            if w.end is not None:
                end = w.end if end is None else min(end, w.end)
            if w.yearly is not None:
                yearly = w.yearly if yearly is None else _intersect_yearly(yearly, w.yearly)
        elif m.kind == "place" and place is None:
            place = m.value
        elif m.kind == "camera" and camera is None:
            camera = m.value
        elif m.kind == "type":
            types.extend(t for t in m.types if t not in types)
    return Filters(
        taken_from=_as_datetime(start), taken_until=_as_datetime(end), yearly=yearly,
        camera=camera, place=place, types=tuple(types),
    )


def _connectors(words: Iterable[str], zh: Iterable[str] = ()) -> re.Pattern[str]:
    """The connecting words a chip's span may begin with."""
    latin = "|".join(sorted(words, key=len, reverse=True))
    chinese = "|".join(sorted(zh, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?:(?i:{latin})(?!{_LW})\s*|(?:{chinese})\s*)")


_CONNECTORS_BEFORE = {
    "date": _connectors(_DATE_BEFORE | {"the"}, _ZH_BEFORE),
    "place": _connectors(_PLACE_BEFORE | {"the"}, _ZH_BEFORE),
    "camera": _connectors(_CAMERA_VERBS | _CAMERA_PREPS | _CAMERA_DETS, _ZH_CAMERA_BEFORE),
    "type": _connectors(_TYPE_BEFORE),
}
_CONNECTORS_AFTER = re.compile(rf"\s+(?:{'|'.join(sorted(_TYPE_AFTER))})$", re.IGNORECASE)


def keep_literal(typed: str, chip: Chip) -> str:
    """``typed`` with the chip's words (not its connecting words) in double quotes, so that
    reading it again leaves them to the model: how the app undoes a chip."""
    start, end = chip.start, chip.end
    words = typed[start:end]
    before = _CONNECTORS_BEFORE[chip.kind]
    while (m := before.match(words)) is not None and 0 < m.end() < len(words):
        words, start = words[m.end():], start + m.end()
    if chip.kind == "type" and (m := _CONNECTORS_AFTER.search(words)) is not None:
        end -= len(words) - m.start()
    return f'{typed[:start]}"{typed[start:end]}"{typed[end:]}'


# -- the vocabulary --------------------------------------------------------------------------

# Never keys: the words of the language itself, and those the parser reads.
_NEVER_KEYS = frozenset(
    "a an the and or but nor of in on at to for from with without by as is are was were be "
    "been being am it its this that these those there here my our your his her their me us "
    "we you he she they them i not no yes all any some each every both few many more most "
    "other such only own same so than too very can will just should now then once up down "
    "out off over under again further into onto through during before after above below "
    "between about against near far around since until till ago last next past previous "
    "current today tonight yesterday tomorrow day days week weeks month months year years "
    "morning evening night afternoon weekend eve new what when where who why how which "
    "photo photos picture pictures pics pic image images shot shots taken files file only "
    "format camera phone".split()
) | frozenset(_MONTHS) | frozenset(_SEASONS) | frozenset(_NUMBER_WORDS) | frozenset(_TYPES) | \
    frozenset(w for phrases in _HOLIDAY_PHRASES.values() for words, _ in phrases for w in words)

# Everyday words that are also the names of towns or cameras: a key only with care.
_COMMON_WORDS = frozenset(
    "nice bath reading split mobile orange apple galaxy mate note nova plus pro max mini "
    "ultra alpha lite edge one beach lake river park garden church castle bridge harbor "
    "harbour bay hill hills mountain mountains valley forest wood woods field fields springs "
    "falls island islands canyon desert ocean sea coast port rock rocks cliff point cape fort "
    "mount grove haven view vista paradise hope eagle buffalo cork hull derby deal sandwich "
    "rugby sale leek battle street wells bury mold normal champion independence liberty "
    "enterprise commerce industry carnation temple union friendship central centre center "
    "north south east west northern southern eastern western upper lower middle old little "
    "great long short high low green red blue white black brown golden silver gold pink "
    "purple yellow grey gray bad good best fair grand royal sunset sunrise sunny rain rainbow "
    "snow snowflake ice sky star stars sun moon mars earth venus mercury surprise boring why "
    "hell bear wolf fox deer dog dogs cat cats horse lion tiger turkey guinea jersey "
    "male man mary joy hope love happy home house city town village country place station "
    "airport market square plaza mall school college university hospital museum library "
    "hotel restaurant cafe bar club office farm ranch mill bank post church chapel cross "
    "crossing junction bridge tower towers gate gates hall court manor palace abbey dale "
    "glen vale ford ferry pier dock marina beacon lighthouse windmill spring fountain well "
    "pond pool creek brook stream waterfall glacier volcano cave island peak ridge summit "
    "rose lily daisy ivy holly hazel olive laurel oak pine cedar maple elm ash willow birch "
    "palm orchard vineyard meadow prairie plains heath moor marsh swamp dune dunes cove "
    "harbor reef lagoon delta mesa butte bluff shore shores sands sand stone stones rocky "
    .split()
)

_CORPORATE = frozenset(
    "corporation corp corp. co co. ltd ltd. inc inc. company imaging optical electronics "
    "electric limited gmbh ag s.a. llc group international co.,ltd co.,ltd. co.,ltd "
    "technology technologies mobile communications".split()
)

# Other names people type for a place the catalog names in full.
_PLACE_ALIASES: dict[str, tuple[str, ...]] = {
    "united states": ("usa", "america", "united states of america"),
    "united kingdom": ("uk", "britain", "great britain"),
    "korea, republic of": ("south korea", "korea"),
    "korea, democratic people's republic of": ("north korea",),
    "iran, islamic republic of": ("iran",),
    "moldova, republic of": ("moldova",),
    "tanzania, united republic of": ("tanzania",),
    "micronesia, federated states of": ("micronesia",),
    "congo, the democratic republic of the": ("dr congo", "drc"),
    "virgin islands, british": ("british virgin islands",),
    "virgin islands, u.s.": ("us virgin islands",),
    "russian federation": ("russia",),
    "viet nam": ("vietnam",),
    "czechia": ("czech republic",),
    "new york city": ("nyc", "new york"),
}

# Chinese names of places people often photograph, by the name the catalog gives them
# (folded): "在巴黎" finds Paris.
_ZH_PLACE_NAMES: dict[str, tuple[str, ...]] = {
    "china": ("中国",), "japan": ("日本",), "united states": ("美国",),
    "united kingdom": ("英国",), "france": ("法国",), "germany": ("德国",),
    "italy": ("意大利",), "spain": ("西班牙",), "portugal": ("葡萄牙",),
    "netherlands": ("荷兰",), "belgium": ("比利时",), "switzerland": ("瑞士",),
    "austria": ("奥地利",), "greece": ("希腊",), "turkey": ("土耳其",), "russia": ("俄罗斯",),
    "russian federation": ("俄罗斯",), "canada": ("加拿大",), "mexico": ("墨西哥",),
    "brazil": ("巴西",), "argentina": ("阿根廷",), "australia": ("澳大利亚", "澳洲"),
    "new zealand": ("新西兰",), "korea, republic of": ("韩国",), "south korea": ("韩国",),
    "thailand": ("泰国",), "vietnam": ("越南",), "viet nam": ("越南",),
    "singapore": ("新加坡",), "malaysia": ("马来西亚",), "indonesia": ("印度尼西亚", "印尼"),
    "philippines": ("菲律宾",), "india": ("印度",), "egypt": ("埃及",), "iceland": ("冰岛",),
    "norway": ("挪威",), "sweden": ("瑞典",), "finland": ("芬兰",), "denmark": ("丹麦",),
    "ireland": ("爱尔兰",), "czechia": ("捷克",), "hungary": ("匈牙利",), "poland": ("波兰",),
    "croatia": ("克罗地亚",), "morocco": ("摩洛哥",), "south africa": ("南非",),
    "united arab emirates": ("阿联酋",), "cambodia": ("柬埔寨",), "nepal": ("尼泊尔",),
    "sri lanka": ("斯里兰卡",), "maldives": ("马尔代夫",), "taiwan": ("台湾",),
    "hong kong": ("香港",), "macao": ("澳门",), "macau": ("澳门",), "peru": ("秘鲁",),
    "chile": ("智利",), "cuba": ("古巴",), "israel": ("以色列",), "mongolia": ("蒙古",),
    "beijing": ("北京",), "shanghai": ("上海",), "guangzhou": ("广州",),
    "shenzhen": ("深圳",), "hangzhou": ("杭州",), "chengdu": ("成都",),
    "chongqing": ("重庆",), "xi'an": ("西安",), "xian": ("西安",), "nanjing": ("南京",),
    "wuhan": ("武汉",), "suzhou": ("苏州",), "tianjin": ("天津",), "xiamen": ("厦门",),
    "qingdao": ("青岛",), "kunming": ("昆明",), "lijiang": ("丽江",), "guilin": ("桂林",),
    "sanya": ("三亚",), "lhasa": ("拉萨",), "harbin": ("哈尔滨",), "dalian": ("大连",),
    "changsha": ("长沙",), "zhengzhou": ("郑州",), "jinan": ("济南",), "shenyang": ("沈阳",),
    "fuzhou": ("福州",), "hefei": ("合肥",), "nanning": ("南宁",), "guiyang": ("贵阳",),
    "urumqi": ("乌鲁木齐",), "taipei": ("台北",), "tokyo": ("东京",), "osaka": ("大阪",),
    "kyoto": ("京都",), "nara": ("奈良",), "sapporo": ("札幌",), "okinawa": ("冲绳",),
    "seoul": ("首尔",), "busan": ("釜山",), "bangkok": ("曼谷",), "chiang mai": ("清迈",),
    "phuket": ("普吉",), "kuala lumpur": ("吉隆坡",), "bali": ("巴厘岛",), "paris": ("巴黎",),
    "london": ("伦敦",), "rome": ("罗马",), "milan": ("米兰",), "venice": ("威尼斯",),
    "florence": ("佛罗伦萨",), "barcelona": ("巴塞罗那",), "madrid": ("马德里",),
    "berlin": ("柏林",), "munich": ("慕尼黑",), "amsterdam": ("阿姆斯特丹",),
    "vienna": ("维也纳",), "prague": ("布拉格",), "zurich": ("苏黎世",), "geneva": ("日内瓦",),
    "moscow": ("莫斯科",), "istanbul": ("伊斯坦布尔",), "dubai": ("迪拜",),
    "new york city": ("纽约",), "new york": ("纽约",), "los angeles": ("洛杉矶",),
    "san francisco": ("旧金山",), "las vegas": ("拉斯维加斯",), "seattle": ("西雅图",),
    "chicago": ("芝加哥",), "boston": ("波士顿",), "washington": ("华盛顿",),
    "hawaii": ("夏威夷",), "vancouver": ("温哥华",), "toronto": ("多伦多",),
    "sydney": ("悉尼",), "melbourne": ("墨尔本",), "auckland": ("奥克兰",), "cairo": ("开罗",),
}


def _fold(text: str) -> str:
    """Case and accents ignored, spaces collapsed, as a key is looked up."""
    return _strip_accents(" ".join(text.split()).casefold().replace("’", "'"))


def _is_cjk(text: str) -> bool:
    """Written without spaces (see ``_WIDE``)."""
    return all(c >= "\u2e80" or c.isspace() for c in text)


def _add_key(table: dict[str, str], cautious: set[str], name: str, value: str,
             alias: bool = False) -> None:
    key = " ".join(name.split()).casefold().replace("’", "'")
    if not key or (len(key) < (2 if _is_cjk(key) else 3) and not alias):
        return
    if re.fullmatch(r"[\d\s.,:/-]+", key) or key in _NEVER_KEYS:
        return
    for variant in (key, _strip_accents(key)):
        if variant in _NEVER_KEYS:
            continue
        table.setdefault(variant, value)
        if variant in _COMMON_WORDS:
            cautious.add(variant)


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def build_vocabulary(
    places: Iterable[tuple[str, str, str]],
    cameras: Iterable[tuple[str | None, str | None]],
) -> Vocabulary:
    """The vocabulary of a library, from the (city, region, country) of the places its photos
    were taken in and the (make, model) of its cameras.

    A place is known by each of its names (accents optional: "zurich" finds "Zürich"), common
    other names ("usa", "south korea") and, for well-known places, its Chinese name. A camera
    by its make without the company words ("NIKON CORPORATION": "nikon") and by its model
    word by word ("iPhone 12 Pro": "iphone", "iphone 12", "iphone 12 pro"; "Canon EOS R5" also
    "eos", "eos r5"), each naming a part of the make or model for ``Filters.camera``. Names
    that are too short, numbers or words of the language are left out; everyday words
    ("nice", "galaxy") are kept as ``cautious``."""
    place_keys: dict[str, str] = {}
    camera_keys: dict[str, str] = {}
    cautious: set[str] = set()
    within: dict[str, set[str]] = {}
    names: dict[str, None] = {}
    for triple in places:
        parts = [(name or "").strip() for name in triple]
        for n, name in enumerate(parts):
            if name:
                names[name] = None
                within.setdefault(_fold(name), set()).update(
                    _fold(outer) for outer in parts[n + 1:] if outer and outer != name
                )
    for name in names:  # a place's own name first: "new york" is the state, not the city
        _add_key(place_keys, cautious, name, name)
    for name in names:
        folded = _fold(name)
        if folded.startswith("the "):
            _add_key(place_keys, cautious, name[4:], name)  # "The Hague": "hague"
        for alias in _PLACE_ALIASES.get(folded, ()):
            _add_key(place_keys, cautious, alias, name, alias=True)
        for chinese in _ZH_PLACE_NAMES.get(folded, ()):
            _add_key(place_keys, cautious, chinese, name)
    for make, model in cameras:
        make, model = (make or "").strip(), (model or "").strip()
        make_words = [(a, b) for a, b in _word_spans(make)
                      if make[a:b].casefold() not in _CORPORATE]
        if make_words:
            first, last = make_words[0][0], make_words[-1][1]
            if len(make_words) <= 4:
                _add_key(camera_keys, cautious, make[first:last], make[first:last])
            for a, b in make_words:
                word = make[a:b].strip(".,")
                _add_key(camera_keys, cautious, word, word)
        words = _word_spans(model)
        starts = [0]
        made = {make[a:b].casefold() for a, b in make_words}
        if len(words) > 1 and model[words[0][0]:words[0][1]].casefold() in made:
            starts.append(1)  # "Canon EOS R5": also "EOS", "EOS R5"
        for skip in starts:
            for k in range(skip, min(len(words), skip + 6)):
                part = model[words[skip][0]:words[k][1]]
                _add_key(camera_keys, cautious, part, part)
    return Vocabulary(place_keys, camera_keys, frozenset(cautious),
                      {name: frozenset(outer) for name, outer in within.items() if outer})
