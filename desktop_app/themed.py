"""Style sheets that use palette() colours are resolved once; re-resolve them when the system
switches between light and dark, so custom-drawn frames follow the theme like everything else."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget


def restyle_on_theme_change(widget: QWidget, event: QEvent) -> None:
    """Call from ``changeEvent``: re-apply the widget's palette-based style sheet."""
    if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.ThemeChange):
        sheet = widget.styleSheet()
        widget.setStyleSheet("")
        widget.setStyleSheet(sheet)
