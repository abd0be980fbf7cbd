"""The interface's language: chosen from the system's locale or in Settings, saved as the
``language`` setting, applied by the translators ``i18n.install`` puts on the application, and
a "Restart Now" that quits first and starts PhotoSeek again without handing over to itself."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from desktop_app import i18n
from tests.gui.conftest import TIMEOUT_MS, indexed_photos, make_window  # noqa: F401 - fixtures

pytestmark = pytest.mark.gui

TINY_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>SettingsDialog</name>
<message><source>Restart Now</source><translation>立即重启</translation></message>
</context>
</TS>
"""


@pytest.fixture
def default_locale(qapp) -> Iterator[None]:
    """install() sets the default locale and translators: put both back for later tests."""
    before = QLocale()
    yield
    i18n.install(i18n.ENGLISH)
    QLocale.setDefault(before)


@pytest.mark.parametrize(("system", "shown"), [
    ("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"),  # Simplified Chinese's locales
    ("en_US", "en"), ("fr_FR", "en"),  # no translation of its own: English
    ("zh_TW", "en"), ("zh_HK", "en"),  # Traditional Chinese reads English rather than Simplified
])
def test_the_system_setting_follows_the_locale(system: str, shown: str) -> None:
    assert i18n.resolve(i18n.SYSTEM, QLocale(system)) == shown


def test_a_chosen_language_wins_over_the_locale() -> None:
    assert i18n.resolve("zh_CN", QLocale("fr_FR")) == "zh_CN"
    assert i18n.resolve("en", QLocale("zh_CN")) == "en"
    assert i18n.resolve("tlh", QLocale("zh_CN")) == "zh_CN"  # unknown: as System


def test_installing_chinese_translates_and_english_removes_it(
    default_locale: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts.translations import lrelease

    ts = tmp_path / "photoseek_zh_CN.ts"
    ts.write_text(TINY_TS, encoding="utf-8")
    lrelease(ts, tmp_path / "photoseek_zh_CN.qm")
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    assert i18n.install("zh_CN") == "zh_CN"
    assert QCoreApplication.translate("SettingsDialog", "Restart Now") == "立即重启"
    assert QLocale().name() == "zh_CN"
    assert i18n.install("en") == "en"
    assert QCoreApplication.translate("SettingsDialog", "Restart Now") == "Restart Now"


def test_the_shipped_chinese_translates_settings(default_locale: None) -> None:
    qm = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "photoseek_zh_CN.qm"
    if not qm.is_file():
        pytest.skip("no compiled Chinese translation yet")
    i18n.install("zh_CN")
    if QCoreApplication.translate("SettingsDialog", "Restart Now") == "Restart Now":
        pytest.skip("the shipped translation does not have Settings' strings yet")
    assert QCoreApplication.translate("SettingsDialog", "Language:") == "语言："


def test_system_names_the_language_it_gives() -> None:
    from desktop_app.settings_dialog import language_choices

    assert language_choices(QLocale("zh_SG")) == [
        ("system", "System (简体中文)"), ("en", "English"), ("zh_CN", "简体中文")]
    assert language_choices(QLocale("zh_TW"))[0] == ("system", "System (English)")


def test_settings_offer_the_languages_and_save_the_choice(
    make_window, isolated_home: Path, qtbot, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from core.config.settings import Settings
    from desktop_app import restart
    from desktop_app.settings_dialog import SettingsDialog

    restarted: list[object] = []
    monkeypatch.setattr(restart, "restart", restarted.append)
    window = make_window()
    dialog = SettingsDialog(window.engine, window)
    box = dialog.language_box
    assert [box.itemData(i) for i in range(box.count())] == ["system", "en", "zh_CN"]
    system = dict(i18n.LANGUAGES)[i18n.resolve(i18n.SYSTEM)]
    assert [box.itemText(i) for i in range(box.count())] == [
        f"System ({system})", "English", "简体中文"]
    assert box.currentData() == "system"  # nothing saved yet

    # The language that System does not give here: the shown one changes, so a restart is offered.
    other = "en" if i18n.resolve(i18n.SYSTEM) == "zh_CN" else "zh_CN"
    box.setCurrentIndex(box.findData(other))
    dialog.accept()
    saved = isolated_home / "settings.json"
    qtbot.waitUntil(lambda: Settings.load(saved).language == other, timeout=TIMEOUT_MS)
    message = dialog.restart_box
    assert message is not None and message.isVisible()
    assert message.text() == "The new language applies the next time PhotoSeek starts."
    later = next(b for b in message.buttons() if b.text() == "Later")
    later.click()
    assert not restarted and window.isVisible()

    again = SettingsDialog(window.engine, window)
    assert again.language_box.currentData() == other  # the saved choice is shown
    again.language_box.setCurrentIndex(again.language_box.findData("system"))
    again.accept()
    qtbot.waitUntil(lambda: Settings.load(saved).language == "system", timeout=TIMEOUT_MS)
    now = next(b for b in again.restart_box.buttons() if b.text() == "Restart Now")
    now.click()
    assert restarted == [window]


def test_restart_quits_first_and_starts_again_once_the_instance_server_is_closed(
    make_window, isolated_home: Path, qtbot, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from desktop_app import restart
    from desktop_app.single_instance import InstanceServer

    started: list[tuple[str, list[str]]] = []

    class Process:  # QProcess.startDetached, recorded instead of starting a second app
        @staticmethod
        def startDetached(program: str, arguments: list[str], folder: str) -> bool:  # noqa: N802
            started.append((program, arguments))
            return True

    app = QCoreApplication.instance()
    quits: list[bool] = []
    monkeypatch.setattr(restart, "QProcess", Process)
    monkeypatch.setattr(app, "quit", lambda: quits.append(True))
    window = make_window()
    server = InstanceServer(isolated_home, app)
    assert server.listening
    try:
        assert restart.restart(window)
        assert not window.isVisible() and quits == [True]
        assert not started  # not before the app quits: the old one still listens until then
        app.aboutToQuit.emit()
        assert not server.listening  # a new start cannot hand over to the one quitting
        assert started == [restart.restart_command()]
        app.aboutToQuit.emit()  # a later quit (the next test's app) starts nothing more
        assert len(started) == 1
    finally:
        server.close()
        server.setParent(None)


def test_the_restart_command_starts_the_same_program(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.restart import restart_command

    monkeypatch.setattr(sys, "argv", ["/usr/bin/photoseek", "--home", "/data"])
    program, arguments = restart_command()
    assert program == sys.executable and arguments[-2:] == ["--home", "/data"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert restart_command() == ("/usr/bin/photoseek", ["--home", "/data"])


def test_every_offered_model_is_worded_and_english_says_what_core_says(qapp) -> None:
    """desktop_app.model_words says core's model descriptions again, translatable: a model or a
    phrase core adds must be worded there too, and English must read exactly as core."""
    from core.models.names import KNOWN_MODELS
    from desktop_app import model_words

    known = model_words.phrases()
    for info in KNOWN_MODELS:
        language = (info.xm3600 or "English 0").rpartition(" ")[0]
        assert {info.label, info.good_at, info.languages, language} <= known.keys(), info.name
        assert model_words.note(info) == info.note
