"""The GUI's wording of core's short words: indexing phases, time spans, script names, and
the hint to switch to a model that reads the language typed.

Core words these for the command line, in English (core.records.PHASE_WORDS,
core.records.duration_text, core.models.languages); core never imports Qt, so the window says
them again here, through Qt's translation, in the same shapes. tests/gui/test_wording.py keeps
the two in step: a phase core adds must be worded here too.
"""

from __future__ import annotations

from desktop_app.i18n import translate


def phases() -> dict[str, str]:
    """What indexing is doing, by phase ("scanning", "embedding" and the keys of
    core.records.PHASE_WORDS), without an ellipsis."""
    return {
        "scanning": translate("Words", "Looking for photos"),
        "embedding": translate("Words", "Indexing"),
        "model": translate("Words", "Preparing the model for this computer"),
        "places": translate("Words", "Naming places"),
        "tags": translate("Words", "Tagging photos"),
        "text": translate("Words", "Reading text in photos"),
    }


def phase(key: str) -> str | None:
    """The words of the phase ``key``; None for a phase without words ("done")."""
    return phases().get(key)


def duration(seconds: float) -> str:
    """A time span in words, as core.records.duration_text shapes it: 45 s, 3 min 05 s,
    2 h 10 min."""
    whole = max(0, round(seconds))
    if whole < 60:
        return translate("Words", "{0} s").format(whole)
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return translate("Words", "{0} min {1} s").format(minutes, f"{secs:02d}")
    hours, minutes = divmod(minutes, 60)
    return translate("Words", "{0} h {1} min").format(hours, f"{minutes:02d}")


def time_left(seconds: float) -> str:
    """"3 min 05 s left": the time a job still needs."""
    return translate("Words", "{0} left").format(duration(seconds))


def script_names() -> dict[str, str]:
    """The languages and scripts core.models.languages.foreign_script names ("Chinese",
    "Russian and other Cyrillic"), in the interface's language."""
    return {
        "Chinese": translate("Words", "Chinese"),
        "Japanese": translate("Words", "Japanese"),
        "Korean": translate("Words", "Korean"),
        "Russian and other Cyrillic": translate("Words", "Russian and other Cyrillic"),
        "Arabic": translate("Words", "Arabic"),
        "Hebrew": translate("Words", "Hebrew"),
        "Greek": translate("Words", "Greek"),
        "Thai": translate("Words", "Thai"),
        "Hindi": translate("Words", "Hindi"),
        "Bengali": translate("Words", "Bengali"),
        "Tamil": translate("Words", "Tamil"),
        "Armenian": translate("Words", "Armenian"),
        "Georgian": translate("Words", "Georgian"),
        "that language": translate("Words", "that language"),
    }


def script_name(script: str) -> str:
    """One of them in the interface's language; an unknown one as given."""
    return script_names().get(script, script)


def script_hint(text: str, model: str) -> str | None:
    """core.models.languages.script_hint in the interface's language: the users who need it
    most read another one than English. Core decides whether a hint is due."""
    from core.models.languages import foreign_script
    from core.models.languages import script_hint as core_hint
    from core.models.names import MULTILINGUAL_MODEL

    if core_hint(text, model) is None:
        return None
    return translate("Words", "The current model reads English only; for {script} searches "
                              "switch to the multilingual model, {model}, in Settings.").format(
        script=script_name(foreign_script(text) or "that language"), model=MULTILINGUAL_MODEL)
