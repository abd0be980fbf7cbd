"""PhotoSeek's headless engine: catalog, indexing, embedding, vector search.

Nothing in this package imports Qt; the desktop app adapts it.
"""

__version__ = "0.1.0"
