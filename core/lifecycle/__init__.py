"""A library kept alive: the indexing service, the folder watcher, and the session that
runs them for the desktop app and for `photoseek watch` alike."""
