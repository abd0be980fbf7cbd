"""Help ▸ How to Search: one short page on what the search understands.

Every example here is something the product does today (tests/gui/test_help.py reads the typed
examples with core's own ``understand`` and finds each named command in the window's menus):
words go to the model; dates, the library's places and cameras and file types typed among them
become filters (core.search.understanding); photos are examples; "not" terms steer away; each
chip's weight is ×0.5 to ×3 (desktop_app.search_bar.WEIGHTS); a query typed whole in quotes
finds that exact text in photos (core.ocr.matching).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QTextBrowser, QVBoxLayout

from desktop_app.i18n import translate

# Typed examples that become filters, each with the kind of chip core makes of it.
TYPED_FILTERS: tuple[tuple[str, str], ...] = (
    ("beach 2023", "date"),
    ("dog last summer", "date"),
    ("snow before 2020", "date"),
    ("christmas 2019", "date"),
    ("cat png", "type"),
)

# (menu, command) named on the page: each must exist in the window's menus.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("File", "Paste Image to Search"),
    ("Edit", "Not… (Exclude Typed Words)"),
    ("Photo", "More Like This"),
    ("Photo", "Less Like This"),
    ("View", "Tags Panel"),
)

# The page, a section per piece so that a translator meets one paragraph at a time. Each is
# marked here (QT_TRANSLATE_NOOP: lupdate extracts it) and translated when the page is made.
_MARKED = (
    QT_TRANSLATE_NOOP("HowToSearch", "<h2>How to search</h2>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Words</h3><p>Describe the photo: <i>dog on a beach</i>, <i>red car at night</i>, "
        "<i>birthday cake with candles</i>. Results follow as you type; Enter searches at once. "
        "While the search model is still loading, words find file names, folder names and "
        "dates.</p>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Photos</h3><p>Drop a photo on the window or the search field, or copy one and use "
        "<b>File ▸ Paste Image to Search</b> (Ctrl+V), to find photos like it. Select photos in "
        "the grid and use <b>Photo ▸ More Like This</b> to add them as examples. Words and "
        "photos combine: each shows as a chip.</p>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Not</h3><p>Type words and press <b>Not…</b> beside the field (<b>Edit ▸ Not… "
        "(Exclude Typed Words)</b>) to steer away from them: <i>beach</i>, then <i>not "
        "people</i>. For photos, use <b>Photo ▸ Less Like This</b>. A chip's × removes it.</p>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Weights</h3><p>Click a photo chip (“like …”) or a “not …” chip and choose how much "
        "it counts: ×0.5, ×1, ×2 or ×3.</p>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Filters</h3><p>The <b>When</b>, <b>Where</b>, <b>Camera</b> and <b>Type</b> "
        "buttons above the grid narrow the results; each choice shows as a chip, and a chip's "
        "× removes it. Clicking a folder in the library panel keeps to that folder. You can "
        "also type them with your words: <i>beach 2023</i>, <i>dog last summer</i>, <i>snow "
        "before 2020</i>, <i>christmas 2019</i>, <i>cat png</i>, and places or cameras your "
        "photos have (<i>sunset in Paris</i>, <i>shot on iPhone</i>). What was understood shows "
        "as a chip; remove it to search those words as words instead.</p>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Text in photos</h3><p>PhotoSeek reads the text in photos (signs, receipts, "
        "screenshots) in the background, and words you type find it. Type the whole search in "
        "quotes, <i>\"TOTAL 42.50\"</i>, for photos that show exactly that text; if none does, "
        "the words are searched as usual.</p>"),
    QT_TRANSLATE_NOOP(
        "HowToSearch",
        "<h3>Tags</h3><p>The tags panel (<b>View ▸ Tags Panel</b>, Ctrl+T) lists what your "
        "photos show. Click a tag to see its photos; click more to combine them. Add your own "
        "tag (<i>my red bike</i>) in its field.</p>"),
    QT_TRANSLATE_NOOP("HowToSearch", "<p>Press F1 for all keyboard shortcuts.</p>"),
)
SECTIONS: tuple[str, ...] = tuple(map(str, _MARKED))  # the marker is typed as returning object
PAGE = "\n".join(SECTIONS)  # the page in English, as written


def page_html() -> str:
    """The page in the interface's language."""
    return "\n".join(translate("HowToSearch", section) for section in SECTIONS)


class HowToSearch(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("How to Search"))
        self.resize(560, 640)
        layout = QVBoxLayout(self)
        self.page = QTextBrowser(self)
        self.page.setOpenLinks(False)  # no links out: the page is all there is
        self.page.setHtml(page_html())
        layout.addWidget(self.page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_how_to_search(window: QMainWindow) -> HowToSearch:
    """The window's page (made once), shown and raised."""
    page = window.findChild(HowToSearch)
    if not isinstance(page, HowToSearch):
        page = HowToSearch(window)
    page.show()
    page.raise_()
    page.activateWindow()
    return page
