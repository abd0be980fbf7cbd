"""What a search asks of the text read in photos: words that must all appear, or, for a query
typed whole in quotes, the exact text. Pure and quick (every keystroke)."""

from __future__ import annotations

# A query typed in quotes: '"TOTAL 42.50"', “…”, 「…」, 『…』 (as core.search.understanding reads
# them). An opening quote not closed yet counts: the person is still typing the text.
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_QUOTE_MARKS = "".join(set(_QUOTES) | set(_QUOTES.values()))
# Punctuation around a word that is no part of what a photo says: "receipt," "(total)".
_AROUND = _QUOTE_MARKS + ".,;:!?()[]{}'`‘’。，、；：！？（）"


def exact_text(typed: str) -> str | None:
    """The text between the quotes when the whole query is one quoted phrase, else None."""
    typed = typed.strip()
    closing = _QUOTES.get(typed[:1])
    if closing is None:
        return None
    inner = typed[1:-1] if len(typed) > 1 and typed.endswith(closing) else typed[1:]
    if any(mark in inner for mark in _QUOTE_MARKS):
        return None  # several quoted parts: words kept literal for the model, not one text
    inner = " ".join(inner.split())
    return inner or None


def text_words(text: str) -> list[str]:
    """The words of ``text`` as a photo's text must contain them: split at spaces, the
    punctuation around each left out, each once. Chinese, written without spaces, stays one
    word per run of characters."""
    words = (word.strip(_AROUND) for word in text.split())
    return list(dict.fromkeys(word for word in words if word))
