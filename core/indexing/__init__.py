"""Indexing steps: walking folders, reconciling the catalog with the disk, embedding photos."""
