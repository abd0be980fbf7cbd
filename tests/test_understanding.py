"""Understanding what people type: dates, places, cameras and file kinds become filters and
chips; the rest goes to the model; quotes keep words literal; a chip is undone in one step."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from core.search.filters import Filters, YearlySpan
from core.search.understanding import (
    EMPTY_VOCABULARY,
    Chip,
    Understanding,
    Vocabulary,
    build_vocabulary,
    keep_literal,
    understand,
)

TODAY = date(2026, 12, 2)  # a Wednesday

VOCAB = build_vocabulary(
    [
        ("Paris", "Île-de-France", "France"),
        ("New York City", "New York", "United States"),
        ("York", "England", "United Kingdom"),
        ("Nice", "Provence-Alpes-Côte d'Azur", "France"),
        ("Zürich", "Zurich", "Switzerland"),
        ("Yoyogi", "Tokyo", "Japan"),
        ("Central", "Central and Western", "Hong Kong"),
        ("Seoul", "Seoul", "Korea, Republic of"),
        ("", "", "Iceland"),
    ],
    [
        ("Apple", "iPhone 12 Pro"),
        ("Apple", "iPhone 15"),
        ("Canon", "Canon EOS 5D Mark IV"),
        ("Google", "Pixel 7"),
        ("samsung", "Galaxy S21"),
        ("NIKON CORPORATION", "NIKON D750"),
        (None, None),
    ],
)


def read(typed: str, today: date = TODAY, vocabulary: Vocabulary = VOCAB) -> Understanding:
    return understand(typed, today, vocabulary)


def dt(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d)


def labels(u: Understanding) -> list[tuple[str, str]]:
    return [(c.kind, c.label) for c in u.chips]


def spans(typed: str, u: Understanding) -> list[str]:
    return [typed[c.start:c.end] for c in u.chips]


# -- the issue's examples --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "text", "chips", "filters"),
    [
        ("beach 2023", "beach", [("date", "2023")],
         Filters(taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
        ("sunset in Paris", "sunset", [("place", "Paris")], Filters(place="Paris")),
        ("dog last summer", "dog", [("date", "Summer 2026")],
         Filters(taken_from=dt(2026, 6, 1), taken_until=dt(2026, 9, 1))),
        ("screenshots from March", "screenshots", [("date", "March")],
         Filters(yearly=YearlySpan((3, 1), (3, 31)))),
        ("photos from my iPhone", "", [("camera", "iPhone")], Filters(camera="iPhone")),
        ("kids at christmas 2019", "kids", [("date", "Christmas 2019")],
         Filters(taken_from=dt(2019, 12, 24), taken_until=dt(2019, 12, 27))),
    ],
)
def test_the_issue_examples(typed, text, chips, filters):
    u = read(typed)
    assert u.text == text
    assert labels(u) == chips
    assert u.filters == filters


def test_chip_spans_take_in_the_connecting_words():
    typed = "photos from my iPhone"
    u = read(typed)
    assert u.chips == (Chip("camera", "iPhone", 7, 21),)
    assert spans("sunset in Paris", read("sunset in Paris")) == ["in Paris"]
    assert spans("kids at christmas 2019", read("kids at christmas 2019")) == [
        "at christmas 2019"
    ]
    assert spans("on my canon", read("on my canon")) == ["on my canon"]
    assert spans("shot with pixel 7 in 2023", read("shot with pixel 7 in 2023")) == [
        "shot with pixel 7", "in 2023"
    ]
    assert spans("jpeg files of cats", read("jpeg files of cats")) == ["jpeg files"]
    assert spans("during the summer", read("during the summer")) == ["during the summer"]


# -- dates -----------------------------------------------------------------------------------

ABSOLUTE = [
    # years
    ("2023", (2023, 1, 1), (2024, 1, 1), "2023"),
    ("in 2023", (2023, 1, 1), (2024, 1, 1), "2023"),
    ("from 2019", (2019, 1, 1), (2020, 1, 1), "2019"),
    ("2027", (2027, 1, 1), (2028, 1, 1), "2027"),  # today.year + 1
    ("1900", (1900, 1, 1), (1901, 1, 1), "1900"),
    ("1990s", (1990, 1, 1), (2000, 1, 1), "1990s"),
    ("in the 90s", (1990, 1, 1), (2000, 1, 1), "1990s"),
    # months with a year
    ("March 2021", (2021, 3, 1), (2021, 4, 1), "March 2021"),
    ("2021 March", (2021, 3, 1), (2021, 4, 1), "March 2021"),
    ("march, 2021", (2021, 3, 1), (2021, 4, 1), "March 2021"),
    ("may 2020", (2020, 5, 1), (2020, 6, 1), "May 2020"),
    ("2020 may", (2020, 5, 1), (2020, 6, 1), "May 2020"),
    ("Sept 2019", (2019, 9, 1), (2019, 10, 1), "September 2019"),
    ("dec 2020", (2020, 12, 1), (2021, 1, 1), "December 2020"),
    ("february 2024", (2024, 2, 1), (2024, 3, 1), "February 2024"),
    # seasons with a year
    ("summer 2022", (2022, 6, 1), (2022, 9, 1), "Summer 2022"),
    ("2022 summer", (2022, 6, 1), (2022, 9, 1), "Summer 2022"),
    ("summer of 2022", (2022, 6, 1), (2022, 9, 1), "Summer 2022"),
    ("spring 2021", (2021, 3, 1), (2021, 6, 1), "Spring 2021"),
    ("autumn 2020", (2020, 9, 1), (2020, 12, 1), "Autumn 2020"),
    ("fall 2020", (2020, 9, 1), (2020, 12, 1), "Autumn 2020"),
    # relative seasons, months, holidays (today: 2 December 2026)
    ("last summer", (2026, 6, 1), (2026, 9, 1), "Summer 2026"),
    ("this summer", (2026, 6, 1), (2026, 9, 1), "Summer 2026"),
    ("last winter", (2025, 12, 1), (2026, 3, 1), "Winter 2025–26"),
    ("this winter", (2026, 12, 1), (2027, 3, 1), "Winter 2026–27"),
    ("last spring", (2026, 3, 1), (2026, 6, 1), "Spring 2026"),
    ("last march", (2026, 3, 1), (2026, 4, 1), "March 2026"),
    ("last may", (2026, 5, 1), (2026, 6, 1), "May 2026"),
    ("this december", (2026, 12, 1), (2027, 1, 1), "December 2026"),
    ("last christmas", (2025, 12, 24), (2025, 12, 27), "Christmas 2025"),
    ("last halloween", (2026, 10, 31), (2026, 11, 1), "Halloween 2026"),
    ("last new year", (2025, 12, 31), (2026, 1, 2), "New Year 2026"),
    ("christmas last year", (2025, 12, 24), (2025, 12, 27), "Christmas 2025"),
    ("summer last year", (2025, 6, 1), (2025, 9, 1), "Summer 2025"),
    ("last year christmas", (2025, 12, 24), (2025, 12, 27), "Christmas 2025"),
    # relative dates
    ("today", (2026, 12, 2), (2026, 12, 3), "Today"),
    ("tonight", (2026, 12, 2), (2026, 12, 3), "Today"),
    ("yesterday", (2026, 12, 1), (2026, 12, 2), "Yesterday"),
    ("this week", (2026, 11, 30), (2026, 12, 7), "This week"),
    ("last week", (2026, 11, 23), (2026, 11, 30), "Last week"),
    ("this month", (2026, 12, 1), (2027, 1, 1), "December 2026"),
    ("last month", (2026, 11, 1), (2026, 12, 1), "November 2026"),
    ("this year", (2026, 1, 1), (2027, 1, 1), "2026"),
    ("last year", (2025, 1, 1), (2026, 1, 1), "2025"),
    ("3 days ago", (2026, 11, 29), (2026, 11, 30), "29 November 2026"),
    ("a week ago", (2026, 11, 23), (2026, 11, 30), "Week of 23 November 2026"),
    ("2 weeks ago", (2026, 11, 16), (2026, 11, 23), "Week of 16 November 2026"),
    ("three months ago", (2026, 9, 1), (2026, 10, 1), "September 2026"),
    ("2 years ago", (2024, 1, 1), (2025, 1, 1), "2024"),
    ("a year ago", (2025, 1, 1), (2026, 1, 1), "2025"),
    ("past 30 days", (2026, 11, 3), (2026, 12, 3), "Past 30 days"),
    ("last 7 days", (2026, 11, 26), (2026, 12, 3), "Past 7 days"),
    ("in the past 2 weeks", (2026, 11, 19), (2026, 12, 3), "Past 2 weeks"),
    ("past 6 months", (2026, 6, 3), (2026, 12, 3), "Past 6 months"),
    ("past week", (2026, 11, 26), (2026, 12, 3), "Past week"),
    ("past year", (2025, 12, 3), (2026, 12, 3), "Past year"),
    # holidays with a year
    ("christmas 2019", (2019, 12, 24), (2019, 12, 27), "Christmas 2019"),
    ("2019 christmas", (2019, 12, 24), (2019, 12, 27), "Christmas 2019"),
    ("xmas 2019", (2019, 12, 24), (2019, 12, 27), "Christmas 2019"),
    ("christmas eve 2019", (2019, 12, 24), (2019, 12, 25), "Christmas Eve 2019"),
    ("christmas day 2019", (2019, 12, 25), (2019, 12, 26), "Christmas Day 2019"),
    ("new year's eve 2019", (2019, 12, 31), (2020, 1, 2), "New Year's Eve 2019"),
    ("new years eve 2019", (2019, 12, 31), (2020, 1, 2), "New Year's Eve 2019"),
    ("new year 2020", (2019, 12, 31), (2020, 1, 2), "New Year 2020"),
    ("new year’s day 2020", (2019, 12, 31), (2020, 1, 2), "New Year 2020"),
    ("halloween 2020", (2020, 10, 31), (2020, 11, 1), "Halloween 2020"),
    ("valentine's day 2021", (2021, 2, 14), (2021, 2, 15), "Valentine's Day 2021"),
    ("easter 2024", (2024, 3, 30), (2024, 4, 2), "Easter 2024"),  # Easter Sunday: 31 March
    ("easter 2025", (2025, 4, 19), (2025, 4, 22), "Easter 2025"),  # 20 April
    ("thanksgiving 2023", (2023, 11, 22), (2023, 11, 25), "Thanksgiving 2023"),  # Thu 23rd
    ("thanksgiving 2024", (2024, 11, 27), (2024, 11, 30), "Thanksgiving 2024"),  # Thu 28th
    ("chinese new year 2024", (2024, 2, 9), (2024, 2, 17), "Chinese New Year 2024"),
    # explicit dates
    ("2021-03-04", (2021, 3, 4), (2021, 3, 5), "4 March 2021"),
    ("2021/3/4", (2021, 3, 4), (2021, 3, 5), "4 March 2021"),
    ("2021-03", (2021, 3, 1), (2021, 4, 1), "March 2021"),
    ("March 3, 2021", (2021, 3, 3), (2021, 3, 4), "3 March 2021"),
    ("March 3rd 2021", (2021, 3, 3), (2021, 3, 4), "3 March 2021"),
    ("3 March 2021", (2021, 3, 3), (2021, 3, 4), "3 March 2021"),
    ("3rd of March 2021", (2021, 3, 3), (2021, 3, 4), "3 March 2021"),
    ("on may 5 2020", (2020, 5, 5), (2020, 5, 6), "5 May 2020"),
    ("29 february 2024", (2024, 2, 29), (2024, 3, 1), "29 February 2024"),
    ("25/12/2021", (2021, 12, 25), (2021, 12, 26), "25 December 2021"),  # only one order fits
    ("12/25/2021", (2021, 12, 25), (2021, 12, 26), "25 December 2021"),
    ("04.04.2021", (2021, 4, 4), (2021, 4, 5), "4 April 2021"),
    # ranges
    ("from 2019 to 2021", (2019, 1, 1), (2022, 1, 1), "2019–2021"),
    ("2019-2021", (2019, 1, 1), (2022, 1, 1), "2019–2021"),
    ("2019 - 2021", (2019, 1, 1), (2022, 1, 1), "2019–2021"),
    ("2019 to 2021", (2019, 1, 1), (2022, 1, 1), "2019–2021"),
    ("2021-2019", (2019, 1, 1), (2022, 1, 1), "2019–2021"),
    ("between March and May 2020", (2020, 3, 1), (2020, 6, 1), "March – May 2020"),
    ("from march 2020 to may", (2020, 3, 1), (2020, 6, 1), "March – May 2020"),
    ("from december to february 2021", (2020, 12, 1), (2021, 3, 1),
     "December 2020 – February 2021"),
    ("from christmas 2019 to new year 2020", (2019, 12, 24), (2020, 1, 2),
     "Christmas 2019 – New Year 2020"),
]


@pytest.mark.parametrize(("typed", "first", "until", "label"), ABSOLUTE)
def test_dates_that_name_days(typed, first, until, label):
    u = read(typed)
    assert labels(u) == [("date", label)]
    assert u.filters == Filters(taken_from=datetime(*first), taken_until=datetime(*until))
    assert u.text == ""


YEARLY = [
    ("march", (3, 1), (3, 31), "March"),
    ("in may", (5, 1), (5, 31), "May"),
    ("during june", (6, 1), (6, 30), "June"),
    ("february", (2, 1), (2, 29), "February"),
    ("summer", (6, 1), (8, 31), "Summer"),
    ("spring", (3, 1), (5, 31), "Spring"),
    ("fall", (9, 1), (11, 30), "Autumn"),
    ("winter", (12, 1), (2, 29), "Winter"),
    ("christmas", (12, 24), (12, 26), "Christmas"),
    ("christmas eve", (12, 24), (12, 24), "Christmas Eve"),
    ("new year's eve", (12, 31), (1, 1), "New Year's Eve"),
    ("new year", (12, 31), (1, 1), "New Year"),
    ("halloween", (10, 31), (10, 31), "Halloween"),
    ("valentines day", (2, 14), (2, 14), "Valentine's Day"),
    ("easter", (3, 21), (4, 26), "Easter"),
    ("thanksgiving", (11, 21), (11, 29), "Thanksgiving"),
    ("march 3", (3, 3), (3, 3), "3 March"),
    ("3 march", (3, 3), (3, 3), "3 March"),
    ("march to may", (3, 1), (5, 31), "March – May"),
    ("between december and february", (12, 1), (2, 29), "December – February"),
]


@pytest.mark.parametrize(("typed", "first", "last", "label"), YEARLY)
def test_dates_that_come_back_every_year(typed, first, last, label):
    u = read(typed)
    assert labels(u) == [("date", label)]
    assert u.filters == Filters(yearly=YearlySpan(first, last))


@pytest.mark.parametrize(
    ("typed", "expected", "label"),
    [
        ("before 2020", Filters(taken_until=dt(2020, 1, 1)), "Before 2020"),
        ("after 2018", Filters(taken_from=dt(2019, 1, 1)), "After 2018"),
        ("since March 2023", Filters(taken_from=dt(2023, 3, 1)), "Since March 2023"),
        ("until 2020", Filters(taken_until=dt(2021, 1, 1)), "Until 2020"),
        ("since march", Filters(taken_from=dt(2026, 3, 1)), "Since March"),
        ("before last summer", Filters(taken_until=dt(2026, 6, 1)), "Before Summer 2026"),
    ],
)
def test_open_ended_dates(typed, expected, label):
    u = read(typed)
    assert labels(u) == [("date", label)]
    assert u.filters == expected


def test_a_winter_with_a_year_is_the_winter_days_of_that_year():
    u = read("winter 2022")
    assert labels(u) == [("date", "Winter 2022")]
    assert u.filters == Filters(
        taken_from=dt(2022, 1, 1), taken_until=dt(2023, 1, 1),
        yearly=YearlySpan((12, 1), (2, 29)),
    )


@pytest.mark.parametrize(
    ("today", "typed", "first", "until"),
    [
        # "last" is the most recent one that has ended
        (date(2026, 7, 1), "last summer", (2025, 6, 1), (2025, 9, 1)),
        (date(2026, 9, 1), "last summer", (2026, 6, 1), (2026, 9, 1)),
        (date(2026, 2, 10), "last winter", (2024, 12, 1), (2025, 3, 1)),
        (date(2026, 3, 1), "last winter", (2025, 12, 1), (2026, 3, 1)),
        (date(2026, 12, 26), "last christmas", (2025, 12, 24), (2025, 12, 27)),
        (date(2026, 12, 27), "last christmas", (2026, 12, 24), (2026, 12, 27)),
        (date(2026, 4, 5), "last easter", (2025, 4, 19), (2025, 4, 22)),  # on Easter Sunday
        (date(2026, 4, 30), "last easter", (2026, 4, 4), (2026, 4, 7)),
        # "this winter" is the one that began most recently
        (date(2026, 7, 1), "this winter", (2025, 12, 1), (2026, 3, 1)),
        (date(2026, 1, 15), "this winter", (2025, 12, 1), (2026, 3, 1)),
        # months and weeks across a year end
        (date(2026, 1, 15), "last month", (2025, 12, 1), (2026, 1, 1)),
        (date(2026, 1, 1), "last week", (2025, 12, 22), (2025, 12, 29)),
        (date(2026, 3, 31), "a month ago", (2026, 2, 1), (2026, 3, 1)),
    ],
)
def test_relative_dates_depend_on_today(today, typed, first, until):
    u = read(typed, today=today)
    assert u.filters == Filters(taken_from=datetime(*first), taken_until=datetime(*until))


def test_today_may_be_a_datetime():
    assert read("yesterday", today=datetime(2026, 12, 2, 23, 59)).filters == Filters(
        taken_from=dt(2026, 12, 1), taken_until=dt(2026, 12, 2)
    )


def test_several_dates_intersect():
    u = read("summer beach 2023")
    assert labels(u) == [("date", "Summer"), ("date", "2023")]
    assert u.text == "beach"
    assert u.filters == Filters(
        taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1),
        yearly=YearlySpan((6, 1), (8, 31)),
    )
    u = read("2019-2022 last year")
    assert u.filters == Filters(taken_from=dt(2025, 1, 1), taken_until=dt(2023, 1, 1))
    # two yearly spans: the days in both
    u = read("summer dogs august")
    assert u.filters == Filters(yearly=YearlySpan((8, 1), (8, 31)))
    u = read("winter dogs february")
    assert u.filters == Filters(yearly=YearlySpan((2, 1), (2, 29)))


def test_a_year_next_to_a_holiday_or_season_is_one_chip():
    for typed in ("christmas 2019", "2019 christmas", "christmas, 2019", "christmas of 2019",
                  "christmas in 2019"):
        assert labels(read(typed)) == [("date", "Christmas 2019")], typed
    assert labels(read("christmas photos 2019")) == [("date", "Christmas"), ("date", "2019")]


# -- what is not a date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("may I", "may I"),
        ("you may like this", "you may like this"),
        ("this may be a cat", "this may be a cat"),
        ("in may I ask", "in may I ask"),
        ("Jan and me", "Jan and me"),
        ("1899", "1899"),
        ("2028", "2028"),  # after next year
        ("12345", "12345"),
        ("1920 x 1080", "1920 x 1080"),
        ("christmas tree", "christmas tree"),
        ("easter eggs", "easter eggs"),
        ("easter island", "easter island"),
        ("halloween costume", "halloween costume"),
        ("hot spring", "hot spring"),
        ("spring rolls", "spring rolls"),
        ("waterfall", "waterfall"),
        ("kids fall down", "kids fall down"),
        ("today's lunch", "today's lunch"),
        ("03/04/2021", "03/04/2021"),  # day and month in an order nobody can tell
        ("2021-13-01", "2021-13-01"),
        ("february 30 2021", "february 30 2021"),
        ("on february 30", "on february 30"),
        ("31/02/2021", "31/02/2021"),
        ("last", "last"),
        ("this dog", "this dog"),
        ("last night", "last night"),
        ("between us", "between us"),
        ("before sunset", "before sunset"),
        ("from", "from"),
        ("in", "in"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_words_that_are_not_dates(typed, text):
    u = read(typed)
    assert u.chips == ()
    assert u.filters == Filters()
    assert u.text == text


def test_holidays_2021_keeps_holidays_as_a_word():
    u = read("Holidays 2021")
    assert u.text == "Holidays"
    assert labels(u) == [("date", "2021")]


def test_a_camera_model_number_is_not_a_date():
    u = read("iPhone 12")
    assert labels(u) == [("camera", "iPhone 12")]
    assert not u.filters.has_dates
    u = read("Canon EOS 5D")
    assert labels(u) == [("camera", "Canon EOS 5D")]
    assert not u.filters.has_dates
    # an unknown camera stays words, and its number is no date either
    u = read("Lumia 1020 photos", vocabulary=EMPTY_VOCABULARY)
    assert u == Understanding("Lumia 1020 photos", Filters(), ())
    u = read("iphone 12", vocabulary=EMPTY_VOCABULARY)
    assert u == Understanding("iphone 12", Filters(), ())


# -- places, cameras, file kinds -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "text", "chips", "filters"),
    [
        ("Paris", "", [("place", "Paris")], Filters(place="Paris")),
        ("paris at night", "night", [("place", "Paris")], Filters(place="Paris")),
        ("sunset from paris", "sunset", [("place", "Paris")], Filters(place="Paris")),
        ("new york", "", [("place", "New York")], Filters(place="New York")),
        ("new york city skyline", "skyline", [("place", "New York City")],
         Filters(place="New York City")),
        ("york minster", "minster", [("place", "York")], Filters(place="York")),
        ("NYC", "", [("place", "New York City")], Filters(place="New York City")),
        ("zurich", "", [("place", "Zürich")], Filters(place="Zürich")),
        ("in Zürich", "", [("place", "Zürich")], Filters(place="Zürich")),
        ("île-de-france", "", [("place", "Île-de-France")], Filters(place="Île-de-France")),
        ("in the usa", "", [("place", "United States")], Filters(place="United States")),
        ("south korea", "", [("place", "Korea, Republic of")],
         Filters(place="Korea, Republic of")),
        ("iceland", "", [("place", "Iceland")], Filters(place="Iceland")),
        ("sunset, Paris, France", "sunset", [("place", "Paris, France")],
         Filters(place="Paris")),
        ("sunset in Nice", "sunset", [("place", "Nice")], Filters(place="Nice")),
        ("nice sunset", "nice sunset", [], Filters()),
        ("sunset in nice weather", "sunset in nice weather", [], Filters()),
        ("central park", "central park", [], Filters()),
        ("in love", "in love", [], Filters()),
        ("London", "London", [], Filters()),  # not a place of this library
        ("Paris Tokyo", "Tokyo", [("place", "Paris")], Filters(place="Paris")),
        ("Paris 2023 Tokyo", "Tokyo", [("place", "Paris"), ("date", "2023")],
         Filters(place="Paris", taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
    ],
)
def test_places(typed, text, chips, filters):
    u = read(typed)
    assert (u.text, labels(u), u.filters) == (text, chips, filters)


@pytest.mark.parametrize(
    ("typed", "text", "label"),
    [
        ("iphone", "", "iPhone"),
        ("photos from my iPhone", "", "iPhone"),
        ("dog with my iphone 12 pro", "dog", "iPhone 12 Pro"),
        ("iphone 15 photos", "", "iPhone 15"),
        ("on my canon", "", "Canon"),
        ("eos 5d mark iv", "", "EOS 5D Mark IV"),
        ("taken with the Canon EOS 5D", "", "Canon EOS 5D"),
        ("shot with pixel 7", "", "Pixel 7"),
        ("shot on pixel", "", "Pixel"),
        ("nikon", "", "NIKON"),
        ("nikon d750 portraits", "portraits", "NIKON D750"),
        ("my galaxy", "", "Galaxy"),
        ("shot on galaxy s21", "", "Galaxy S21"),
        ("from my apple", "", "Apple"),
        ("samsung", "", "samsung"),
    ],
)
def test_cameras(typed, text, label):
    u = read(typed)
    assert (u.text, labels(u)) == (text, [("camera", label)])
    assert u.filters == Filters(camera=label)


@pytest.mark.parametrize(
    "typed", ["galaxy", "milky way galaxy", "apple pie", "apple", "pixel art 2"]
)
def test_camera_words_that_are_everyday_words_need_my_or_with(typed):
    u = read(typed)
    if typed == "pixel art 2":  # "pixel" is no everyday word: the camera it is
        assert labels(u) == [("camera", "Pixel")]
        return
    assert u == Understanding(typed, Filters(), ())


@pytest.mark.parametrize(
    ("typed", "text", "types", "label"),
    [
        ("png", "", ("png",), "PNG"),
        ("pngs of cats", "cats", ("png",), "PNG"),
        ("jpg", "", ("jpg", "jpeg"), "JPEG"),
        ("jpeg files", "", ("jpg", "jpeg"), "JPEG"),
        ("JPEGs", "", ("jpg", "jpeg"), "JPEG"),
        ("heic photos", "", ("heic", "heif"), "HEIC"),
        ("gifs of cats", "cats", ("gif",), "GIF"),
        ("webp images", "", ("webp",), "WebP"),
        ("tif", "", ("tif", "tiff"), "TIFF"),
        ("tiff", "", ("tif", "tiff"), "TIFF"),
        ("bmp", "", ("bmp",), "BMP"),
        ("diagrams as png", "diagrams", ("png",), "PNG"),
    ],
)
def test_file_kinds(typed, text, types, label):
    u = read(typed)
    assert (u.text, labels(u), u.filters) == (text, [("type", label)], Filters(types=types))


def test_file_kinds_add_up_and_screenshots_stay_words():
    u = read("png and gif")
    assert labels(u) == [("type", "PNG"), ("type", "GIF")]
    assert u.filters.types == ("png", "gif")
    assert u.text == ""
    u = read("screenshots")
    assert u == Understanding("screenshots", Filters(), ())
    assert read("screenshots png").filters.types == ("png",)
    assert read("screenshots png").text == "screenshots"


def test_everything_together():
    typed = "dog photos from my iPhone in Paris last summer as jpeg"
    u = read(typed)
    assert u.text == "dog"
    assert labels(u) == [("camera", "iPhone"), ("place", "Paris"), ("date", "Summer 2026"),
                         ("type", "JPEG")]
    assert spans(typed, u) == ["from my iPhone", "in Paris", "last summer", "as jpeg"]
    assert u.filters == Filters(
        taken_from=dt(2026, 6, 1), taken_until=dt(2026, 9, 1), camera="iPhone", place="Paris",
        types=("jpg", "jpeg"),
    )


def test_without_a_vocabulary_places_and_cameras_stay_words():
    u = understand("sunset in Paris from my iPhone 2023", TODAY)
    assert u.text == "sunset in Paris from my iPhone"
    assert labels(u) == [("date", "2023")]


# -- the text left for the model -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("photos from my iPhone", ""),
        ("pictures of 2023", ""),
        ("photos of dogs from 2023", "photos of dogs"),
        ("2023 photos in Paris", ""),
        ("sunset, 2023", "sunset"),
        ("beach in 2023 with friends", "beach friends"),
        ("the dog 2023", "the dog"),
        ("dog   on the   beach 2023", "dog on the beach"),
        ("in 2023 in the snow", "snow"),
        ("dog in", "dog in"),  # nothing understood: as typed, while it is being typed
        ("photos of", "photos of"),
        ("Holidays 2021", "Holidays"),
    ],
)
def test_filler_left_dangling_is_dropped(typed, text):
    assert read(typed).text == text


# -- quotes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "text", "chips"),
    [
        ('beach "2023"', "beach 2023", []),
        ('"sunset in Paris"', "sunset in Paris", []),
        ("“summer 2023” beach", "summer 2023 beach", []),
        ("「2023年」海滩", "2023年海滩", []),
        ("『去年』", "去年", []),
        ('"iPhone" 2023', "iPhone", [("date", "2023")]),
        ('red "car" 2023 "in Paris"', "red car in Paris", [("date", "2023")]),
        ('beach "2023', "beach 2023", []),  # a quote being typed runs to the end
        ('"', "", []),
        ("sunset ” 2023", "sunset", [("date", "2023")]),  # a closing mark with no opening one
        ('a"b"c', "a b c", []),
    ],
)
def test_quoted_words_are_never_understood(typed, text, chips):
    u = read(typed)
    assert u.text == text
    assert labels(u) == chips


# -- undoing a chip --------------------------------------------------------------------------

UNDO = [
    "beach 2023",
    "sunset in Paris",
    "dog last summer",
    "screenshots from March",
    "photos from my iPhone",
    "kids at christmas 2019",
    "from 2019 to 2021",
    "between March and May 2020",
    "before 2020",
    "in the past 30 days",
    "shot with pixel 7 in Zurich",
    "png files of cats",
    "cats as png files",
    "sunset, Paris, France",
    "dog photos from my iPhone in Paris last summer as jpeg",
    "2021-03-04",
    "3 days ago",
    "在巴黎的日落",
    "去年夏天的海滩",
    "用iPhone拍的照片",
    "2019年到2021年",
    'red "car" in Paris 2023',
]


@pytest.mark.parametrize("typed", UNDO)
def test_keep_literal_undoes_one_chip_and_keeps_the_others(typed):
    u = read(typed)
    assert u.chips, typed
    for chip in u.chips:
        literal = keep_literal(typed, chip)
        again = read(literal)
        others = [c for c in u.chips if c is not chip]
        assert labels(again) == [(c.kind, c.label) for c in others], literal
        # the chip's own words now go to the model
        words = typed[chip.start:chip.end]
        for connector in ("in ", "at ", "from my ", "shot with ", "as ", "在", "用"):
            words = words.removeprefix(connector)
        words = words.removesuffix(" files")
        assert words.casefold() in again.text.casefold(), (literal, again.text)
        # and no filter of its kind is left
        if not any(c.kind == chip.kind for c in others):
            if chip.kind == "date":
                assert not again.filters.has_dates
            else:
                field = {"place": "place", "camera": "camera", "type": "types"}[chip.kind]
                assert not getattr(again.filters, field)


def test_keep_literal_quotes_the_words_not_the_connectors():
    typed = "photos from my iPhone"
    assert keep_literal(typed, read(typed).chips[0]) == 'photos from my "iPhone"'
    typed = "sunset in Paris"
    assert keep_literal(typed, read(typed).chips[0]) == 'sunset in "Paris"'
    typed = "kids at christmas 2019"
    assert keep_literal(typed, read(typed).chips[0]) == 'kids at "christmas 2019"'
    typed = "cats as png files"
    assert keep_literal(typed, read(typed).chips[0]) == 'cats as "png" files'
    typed = "dog last summer"
    assert keep_literal(typed, read(typed).chips[0]) == 'dog "last summer"'
    typed = "在巴黎"
    assert keep_literal(typed, read(typed).chips[0]) == '在"巴黎"'
    # the whole text restored, as typed, once the chip is undone
    typed = "sunset in Paris"
    assert read(keep_literal(typed, read(typed).chips[0])).text == "sunset in Paris"


# -- Chinese ---------------------------------------------------------------------------------

CHINESE = [
    ("2023年", "", "2023年", Filters(taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
    ("二〇二三年", "", "2023年", Filters(taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
    ("去年", "", "2025年", Filters(taken_from=dt(2025, 1, 1), taken_until=dt(2026, 1, 1))),
    ("今年", "", "2026年", Filters(taken_from=dt(2026, 1, 1), taken_until=dt(2027, 1, 1))),
    ("前年", "", "2024年", Filters(taken_from=dt(2024, 1, 1), taken_until=dt(2025, 1, 1))),
    ("上个月", "", "2026年11月",
     Filters(taken_from=dt(2026, 11, 1), taken_until=dt(2026, 12, 1))),
    ("这个月", "", "2026年12月",
     Filters(taken_from=dt(2026, 12, 1), taken_until=dt(2027, 1, 1))),
    ("上周", "", "上周", Filters(taken_from=dt(2026, 11, 23), taken_until=dt(2026, 11, 30))),
    ("本周", "", "本周", Filters(taken_from=dt(2026, 11, 30), taken_until=dt(2026, 12, 7))),
    ("昨天", "", "昨天", Filters(taken_from=dt(2026, 12, 1), taken_until=dt(2026, 12, 2))),
    ("今天", "", "今天", Filters(taken_from=dt(2026, 12, 2), taken_until=dt(2026, 12, 3))),
    ("前天", "", "前天", Filters(taken_from=dt(2026, 11, 30), taken_until=dt(2026, 12, 1))),
    ("3月", "", "3月", Filters(yearly=YearlySpan((3, 1), (3, 31)))),
    ("三月", "", "3月", Filters(yearly=YearlySpan((3, 1), (3, 31)))),
    ("十二月", "", "12月", Filters(yearly=YearlySpan((12, 1), (12, 31)))),
    ("3月4日", "", "3月4日", Filters(yearly=YearlySpan((3, 4), (3, 4)))),
    ("2021年3月", "", "2021年3月",
     Filters(taken_from=dt(2021, 3, 1), taken_until=dt(2021, 4, 1))),
    ("2021年3月4日", "", "2021年3月4日",
     Filters(taken_from=dt(2021, 3, 4), taken_until=dt(2021, 3, 5))),
    ("2021年三月四号", "", "2021年3月4日",
     Filters(taken_from=dt(2021, 3, 4), taken_until=dt(2021, 3, 5))),
    ("春天", "", "春天", Filters(yearly=YearlySpan((3, 1), (5, 31)))),
    ("夏天", "", "夏天", Filters(yearly=YearlySpan((6, 1), (8, 31)))),
    ("秋季", "", "秋天", Filters(yearly=YearlySpan((9, 1), (11, 30)))),
    ("冬天", "", "冬天", Filters(yearly=YearlySpan((12, 1), (2, 29)))),
    ("去年夏天", "", "2025年夏天",
     Filters(taken_from=dt(2025, 6, 1), taken_until=dt(2025, 9, 1))),
    ("2022年的夏天", "", "2022年夏天",
     Filters(taken_from=dt(2022, 6, 1), taken_until=dt(2022, 9, 1))),
    ("圣诞节", "", "圣诞节", Filters(yearly=YearlySpan((12, 24), (12, 26)))),
    ("圣诞", "", "圣诞节", Filters(yearly=YearlySpan((12, 24), (12, 26)))),
    ("2019年圣诞节", "", "2019年圣诞节",
     Filters(taken_from=dt(2019, 12, 24), taken_until=dt(2019, 12, 27))),
    ("元旦", "", "元旦", Filters(yearly=YearlySpan((12, 31), (1, 1)))),
    ("2020年元旦", "", "2020年元旦",
     Filters(taken_from=dt(2019, 12, 31), taken_until=dt(2020, 1, 2))),
    ("春节", "", "春节", Filters(yearly=YearlySpan((1, 21), (2, 25)))),
    # 2024: New Year's Day 10 February; its eve to the sixth day
    ("2024年春节", "", "2024年春节",
     Filters(taken_from=dt(2024, 2, 9), taken_until=dt(2024, 2, 17))),
    ("今年春节", "", "2026年春节",
     Filters(taken_from=dt(2026, 2, 16), taken_until=dt(2026, 2, 24))),
    ("除夕 2023年", "", "2023年除夕",
     Filters(taken_from=dt(2023, 1, 21), taken_until=dt(2023, 1, 22))),
    ("国庆", "", "国庆", Filters(yearly=YearlySpan((10, 1), (10, 7)))),
    ("国庆节", "", "国庆", Filters(yearly=YearlySpan((10, 1), (10, 7)))),
    ("3天前", "", "2026年11月29日",
     Filters(taken_from=dt(2026, 11, 29), taken_until=dt(2026, 11, 30))),
    ("两个月前", "", "2026年10月",
     Filters(taken_from=dt(2026, 10, 1), taken_until=dt(2026, 11, 1))),
    ("最近7天", "", "最近7天",
     Filters(taken_from=dt(2026, 11, 26), taken_until=dt(2026, 12, 3))),
    ("90年代", "", "90年代", Filters(taken_from=dt(1990, 1, 1), taken_until=dt(2000, 1, 1))),
    ("2019年到2021年", "", "2019年到2021年",
     Filters(taken_from=dt(2019, 1, 1), taken_until=dt(2022, 1, 1))),
    ("从2020年3月到5月", "", "2020年3月到5月",
     Filters(taken_from=dt(2020, 3, 1), taken_until=dt(2020, 6, 1))),
    ("2020年以前", "", "2020年以前", Filters(taken_until=dt(2020, 1, 1))),
    ("2018年以后", "", "2018年以后", Filters(taken_from=dt(2019, 1, 1))),
    # with words for the model
    ("去年夏天的海滩", "海滩", "2025年夏天",
     Filters(taken_from=dt(2025, 6, 1), taken_until=dt(2025, 9, 1))),
    ("海滩 2023年", "海滩", "2023年",
     Filters(taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
    ("2023年的照片", "", "2023年",
     Filters(taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
    ("在2023年拍的猫", "猫", "2023年",
     Filters(taken_from=dt(2023, 1, 1), taken_until=dt(2024, 1, 1))),
    ("圣诞节时的孩子", "孩子", "圣诞节", Filters(yearly=YearlySpan((12, 24), (12, 26)))),
    ("在巴黎的日落", "日落", "Paris", Filters(place="Paris")),
    ("在Paris的日落", "日落", "Paris", Filters(place="Paris")),
    ("首尔", "", "Seoul", Filters(place="Seoul")),
    ("用iPhone拍的照片", "", "iPhone", Filters(camera="iPhone")),
]


@pytest.mark.parametrize(("typed", "text", "label", "filters"), CHINESE)
def test_chinese(typed, text, label, filters):
    u = read(typed)
    assert [c.label for c in u.chips] == [label]
    assert u.text == text
    assert u.filters == filters


def test_chinese_spans():
    typed = "在巴黎的日落"
    assert spans(typed, read(typed)) == ["在巴黎"]
    typed = "去年夏天的海滩"
    assert read(typed).chips == (Chip("date", "2025年夏天", 0, 4),)
    typed = "猫 2019年圣诞节 在巴黎"
    assert spans(typed, read(typed)) == ["2019年圣诞节", "在巴黎"]
    assert read(typed).text == "猫"


def test_chinese_is_matched_on_characters():
    assert read("时代广场") == Understanding("时代广场", Filters(), ())  # nothing cut, nothing lost
    assert read("2023年时代广场").text == "时代广场"
    # a known place inside a longer word is a guess, as in any text without spaces; the chip
    # shows it and undoes it in one click
    u = read("东京塔")
    assert (u.text, labels(u)) == ("塔", [("place", "Tokyo")])


# -- the vocabulary --------------------------------------------------------------------------


def test_build_vocabulary_cameras():
    v = build_vocabulary([], [("Apple", "iPhone 12 Pro")])
    assert v.cameras == {
        "apple": "Apple", "iphone": "iPhone", "iphone 12": "iPhone 12",
        "iphone 12 pro": "iPhone 12 Pro",
    }
    assert v.cautious == {"apple"}
    v = build_vocabulary([], [("Canon", "Canon EOS 5D Mark IV")])
    assert v.cameras["canon"] == "Canon"
    assert v.cameras["eos 5d"] == "EOS 5D"
    assert v.cameras["canon eos 5d"] == "Canon EOS 5D"
    assert v.cameras["eos 5d mark iv"] == "EOS 5D Mark IV"
    # company words are no keys; the value is a part of the make, as written
    v = build_vocabulary([], [("NIKON CORPORATION", "NIKON D750"), ("OLYMPUS IMAGING CORP.",
                                                                    "E-M10")])
    assert v.cameras["nikon"] == "NIKON"
    assert "corporation" not in v.cameras and "corp." not in v.cameras
    assert v.cameras["olympus"] == "OLYMPUS"
    assert v.cameras["e-m10"] == "E-M10"
    # typed with the same dash: "e-m10"
    assert labels(understand("e-m10", TODAY, v)) == [("camera", "E-M10")]


def test_build_vocabulary_values_are_parts_of_the_make_or_model():
    pairs = [("Apple", "iPhone 12 Pro"), ("Canon", "Canon EOS 5D Mark IV"), ("Google", "Pixel 7"),
             ("samsung", "SM-G991B"), ("HUAWEI", "Mate 40 Pro"), ("DJI", "FC3170"),
             ("Xiaomi", "Redmi Note 9"), (None, "X100F"), ("FUJIFILM", None)]
    v = build_vocabulary([], pairs)
    for key, value in v.cameras.items():
        assert any(value.casefold() in (part or "").casefold() for pair in pairs for part in pair)
        assert key == " ".join(value.split()).casefold()


def test_build_vocabulary_leaves_out_short_numeric_and_common_words():
    v = build_vocabulary(
        [("Of", "", "Mali"), ("1", "", "Oz"), ("March", "", "United Kingdom"),
         ("Christmas", "", "Australia"), ("Orange", "", "France"), ("Reading", "", ""),
         ("Christmas Island", "", "")],
        [("LG", "G6"), ("HTC", "One"), ("Motorola", "2020"), ("samsung", "Galaxy S21")],
    )
    for key in ("of", "1", "oz", "march", "christmas", "lg", "g6", "one", "2020"):
        assert key not in v.places and key not in v.cameras, key
    assert v.places["mali"] == "Mali"
    assert v.places["christmas island"] == "Christmas Island"
    assert {"orange", "reading", "galaxy"} <= v.cautious
    assert v.cameras["galaxy s21"] == "Galaxy S21"
    assert "galaxy s21" not in v.cautious
    assert v.cameras["htc"] == "HTC"
    # "christmas island" is a place, "christmas" a date
    u = understand("christmas island", TODAY, v)
    assert labels(u) == [("place", "Christmas Island")]
    u = understand("christmas", TODAY, v)
    assert labels(u) == [("date", "Christmas")]
    # a cautious place: with a capital, after in/at/from
    assert labels(understand("Reading", TODAY, v)) == []
    assert labels(understand("reading in the garden", TODAY, v)) == []
    assert labels(understand("picnic in Reading", TODAY, v)) == [("place", "Reading")]


def test_build_vocabulary_places():
    v = build_vocabulary(
        [("Paris", "Île-de-France", "France"), ("New York City", "New York", "United States"),
         ("", "", "Korea, Republic of"), ("The Hague", "South Holland", "Netherlands"),
         ("Paris", "Texas", "United States")],
        [],
    )
    assert v.places["paris"] == "Paris"
    assert v.places["île-de-france"] == v.places["ile-de-france"] == "Île-de-France"
    assert v.places["new york"] == "New York"  # the state's own name before the city's alias
    assert v.places["nyc"] == "New York City"
    assert v.places["usa"] == v.places["美国"] == "United States"
    assert v.places["south korea"] == v.places["韩国"] == "Korea, Republic of"
    assert v.places["巴黎"] == "Paris"
    assert v.places["the hague"] == v.places["hague"] == "The Hague"
    assert v.places["荷兰"] == "Netherlands"
    assert "" not in v.places


def test_a_hand_made_vocabulary_works_too():
    v = Vocabulary({"paris": "Paris", "new york": "New York"}, {"iphone": "iPhone"})
    u = understand("sunset in new york from my iphone", TODAY, v)
    assert u.text == "sunset"
    assert u.filters == Filters(place="New York", camera="iPhone")


def test_a_place_followed_by_the_place_it_lies_in_is_one_place():
    assert VOCAB.within["paris"] >= {"ile-de-france", "france"}
    u = read("Paris, France")
    assert (labels(u), u.filters) == ([("place", "Paris, France")], Filters(place="Paris"))
    u = read("Yoyogi Tokyo Japan")
    assert (labels(u), u.filters) == ([("place", "Yoyogi, Tokyo")], Filters(place="Yoyogi"))
    # two places, neither in the other: the first is the filter, the second stays words
    u = read("Paris Tokyo")
    assert (u.text, labels(u)) == ("Tokyo", [("place", "Paris")])
    u = read("France, Paris")
    assert (u.text, labels(u)) == ("Paris", [("place", "France")])


# -- robustness ------------------------------------------------------------------------------

_PIECES = (
    "beach dog in at from my on with the of photos 2023 1999 march may summer winter last this "
    "past 3 days ago christmas eve new year's 2021-03-04 2019-2021 between and to before after "
    "since Paris new york iPhone 12 pro canon png jpeg files , - \" “ ” 「 」 去年 夏天 的 在 巴黎 "
    "2023年 3月 4日 到 以前 用 拍 照片 春节 最近 7天 x 1920 thanksgiving easter spring hot"
).split()


def test_any_mix_of_words_reads_without_error_and_chips_point_into_the_text():
    rng = random.Random(20261202)
    for _ in range(3000):
        typed = (" " if rng.random() < 0.7 else "").join(
            rng.choice(_PIECES) for _ in range(rng.randint(0, 9))
        )
        u = read(typed)
        assert u.text == u.text.strip() and "  " not in u.text
        assert not any(q in u.text for q in '"“”「」'), typed
        last = 0
        for chip in u.chips:
            assert last <= chip.start < chip.end <= len(typed), typed
            last = chip.end
            literal = keep_literal(typed, chip)
            assert len(literal) == len(typed) + 2
            read(literal)
        if u.filters.taken_from and u.filters.taken_until and len(
                [c for c in u.chips if c.kind == "date"]) == 1:
            assert u.filters.taken_from < u.filters.taken_until, typed


def test_understanding_is_pure():
    typed = "dog photos from my iPhone in Paris last summer as jpeg"
    assert read(typed) == read(typed)
    assert read(typed, today=date(2025, 12, 2)) != read(typed)


def test_importing_it_stays_light():
    """Called on every keystroke, imported by the window: no Qt, torch, numpy or SQLAlchemy,
    and not dateutil's parser."""
    code = (
        "import sys; import core.search.understanding;"
        "heavy = {'torch', 'numpy', 'sqlalchemy', 'PySide6', 'dateutil.parser'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_long_pasted_text_reads_whole():
    """A pasted page: every part read, nothing lost (and, not asserted here, in time linear in
    its length: a run of filler is stripped by moving indices)."""
    u = read("的" * 3000 + "2023年")
    assert (u.text, labels(u)) == ("", [("date", "2023年")])
    u = read("sunset" + " " * 3000 + "photos , " * 300 + "in Paris")
    assert (u.text, labels(u)) == ("sunset", [("place", "Paris")])
    typed = " ".join(["beach"] * 1000 + ["2023"])
    assert read(typed).text == " ".join(["beach"] * 1000)
