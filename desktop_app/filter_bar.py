"""The filter bar: when, where, which camera, which file type, which folder, which tags, and the
order.

Each menu button shows its current choice ("2023", "Paris"); a chip per active filter removes it
in one click. The bar only holds choices: it emits a ``core.search.filters.Filters`` and a
``Sort``, and the search bar puts them in the draft that core answers. What the menus offer
(cameras, places, types, years) comes from the library (``set_choices``), read off the GUI
thread by the engine.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QMenu,
    QToolButton,
    QWidget,
)

from core.records import FilterChoices
from core.search.filters import Filters
from core.search.request import Sort
from desktop_app.i18n import translate
from desktop_app.search_bar import Chip

SORTS = (Sort.RELEVANCE, Sort.NEWEST, Sort.OLDEST)  # the order menu's, top to bottom


def sort_label(sort: Sort) -> str:
    return {
        Sort.RELEVANCE: translate("FilterBar", "Best match first"),
        Sort.NEWEST: translate("FilterBar", "Newest first"),
        Sort.OLDEST: translate("FilterBar", "Oldest first"),
    }[sort]


def year_span(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)


def _day(day: datetime) -> str:
    """A day the locale's way, in the format the language gives ("05 Mar 2021")."""
    return QLocale().toString(QDate(day.year, day.month, day.day),
                              translate("FilterBar", "dd MMM yyyy"))


def describe_dates(filters: Filters) -> str | None:
    """"2023", "05 Mar 2021 – 30 Jun 2021", "since 01 Jan 2020": how the bar names a date
    range."""
    start, end = filters.taken_from, filters.taken_until
    if start is None and end is None:
        return None
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 1, 1):
        if end.year == start.year + 1:
            return str(start.year)
        return f"{start.year} – {end.year - 1}"
    last = datetime.fromordinal(end.toordinal() - 1) if end else None
    if start and last:
        return f"{_day(start)} – {_day(last)}"
    if start:
        return translate("FilterBar", "since {0}").format(_day(start))
    assert last is not None
    return translate("FilterBar", "until {0}").format(_day(last))


