"""`photoseek search` with filters, understood words, sorting and --all, as a script sees it."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest

from core.cli.main import main
from tests.conftest import make_photo
from tests.test_narrowing import PARIS, TOKYO, exif_photo


@pytest.fixture
def dated_photos(tmp_path):
    root = tmp_path / "photos"
    exif_photo(root / "paris_2019.jpg", 1, "2019:07:14 10:00:00", ("Apple", "iPhone 12"), PARIS)
    exif_photo(root / "tokyo_2023.jpg", 2, "2023:03:03 09:00:00", ("Canon", "Canon EOS R5"), TOKYO)
    exif_photo(root / "xmas_2021.jpg", 3, "2021:12:25 18:00:00", ("Apple", "iPhone 12"))
    exif_photo(root / "trip" / "summer_2023.jpg", 4, "2023:08:01 12:00:00")
    scan = make_photo(root / "scan.png", 6)
    os.utime(scan, (datetime(2020, 5, 5, 12).timestamp(),) * 2)
    assert main(["--model", "test-tiny", "index", str(root)]) == 0
    return root


def search(capsys, *args: str) -> tuple[list[dict], str]:
    capsys.readouterr()
    assert main(["--model", "test-tiny", "search", *args, "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def names(rows: list[dict]) -> list[str]:
    return [row["path"].rsplit("/", 1)[-1] for row in rows]


def test_filters_alone_list_the_photos_that_pass_them_newest_first(capsys, dated_photos):
    rows, err = search(capsys, "--from", "2021", "--to", "2023-06")
    assert names(rows) == ["tokyo_2023.jpg", "xmas_2021.jpg"]
    assert "2 of" not in err and "2 photos pass the filters" in err
    rows, _ = search(capsys, "--place", "France")
    assert names(rows) == ["paris_2019.jpg"]
    assert rows[0]["place"] == "Paris, Île-de-France, France"
    assert rows[0]["camera"] == "Apple iPhone 12"
    assert rows[0]["taken_at"] == "2019-07-14 10:00:00"
    assert rows[0]["folder"] == str(dated_photos)
    assert rows[0]["score"] is None  # browsing: nothing was ranked
    rows, _ = search(capsys, "--camera", "canon", "--sort", "oldest")
    assert names(rows) == ["tokyo_2023.jpg"]
    rows, _ = search(capsys, "--folder", str(dated_photos / "trip"))
    assert names(rows) == ["summer_2023.jpg"]
    rows, _ = search(capsys, "--type", "png")
    assert names(rows) == ["scan.png"] and rows[0]["dated_by_file"] is True
    rows, _ = search(capsys, "--has-place", "no", "--sort", "oldest")
    assert names(rows) == ["scan.png", "xmas_2021.jpg", "summer_2023.jpg"]


def test_words_are_understood_and_quotes_keep_them_literal(capsys, dated_photos):
    rows, err = search(capsys, "photos from 2023", "--all")
    assert "understood: 2023" in err
    assert sorted(names(rows)) == ["summer_2023.jpg", "tokyo_2023.jpg"]
    rows, err = search(capsys, "a photo in Paris", "--all")
    assert "understood: Paris" in err and names(rows) == ["paris_2019.jpg"]
    rows, err = search(capsys, 'a photo "in Paris"', "--all")
    assert "understood" not in err and len(rows) == 5  # quoted: words for the model


def test_a_query_with_filters_ranks_inside_them_and_sorts_by_date(capsys, dated_photos):
    rows, _ = search(capsys, "a picture", "--from", "2021", "--all", "--sort", "newest")
    assert names(rows) == ["summer_2023.jpg", "tokyo_2023.jpg", "xmas_2021.jpg"]
    assert all(isinstance(r["score"], float) for r in rows)


def test_bad_dates_are_usage_errors(capsys, dated_photos):
    with pytest.raises(SystemExit) as stop:
        main(["--model", "test-tiny", "search", "--from", "last tuesday"])
    assert stop.value.code == 2
    assert "not a date" in capsys.readouterr().err
