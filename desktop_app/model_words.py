"""The offered models (core.models.names.KNOWN_MODELS) as the window words them, in its language.

Core describes each model in English for the command line. The window says the same things
through Qt's translation: each of core's short phrases is looked up by its English text, so a
phrase core changes or adds still shows (in English) instead of vanishing. Published figures
and speeds are rebuilt here with the locale's numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.i18n import number, translate

if TYPE_CHECKING:
    from core.models.names import ModelInfo
    from core.models.speed import Speed


def phrases() -> dict[str, str]:
    """Core's English phrase -> the window's words (built per call: the language may change)."""
    return {
        # labels: the choice in one or two words
        "Recommended": translate("ModelWords", "Recommended"),
        "High quality": translate("ModelWords", "High quality"),
        "Multilingual": translate("ModelWords", "Multilingual"),
        "Small download": translate("ModelWords", "Small download"),
        # what each is good at
        "The best search for its cost: clearly better than the small model at about the same "
        "speed per photo.": translate(
            "ModelWords", "The best search for its cost: clearly better than the small model "
            "at about the same speed per photo."),
        "Finer detail and the best results here; about 3x slower to index on a CPU.": translate(
            "ModelWords", "Finer detail and the best results here; about 3x slower to index "
            "on a CPU."),
        "Search in Chinese and about 100 other languages; indexes as fast as the small model.":
            translate("ModelWords", "Search in Chinese and about 100 other languages; indexes "
                      "as fast as the small model."),
        "The smallest download and the fastest; good results.": translate(
            "ModelWords", "The smallest download and the fastest; good results."),
        # languages
        "English": translate("ModelWords", "English"),
        "about 100 languages (Chinese, Japanese, Korean, Russian, Arabic, ...)": translate(
            "ModelWords", "about 100 languages (Chinese, Japanese, Korean, Russian, Arabic, ...)"),
        "Chinese": translate("ModelWords", "Chinese"),
    }


def phrase(text: str) -> str:
    """One of core's phrases about a model in the window's language (as is when unknown)."""
    return phrases().get(text, text)


def quality(info: ModelInfo) -> str:
    """The published figures in one line, e.g. 'MSCOCO text-to-image R@1 47.2, …'."""
    parts = []
    if info.coco_t2i_r1 is not None:
        parts.append(translate("ModelWords", "MSCOCO text-to-image R@1 {0}")
                     .format(number(info.coco_t2i_r1, 1)))
    if info.imagenet is not None:
        parts.append(translate("ModelWords", "ImageNet zero-shot {0}%")
                     .format(number(info.imagenet, 1)))
    if info.xm3600:  # "English 73.2": a language, then its figure
        language, _, figure = info.xm3600.rpartition(" ")
        parts.append(translate("ModelWords", "Crossmodal-3600 recall {0} {1}")
                     .format(phrase(language), figure))
    return translate("ModelWords", ", ", "list separator").join(parts)


def note(info: ModelInfo) -> str:
    """What it is good at, its languages and its published quality, in two sentences."""
    figures = quality(info)
    if figures:
        return translate("ModelWords", "{good_at} Reads {languages}. Published quality: "
                         "{quality}.").format(good_at=phrase(info.good_at),
                                              languages=phrase(info.languages), quality=figures)
    return translate("ModelWords", "{good_at} Reads {languages}.").format(
        good_at=phrase(info.good_at), languages=phrase(info.languages))


def photo_rate(speed: Speed) -> str:
    """Photos a second as the locale writes them: whole from 10 up, one decimal below."""
    return number(speed.photos_per_s, 0 if speed.photos_per_s >= 10 else 1)


def speed_label(speed: Speed) -> str:
    """'about 42 photos/s (measured here)' / '(estimated)'."""
    rate = photo_rate(speed)
    if speed.measured:
        return translate("ModelWords", "about {0} photos/s (measured here)").format(rate)
    return translate("ModelWords", "about {0} photos/s (estimated)").format(rate)