class DateRangeDialog(QDialog):
    """Two dates, both days included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Photos taken between"))
        form = QFormLayout(self)
        today = QDate.currentDate()
        self.first = QDateEdit(today.addYears(-1), self)
        self.last = QDateEdit(today, self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(self.tr("d MMM yyyy"))
        form.addRow(self.tr("From"), self.first)
        form.addRow(self.tr("To"), self.last)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def span(self) -> tuple[datetime, datetime]:
        chosen = [self.first.date().toPython(), self.last.date().toPython()]
        assert all(isinstance(d, date) for d in chosen)
        first, last = sorted(d for d in chosen if isinstance(d, date))
        start = datetime(first.year, first.month, first.day)
        return start, datetime.fromordinal(last.toordinal() + 1)


class FilterBar(QWidget):
    filters_changed = Signal(object)  # Filters
    sort_changed = Signal(object)  # Sort

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = Filters()
        self.choices = FilterChoices()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.when = self._menu_button(self.tr("When"),
                                      self.tr("Photos taken in a year or between two dates"))
        self.where = self._menu_button(self.tr("Where"), self.tr(
            "Photos taken in a place (from their GPS position)"))
        self.camera = self._menu_button(self.tr("Camera"),
                                        self.tr("Photos taken with a camera or phone"))
        self.kind = self._menu_button(self.tr("Type"), self.tr("Files of one type"))
        for button in (self.when, self.where, self.camera, self.kind):
            layout.addWidget(button)
        self._chips = QHBoxLayout()
        self._chips.setSpacing(4)
        layout.addLayout(self._chips)
        layout.addStretch(1)
        self.sort = QComboBox(self)
        self.sort.setAccessibleName(self.tr("Order"))
        self.sort.setToolTip(self.tr("The order of the photos shown"))
        for sort in SORTS:
            self.sort.addItem(sort_label(sort), sort)
        self.sort.currentIndexChanged.connect(
            lambda _i: self.sort_changed.emit(self.sort.currentData())
        )
        layout.addWidget(self.sort)
        self._rebuild()

    def _menu_button(self, text: str, tooltip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAccessibleName(text)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(QMenu(button))
        return button

    # -- what the menus offer -------------------------------------------------------------

    def set_choices(self, choices: FilterChoices) -> None:
        self.choices = choices
        self._rebuild()

    def _rebuild(self) -> None:
        self._fill_when()
        self._fill_where()
        self._fill_list(self.camera, self.tr("Any camera"), self.choices.cameras, "camera")
        self._fill_list(self.kind, self.tr("Any type"), [t.upper() for t in self.choices.types],
                        "types")
        self._show_choices()

    def _add(self, menu: QMenu, text: str, filters: Filters, checked: bool) -> QAction:
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(checked)
        action.triggered.connect(lambda _c=False, f=filters: self.set_filters(f))
        return action

    def _fill_when(self) -> None:
        menu = self.when.menu()
        menu.clear()
        f = self.filters
        self._add(menu, self.tr("Any time"),
                  replace(f, taken_from=None, taken_until=None, yearly=None), not f.has_dates)
        menu.addSeparator()
        for year in self.choices.years[:30]:
            start, end = year_span(year)
            self._add(menu, str(year), replace(f, taken_from=start, taken_until=end),
                      (f.taken_from, f.taken_until) == (start, end))
        menu.addSeparator()
        menu.addAction(self.tr("Between Two Dates…")).triggered.connect(self._ask_dates)

    def _fill_where(self) -> None:
        menu = self.where.menu()
        menu.clear()
        f = self.filters
        self._add(menu, self.tr("Anywhere"), replace(f, place=None, has_place=None),
                  f.place is None and f.has_place is None)
        self._add(menu, self.tr("With a place"), replace(f, place=None, has_place=True),
                  f.has_place is True)
        self._add(menu, self.tr("Without a place"), replace(f, place=None, has_place=False),
                  f.has_place is False)
        if self.choices.places:
            menu.addSeparator()
        for shown, value in self.choices.places[:200]:
            self._add(menu, shown, replace(f, place=value, has_place=None), f.place == value)

    def _fill_list(self, button: QToolButton, any_text: str, values: list[str], field: str
                   ) -> None:
        menu = button.menu()
        menu.clear()
        f = self.filters
        if field == "camera":
            self._add(menu, any_text, replace(f, camera=None), f.camera is None)
        else:
            self._add(menu, any_text, replace(f, types=()), not f.types)
        if values:
            menu.addSeparator()
        for value in values:
            if field == "camera":
                self._add(menu, value, replace(f, camera=value), f.camera == value)
            else:
                wanted = ("jpg", "jpeg") if value.lower() in ("jpg", "jpeg") else (value.lower(),)
                self._add(menu, value, replace(f, types=wanted), f.types == wanted)

    def _ask_dates(self) -> None:
        dialog = DateRangeDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            start, end = dialog.span()
            self.set_filters(replace(self.filters, taken_from=start, taken_until=end))

    # -- the choices made -----------------------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        if filters == self.filters:
            return
        self.filters = filters
        self._rebuild()
        self.filters_changed.emit(filters)

    def set_folder(self, folder: Path | None) -> None:
        """Only photos inside ``folder`` (None: anywhere)."""
        self.set_filters(replace(self.filters, folders=(folder,) if folder else ()))

    def set_tags(self, tags: tuple[str, ...]) -> None:
        """Only photos carrying every one of ``tags`` (the tags panel's choice)."""
        self.set_filters(replace(self.filters, tags=tuple(tags)))

    def choose_tag(self, name: str) -> None:
        """Add the tag ``name`` to the tag filter (a tag clicked in the preview)."""
        if name not in self.filters.tags:
            self.set_tags((*self.filters.tags, name))

    def clear(self) -> None:
        self.set_filters(Filters())

    def _show_choices(self) -> None:
        f = self.filters
        dates = describe_dates(f)
        self.when.setText(self.tr("When: {0}").format(dates) if dates else self.tr("When"))
        where = f.place or (None if f.has_place is None else
                            self.tr("with a place") if f.has_place else self.tr("without a place"))
        self.where.setText(self.tr("Where: {0}").format(where) if where else self.tr("Where"))
        self.camera.setText(self.tr("Camera: {0}").format(f.camera) if f.camera
                            else self.tr("Camera"))
        self.kind.setText(self.tr("Type: {0}").format(f.types[0].upper()) if f.types
                          else self.tr("Type"))
        while self._chips.count():
            item = self._chips.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for folder in f.folders:
            chip = Chip(self.tr("in {0}").format(folder.name or folder), str(folder), self)
            chip.removed.connect(lambda: self.set_filters(replace(self.filters, folders=())))
            self._chips.addWidget(chip)
        for tag in f.tags:
            chip = Chip(self.tr("tagged {0}").format(tag),
                        self.tr("Only photos tagged “{0}”").format(tag), self)
            chip.removed.connect(lambda t=tag: self.set_tags(
                tuple(name for name in self.filters.tags if name != t)))
            self._chips.addWidget(chip)
        if not f.is_empty:
            clear = QToolButton(self)
            clear.setText(self.tr("Clear Filters"))
            clear.setAutoRaise(True)
            clear.clicked.connect(self.clear)
            self._chips.addWidget(clear)

    def set_browsing(self, browsing: bool) -> None:
        """The timeline has no best match: its first order reads "Newest first" there, and
        the other "Newest first" is hidden."""
        self.sort.setItemText(0, sort_label(Sort.NEWEST if browsing else SORTS[0]))
        view = self.sort.view()
        if hasattr(view, "setRowHidden"):
            view.setRowHidden(1, browsing)

    def set_sort(self, sort: Sort) -> None:
        index = self.sort.findData(sort)
        if index >= 0:
            self.sort.setCurrentIndex(index)
