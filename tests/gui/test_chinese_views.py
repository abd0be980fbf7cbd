"""The results and library views in Chinese: the timeline's months and days, the preview's
dates and field names, the grid's tool tips, the folders panel follow the interface's language
(QLocale with translated formats), and go back to English when it does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.records import Failure, Folder, LibraryStatus, Photo, SearchHit

pytestmark = pytest.mark.gui


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    from desktop_app import i18n

    assert i18n.install("zh_CN") == "zh_CN", "the Chinese translation did not load"
    yield
    i18n.install("en")


def _timeline() -> tuple[list[tuple[str | None, str | None]], list[str]]:
    from desktop_app.timeline import group, years

    sections = group(["2024-03-14 10:00:00", "2024-03-02 09:00:00", "2022-07-01 08:00:00",
                      None])
    return [(s.month, s.day) for s in sections], [label for label, _s in years(sections)]


def test_the_timeline_and_the_preview_follow_the_language(chinese) -> None:
    from desktop_app.preview import describe

    labels, jump = _timeline()
    assert labels == [("2024年3月", "3月14日 周四"), ("2024年3月", "3月2日 周六"),
                      ("2022年7月", "7月1日 周五"), ("无日期", None)]
    assert jump == ["2024", "2022", "无日期"]
    photo = Photo(1, Path("/p/a.jpg"), 5_300_000, 4032, 3024, taken_at="2019-07-14 10:00:00")
    rows = dict(describe(photo, SearchHit(photo, 0.3124, match=True, relevance=0.7)))
    assert rows["拍摄时间"] == "2019年7月14日 10:00:00"
    assert rows["匹配度"] == "高度匹配（得分 0.312）"
    assert rows["文件大小"] == "5.1 MB"

    from desktop_app import i18n

    i18n.install("en")  # switched back: the same days in English, not the cached Chinese
    labels, jump = _timeline()
    assert labels[0] == ("March 2024", "Thursday 14") and jump[-1] == "No date"


def test_the_folders_panel_is_chinese(chinese, qtbot) -> None:
    from desktop_app.folders_panel import FoldersPanel

    panel = FoldersPanel()
    qtbot.addWidget(panel)
    panel.show_status(LibraryStatus(12_385, 12_040, 3, 0, "m", [
        Folder(1, Path("/photos/Pictures"), True, "events", 12_345, 12_000, 3),
        Folder(2, Path("/nas/Shared"), True, "polling", 40, 40)]))
    panel.show_failures([Failure(Path("/photos/Pictures/x.jpg"), "truncated"),
                         Failure(Path("/photos/Pictures/y.cr3"), "RAW", "unread")])
    first, second = panel.tree.topLevelItem(0), panel.tree.topLevelItem(1)
    assert panel.windowTitle() == "照片库"
    assert first.text(1) == "12,000 / 12,345"
    assert first.toolTip(1) == "已索引 12,000 / 12,345 张照片，3 张无法读取"
    assert first.child(0).text(0) == "1 个无法读取，1 个未读取（其他格式…）"
    assert second.text(0) == "Shared — 每隔几分钟检查一次"
