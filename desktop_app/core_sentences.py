"""Core's sentences, said in the interface's language.

Core is headless and writes English, for the command line and the log. The sentences a window
shows most (the model's states, a model that cannot be fetched, a rebuilt index, folders that
cannot be watched, a switch that did not finish) are recognised here by core's wording, with
their {fields}, and said again through Qt's translation; their fields are worded the same way
when they are sentences themselves. A sentence that matches nothing is shown as core wrote it:
a rare error in English is better than none.
"""

from __future__ import annotations

import re
from functools import cache

from desktop_app.i18n import translate

# Core's wording, field for field (core/lifecycle/session.py, core/lifecycle/model_setup.py,
# core/lifecycle/live.py, core/models/download.py, core/vectors/index.py, core/library/opening.py).
# tests/gui/test_core_sentences.py makes core say each and checks that it is recognised.
CORE = (
    "Loading the model {name}…",
    "Preparing {model}; searches use the current model until it has indexed your photos.",
    "The model download was cancelled.",
    "The model could not be loaded: {reason}",
    "The model {name} has random weights: search results mean nothing. Choose a real model "
    "in Settings.",
    "Model {name} is not downloaded yet and cannot be fetched ({reason}). Connect to the "
    "internet once to download {size}, or choose a local weights file with '--model {file}'.",
    "about {mb} MB",
    "its weights",
    "Switching to {model} did not finish: {why} {current} still answers your searches.",
    "it was cancelled.",
    "something went wrong ({reason}).",
    "Something went wrong: {reason}",
    "Folders cannot be watched for changes ({reason}); new photos are found when PhotoSeek "
    "starts.",
    "The search index for {name} was rebuilt from the catalog because {reason}.",
    "The search index for {name} was rebuilt from the catalog because {reason}. The old file "
    "was kept as {kept}.",
)


def _said() -> tuple[str, ...]:
    """CORE in the interface's language, in the same order (read each time: the language may
    have changed since)."""
    return (
        translate("CoreSentences", "Loading the model {name}…"),
        translate("CoreSentences", "Preparing {model}; searches use the current model until "
                  "it has indexed your photos."),
        translate("CoreSentences", "The model download was cancelled."),
        translate("CoreSentences", "The model could not be loaded: {reason}"),
        translate("CoreSentences", "The model {name} has random weights: search results mean "
                  "nothing. Choose a real model in Settings."),
        translate("CoreSentences", "Model {name} is not downloaded yet and cannot be fetched "
                  "({reason}). Connect to the internet once to download {size}, or choose a "
                  "local weights file with “Use a weights file…”."),
        translate("CoreSentences", "about {mb} MB"),
        translate("CoreSentences", "its weights"),
        translate("CoreSentences", "Switching to {model} did not finish: {why} {current} "
                  "still answers your searches."),
        translate("CoreSentences", "it was cancelled."),
        translate("CoreSentences", "something went wrong ({reason})."),
        translate("CoreSentences", "Something went wrong: {reason}"),
        translate("CoreSentences", "Folders cannot be watched for changes ({reason}); new "
                  "photos are found when PhotoSeek starts."),
        translate("CoreSentences", "The search index for {name} was rebuilt from the catalog "
                  "because {reason}."),
        translate("CoreSentences", "The search index for {name} was rebuilt from the catalog "
                  "because {reason}. The old file was kept as {kept}."),
    )


# What a field can hold where "anything" would be ambiguous: model names have no spaces, and
# a switch's reason is a whole sentence of its own.
_FIELDS = {"name": r"\S+", "model": r"\S+", "current": r"\S+", "mb": r"[\d,.]+",
           "why": r".+[.!]"}


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>{_FIELDS.get(part, '.+?')})" if i % 2 else re.escape(part)
        for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def say(message: str) -> str:
    """``message`` in the interface's language when it is one of core's known sentences."""
    said = _said()
    for template, translated in zip(CORE, said, strict=True):
        match = _pattern(template).fullmatch(message)
        if match is not None:
            fields = {name: say(value) for name, value in match.groupdict().items()}
            return translated.format(**fields)
    return message
