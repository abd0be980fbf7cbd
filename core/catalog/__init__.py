"""The SQLite catalog: the library's source of truth (folders, photos, vectors)."""
