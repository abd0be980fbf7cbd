"""Which queries a model can read, and the one-line hint when it cannot.

The English-only models (CLIP trained on LAION, SigLIP 2's English release) embed a Chinese,
Japanese, Russian or Arabic query as near-noise: their vocabularies barely cover those scripts
and their training captions were English. Rather than answering with unrelated photos in
silence, the search says once which model reads that language.
"""

from __future__ import annotations

import unicodedata

from core.models.names import MULTILINGUAL_MODEL, canonical_model_name, model_info

# Text towers trained on many languages, by the architecture's name.
_MULTILINGUAL_ARCHS = ("xlm-roberta", "i18n", "nllb", "mt5", "multilingual")

# The first word of a letter's Unicode name, for the scripts worth naming in a hint.
_SCRIPT_NAMES = {
    "CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
    "CYRILLIC": "Russian and other Cyrillic", "ARABIC": "Arabic", "HEBREW": "Hebrew",
    "GREEK": "Greek", "THAI": "Thai", "DEVANAGARI": "Hindi", "BENGALI": "Bengali",
    "TAMIL": "Tamil", "ARMENIAN": "Armenian", "GEORGIAN": "Georgian",
}


def reads_all_scripts(model: str) -> bool:
    """True for a multilingual model (an offered one, or a known multilingual architecture)."""
    name = canonical_model_name(model)
    info = model_info(name)
    if info is not None:
        return info.multilingual
    head, _, rest = name.partition(":")
    arch = rest if head == "random" else head
    return any(word in arch.lower() for word in _MULTILINGUAL_ARCHS)


def foreign_script(text: str) -> str | None:
    """The language (or script) of the first letter outside the Latin script, if any.

    Japanese text mixes kana with Chinese characters: any kana makes it Japanese.
    """
    found: str | None = None
    for ch in text:
        if not ch.isalpha():
            continue
        word = unicodedata.name(ch, "").split(" ", 1)[0]
        if word in ("LATIN", ""):
            continue
        script = _SCRIPT_NAMES.get(word, "that language")
        if script == "Japanese":
            return script
        found = found or script
    return found


def script_hint(text: str, model: str, command_line: bool = False) -> str | None:
    """One line for a query in a script the model does not read, or None; it says how to
    switch in the app (Settings) or on the command line."""
    if not text or reads_all_scripts(model):
        return None
    script = foreign_script(text)
    if script is None:
        return None
    how = (f": photoseek index --model {MULTILINGUAL_MODEL}" if command_line
           else f", {MULTILINGUAL_MODEL}, in Settings.")
    return (f"The current model reads English only; for {script} searches switch to the "
            f"multilingual model{how}")
