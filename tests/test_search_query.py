"""Query terms: what is refused, and why, before any model is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.search.query import QueryError, build_query, parse_term
from tests.conftest import make_photo


@pytest.mark.parametrize(
    "negative",
    ["/no/such/photo.jpg", "missing.png", "2:/no/such/photo.jpg", "./gone", "~/gone.heic"],
)
def test_a_missing_photo_to_avoid_is_refused_not_searched_as_words(negative):
    with pytest.raises(QueryError, match="There is no photo at"):
        build_query("beach", negatives=[negative])


@pytest.mark.parametrize("image", ["/no/such/photo.jpg", "3:/no/such/photo.jpg", "words"])
def test_a_missing_example_photo_is_refused(image):
    with pytest.raises(QueryError, match="There is no photo at"):
        build_query(images=[image])


def test_a_path_that_is_not_a_photo_is_refused(tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    for term in (str(tmp_path), str(notes)):
        with pytest.raises(QueryError, match="is not a photo"):
            build_query(images=[term])
    with pytest.raises(QueryError, match="is not a photo"):
        build_query("x", negatives=[str(notes)])


@pytest.mark.parametrize("raw", ["0:dog", "0.0:dog", " 0 : dog"])
def test_a_weight_of_zero_is_refused(raw):
    with pytest.raises(QueryError, match="weight must be above zero"):
        parse_term(raw)
    with pytest.raises(QueryError, match="weight must be above zero"):
        build_query(raw)
    with pytest.raises(QueryError, match="weight must be above zero"):
        build_query("cat", negatives=[raw])


def test_words_and_existing_photos_still_work(tmp_path: Path):
    photo = make_photo(tmp_path / "dog.jpg", 1)
    query = build_query("2:red car", images=[str(photo)], negatives=["AC/DC", f"0.5:{photo}"])
    assert [(t.kind, t.weight, t.negative) for t in query.terms] == [
        ("text", 2.0, False), ("image", 1.0, False), ("text", 1.0, True), ("image", 0.5, True),
    ]
    assert query.terms[1].value == query.terms[3].value == str(photo.resolve())
    # The words typed are always words, even half a path: a search box sends each keystroke.
    assert build_query("/home/me/pic").terms[0].kind == "text"
