"""The interface's language: Qt translators chosen from the setting or the system's language,
and numbers and dates written the locale's way.

Every visible string goes through Qt's translation system (``self.tr`` in a QObject, or
``translate("Context", "text")`` elsewhere); ``resources/i18n/photoseek_<language>.ts`` holds the
translations and ``scripts/translations.py`` extracts, fills and compiles them. English is the
source language: it needs no file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_app.app_icon import resources_dir

log = logging.getLogger(__name__)

SYSTEM = "system"
ENGLISH = "en"
CHINESE = "zh_CN"
# What Settings offers, each named in its own language (a reader of either finds theirs).
LANGUAGES: tuple[tuple[str, str], ...] = ((ENGLISH, "English"), (CHINESE, "简体中文"))

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text") calls

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer


def translations_dir() -> Path | None:
    folder = resources_dir()
    return folder / "i18n" if folder is not None else None


def resolve(setting: str, system: QLocale | None = None) -> str:
    """The language to show: the setting when it names one we ship, else the system's
    (any Chinese locale but Traditional Chinese's reads Simplified best), else English."""
    if setting in dict(LANGUAGES):
        return setting
    locale = system if system is not None else QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() not in (
        QLocale.Script.TraditionalChineseScript,
    ):
        return CHINESE
    return ENGLISH


def install(setting: str = SYSTEM) -> str:
    """Install the translators of the chosen language on the application (replacing any
    installed before) and make its locale the default one; returns the language."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    language = resolve(setting)
    # Numbers and dates follow the system's own locale (en_GB's dates, de_CH's digits) when it
    # speaks the language shown; the language's usual locale otherwise.
    system = QLocale.system()
    same = resolve(SYSTEM, system) == language and system.language() != QLocale.Language.C
    QLocale.setDefault(system if same else QLocale(language))
    if language == ENGLISH or app is None:
        return language
    ours = QTranslator()
    folder = translations_dir()
    if folder is not None and ours.load(str(folder / f"photoseek_{language}.qm")):
        _installed.append(ours)
    else:  # a broken install: say so in the log and show English rather than nothing
        log.warning("no %s translation in %s", language, translations_dir())
        return ENGLISH
    # Qt's own words (the buttons of standard dialogs: OK, Cancel, Open…)
    qt = QTranslator()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_dir) or qt.load(f"qt_{language}", qt_dir):
        _installed.append(qt)
    for translator in _installed:
        app.installTranslator(translator)
    return language


def number(value: int | float, decimals: int = 0) -> str:
    """A number with the locale's digit grouping (1,234 / 1 234 / 1.234)."""
    locale = QLocale()
    if isinstance(value, int) or decimals == 0:
        return locale.toString(int(round(value)))
    return locale.toString(float(value), "f", decimals)
