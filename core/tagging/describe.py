"""What a photo shows, in a few words: short descriptions composed from the vocabulary.

Scoring every sentence the vocabulary could compose is out of reach (hundreds of subjects times
hundreds of settings), and most are absurd for any one photo. So the photo's own scores choose
the parts first: its best few subjects (a dog, people, a cake), settings and occasions (on the
beach, at a birthday party) and times (at night, at sunset), by how far each stands above the
library's bulk (or by score alone, without a library). Their compositions ("a dog on the beach",
"people at a birthday party", "a city street at night", "a dog on the beach at sunset") and
the parts alone are then scored by the model against the photo, each as "a photo of ...", and
the best are kept: the model judges the whole sentence, so a pair whose parts each match but do
not go together ranks below one that does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from core.catalog import lookups
from core.catalog import tags as catalog_tags
from core.catalog.database import Catalog
from core.errors import PhotoSeekError
from core.records import Description
from core.tagging.own import TagError
from core.tagging.prompts import EmbedTexts
from core.tagging.tagger import TaggingModel, tag_space, tags_for
from core.tagging.thresholds import Bulk
from core.tagging.vocabulary import Category, Role, Vocabulary
from core.vectors import codec

SUBJECTS = 4  # best subjects composed
SETTINGS = 3  # best settings or occasions composed
TIMES = 2  # best times composed
TEMPLATE = "a photo of {}."


def candidates(
    categories: Sequence[Category], scores: np.ndarray, bulk: Bulk | None
) -> list[str]:
    """Phrases worth scoring for a photo with these ``scores`` (one per category)."""
    strength = bulk.z(scores) if bulk is not None else np.asarray(scores, np.float32)

    def best(roles: set[Role], count: int) -> list[Category]:
        picked = [i for i, c in enumerate(categories) if c.role in roles]
        picked.sort(key=lambda i: -float(strength[i]))
        return [categories[i] for i in picked[:count]]

    subjects = best({Role.SUBJECT}, SUBJECTS)
    settings = best({Role.SETTING, Role.OCCASION}, SETTINGS)
    times = best({Role.TIME}, TIMES)
    found = [c.phrase for c in (*subjects, *settings, *times, *best({Role.STYLE}, 1))]
    for subject in subjects:
        found += [f"{subject.phrase} {place.where}" for place in (*settings, *times)]
        found += [f"{subject.phrase} {s.where} {t.where}" for s in settings for t in times]
    for setting in settings:
        if setting.role is Role.SETTING:  # "the beach at sunset"; an occasion needs a subject
            found += [f"{setting.phrase} {t.where}" for t in times]
    return list(dict.fromkeys(found))


def best_descriptions(
    photo: np.ndarray, phrases: list[str], embed: EmbedTexts, count: int = 5
) -> list[tuple[str, float]]:
    """The ``count`` phrases the model finds closest to the unit vector ``photo``."""
    if not phrases:
        return []
    texts = np.asarray(embed([TEMPLATE.format(p) for p in phrases]), np.float32)
    scores = texts @ np.asarray(photo, np.float32)
    order = np.argsort(-scores, kind="stable")[:count]
    return [(phrases[i], float(scores[i])) for i in order]


def describe_photo(
    catalog: Catalog,
    model_id: int,
    dim: int,
    model: TaggingModel,
    vocabulary: Vocabulary,
    photo: Path | int,
    embed_file: Callable[[Path], np.ndarray],
    count: int = 5,
) -> Description:
    """What ``photo`` (a library photo's id, or any photo file) shows. A library photo with a
    vector keeps its stored tags (tag the library first); any other is embedded from its file
    (``embed_file``) and tagged by the library's rule."""
    photo_id, path, stored = _find(catalog, model_id, photo)
    vector = None
    if stored is not None:
        try:
            vector = codec.decode(stored, dim)
            vector /= float(np.linalg.norm(vector))
        except codec.DamagedVectorError:
            vector = None  # embedded again from its file below
    if vector is None:
        if path is None:
            raise TagError(f"Photo {photo} has no vector yet; index the library first.")
        try:
            vector = np.asarray(embed_file(path), np.float32)
        except PhotoSeekError as exc:
            raise TagError(f"{path.name}: {getattr(exc, 'reason', exc)}") from exc
    space = tag_space(catalog, model_id, dim, model, vocabulary)
    assert space is not None  # never cancelled
    if stored is not None and photo_id is not None:
        with catalog.read() as conn:
            tags = catalog_tags.tags_of_photo(conn, photo_id)
    else:
        tags = tags_for(vector, space.vectors, space.names, space.bulk, model.calibration)[0]
    scores = space.vectors @ vector
    phrases = candidates(space.categories, scores, space.bulk)
    return Description(path, photo_id, tags,
                       best_descriptions(vector, phrases, model.embed_texts, count))


def _find(
    catalog: Catalog, model_id: int, photo: Path | int
) -> tuple[int | None, Path | None, bytes | None]:
    """(library photo id, its path, its stored vector), as far as each is known."""
    with catalog.read() as conn:
        if isinstance(photo, int):
            found = lookups.photos_by_id(conn, [photo]).get(photo)
            if found is None:
                raise TagError(f"There is no photo {photo} in the library.")
            photo_id, path = photo, found.path
        else:
            path = Path(photo).expanduser().resolve()
            at = lookups.photo_at(conn, path)
            if at is None:
                if not path.is_file():
                    raise TagError(f"{path} is not a photo that can be read.")
                return None, path, None
            photo_id = at[0]
        stored = lookups.embedding_of_photo(conn, photo_id, model_id)
    return photo_id, path, stored[1] if stored is not None else None
