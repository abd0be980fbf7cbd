"""The catalog's tables and their step-by-step upgrades.

The schema version lives in SQLite's ``user_version``. Each migration takes the database from
version N-1 to N inside one transaction; the catalog is copied to ``backups/`` before any upgrade.
Older catalogs therefore open after an upgrade, and a failed upgrade leaves the original intact.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()

folders = sa.Table(
    "folders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("path", sa.Text, nullable=False, unique=True),
    sa.Column("added_at", sa.Float, nullable=False),
    # v2: whether the folder was reachable at the last scan, and how it is kept fresh.
    sa.Column("online", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("watch_mode", sa.Text, nullable=False, server_default="events"),
    # v5: when a scan of the whole folder last finished (time.time()), None before the first.
    sa.Column("last_scan", sa.Float, nullable=True),
)

# Paths are stored relative to their folder: shorter rows, and a moved library folder is one update.
photos = sa.Table(
    "photos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "folder_id",
        sa.Integer,
        sa.ForeignKey("folders.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("rel_path", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("mtime_ns", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.LargeBinary, nullable=True),
    sa.Column("width", sa.Integer),
    sa.Column("height", sa.Integer),
    sa.Column("taken_at", sa.Text),
    sa.Column("camera_make", sa.Text),
    sa.Column("camera_model", sa.Text),
    sa.Column("gps_lat", sa.Float),
    sa.Column("gps_lon", sa.Float),
    sa.Column("orientation", sa.Integer),
    sa.Column("state", sa.Integer, nullable=False, server_default="0"),
    sa.Column("fail_reason", sa.Text),
    # v6: the named place its GPS position lies in (see core.places), None until geocoded.
    sa.Column("place_id", sa.Integer, sa.ForeignKey("places.id", ondelete="SET NULL")),
    sa.UniqueConstraint("folder_id", "rel_path", name="uq_photo_path"),
)
sa.Index("ix_photos_state", photos.c.state)

models = sa.Table(
    "models",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("dim", sa.Integer, nullable=False),
)

# One row per (photo, model). Its id is the label in that model's hnswlib index. AUTOINCREMENT
# (v3) means an id is never handed out twice, even after the newest row is deleted: a re-embedded
# photo always gets a new label, so an index file saved before the change can never answer with
# the old vector under the new row's label.
embeddings = sa.Table(
    "embeddings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "photo_id",
        sa.Integer,
        sa.ForeignKey("photos.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "model_id", sa.Integer, sa.ForeignKey("models.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("photo_id", "model_id", name="uq_embedding"),
    sqlite_autoincrement=True,
)

# v5: files in a library folder that PhotoSeek does not read (a RAW or a video, a path too long
# for the system, a folder that cannot be listed), each with its reason: nothing is skipped in
# silence. A scan of a folder replaces the rows it covers.
unread = sa.Table(
    "unread",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "folder_id", sa.Integer, sa.ForeignKey("folders.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("rel_path", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.UniqueConstraint("folder_id", "rel_path", name="uq_unread_path"),
)

# v5: folders inside a library folder that another file system is mounted on (a drive, a
# share). Once unmounted, such a folder is empty or gone: its photos are kept, offline, instead
# of being taken for deleted.
mounts = sa.Table(
    "mounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "folder_id", sa.Integer, sa.ForeignKey("folders.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("rel_path", sa.Text, nullable=False),
    sa.Column("online", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("folder_id", "rel_path", name="uq_mount_path"),
)

# v6: places that photos were taken in, named offline from their GPS positions (core.places).
# ``country_code`` is ISO 3166 alpha-2. The empty city "" with code "" stands for a position
# that names no place (out of range, at sea far from any town): geocoded, nothing to show.
places = sa.Table(
    "places",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("city", sa.Text, nullable=False),
    sa.Column("region", sa.Text, nullable=False, server_default=""),
    sa.Column("country", sa.Text, nullable=False),
    sa.Column("country_code", sa.Text, nullable=False),
    sa.UniqueConstraint("city", "region", "country_code", name="uq_place"),
)

# v7: what photos show, in words. A tag is a category of the built-in vocabulary
# (core.tagging.vocabulary) or a phrase a person added ("my red bike"); ``photo_tags`` holds the
# photos each tag applies to, with the photo's score for it, for the current model. Tagging
# reads stored vectors only and rewrites these rows whole (it is cheap), so they need no
# bookkeeping per photo.
tags = sa.Table(
    "tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    # The phrase the person typed for a tag of their own; None for a built-in one.
    sa.Column("phrase", sa.Text, nullable=True),
    sa.Column("custom", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.Float, nullable=False),
)

photo_tags = sa.Table(
    "photo_tags",
    metadata,
    sa.Column(
        "photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
)
sa.Index("ix_photo_tags_tag", photo_tags.c.tag_id)

# v7: the words printed in a photo, read offline (core.ocr); "" when it has none. A row means
# the photo was read, so a run resumes with the photos that have none. ``engine`` names the
# reader, so a better one can read again. A change to the file removes the row (trigger below).
photo_text = sa.Table(
    "photo_text",
    metadata,
    sa.Column(
        "photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("engine", sa.Text, nullable=False),
    sa.Column("read_at", sa.Float, nullable=False),
)

# v7: a perceptual hash of each photo (64 bits, as a signed integer), computed when duplicates
# are looked for and kept until the file changes (trigger below).
photo_hashes = sa.Table(
    "photo_hashes",
    metadata,
    sa.Column(
        "photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("phash", sa.Integer, nullable=False),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def _v1(conn: sa.Connection) -> None:
    """The first released layout: folders without online/watch_mode."""
    conn.exec_driver_sql(
        "CREATE TABLE folders (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,"
        " added_at FLOAT NOT NULL)"
    )
    tables = [photos, models, embeddings, meta]
    metadata.create_all(conn, tables=tables)


def _v2(conn: sa.Connection) -> None:
    """Offline folders and per-folder watch mode (events or periodic rescans)."""
    conn.exec_driver_sql("ALTER TABLE folders ADD COLUMN online BOOLEAN NOT NULL DEFAULT 1")
    conn.exec_driver_sql(
        "ALTER TABLE folders ADD COLUMN watch_mode TEXT NOT NULL DEFAULT 'events'"
    )


def _v3(conn: sa.Connection) -> None:
    """Embedding ids are never reused (AUTOINCREMENT).

    Before v3 SQLite could hand the id of a deleted newest row to the next one. Every row is
    renumbered above the old maximum, so no label in an index file written before the upgrade
    matches a row any more: opening the index re-adds every vector from the catalog.
    """
    created = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'"
    ).scalar_one()
    if "AUTOINCREMENT" in created.upper():
        return  # a new catalog: _v1 created the table from today's definition
    conn.exec_driver_sql("ALTER TABLE embeddings RENAME TO embeddings_v2")
    metadata.create_all(conn, tables=[embeddings])
    conn.exec_driver_sql(
        "INSERT INTO embeddings (id, photo_id, model_id, vector)"
        " SELECT id + (SELECT COALESCE(MAX(id), 0) FROM embeddings_v2),"
        " photo_id, model_id, vector FROM embeddings_v2"
    )
    conn.exec_driver_sql("DROP TABLE embeddings_v2")


def _v4(conn: sa.Connection) -> None:
    """Drop the index on content_hash: it cost about 35 bytes a photo (the disk budget is 3 KB a
    photo, vectors included). Moves are matched in memory; the one lookup by hash (new files
    with no twin in the same scan, see reconcile._add_vanished_twins) reads in chunks and is
    rare enough for a table scan."""
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_photos_hash")


def _v5(conn: sa.Connection) -> None:
    """Files not read and why (RAW, video, paths too long), drives mounted inside a library
    folder, when each folder was last scanned whole, and a trigram index of photo names."""
    conn.exec_driver_sql("ALTER TABLE folders ADD COLUMN last_scan FLOAT")
    metadata.create_all(conn, tables=[unread, mounts])
    create_name_index(conn)


# A search names a file or a folder ("IMG_1099", "Holidays 2021") as often as it describes a
# picture: a trigram index finds any part of a path (or a date taken) in a fraction of a
# millisecond, where scanning 100,000 paths took 20 ms on every keystroke. About 190 bytes a
# photo. It follows the photos table through triggers; SQLite builds without trigram support
# (before 3.34) simply do without it, and searches scan instead.
NAME_INDEX = "photo_names"
_NAME_INDEX_SQL = (
    f"CREATE VIRTUAL TABLE {NAME_INDEX} USING fts5(rel_path, taken_at, content='photos',"
    " content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {NAME_INDEX}_insert AFTER INSERT ON photos BEGIN"
    f" INSERT INTO {NAME_INDEX}(rowid, rel_path, taken_at)"
    " VALUES (new.id, new.rel_path, new.taken_at); END",
    f"CREATE TRIGGER {NAME_INDEX}_delete AFTER DELETE ON photos BEGIN"
    f" INSERT INTO {NAME_INDEX}({NAME_INDEX}, rowid, rel_path, taken_at)"
    " VALUES ('delete', old.id, old.rel_path, old.taken_at); END",
    f"CREATE TRIGGER {NAME_INDEX}_update AFTER UPDATE OF rel_path, taken_at ON photos BEGIN"
    f" INSERT INTO {NAME_INDEX}({NAME_INDEX}, rowid, rel_path, taken_at)"
    " VALUES ('delete', old.id, old.rel_path, old.taken_at);"
    f" INSERT INTO {NAME_INDEX}(rowid, rel_path, taken_at)"
    " VALUES (new.id, new.rel_path, new.taken_at); END",
    f"INSERT INTO {NAME_INDEX}({NAME_INDEX}) VALUES ('rebuild')",
)


def _create_trigram_index(conn: sa.Connection, name: str, statements: tuple[str, ...]) -> None:
    """Run ``statements`` whole, or not at all where this SQLite has no FTS5 or no trigram
    tokenizer (the catalog then does without that index)."""
    try:
        conn.exec_driver_sql(f"SAVEPOINT {name}")
        for statement in statements:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(f"RELEASE {name}")
    except sa.exc.OperationalError:
        conn.exec_driver_sql(f"ROLLBACK TO {name}")
        conn.exec_driver_sql(f"RELEASE {name}")


def create_name_index(conn: sa.Connection) -> None:
    _create_trigram_index(conn, NAME_INDEX, _NAME_INDEX_SQL)


# Filters and the timeline read photos' metadata from a copy in memory (core.search.facets):
# that copy takes in new photos and new vectors by id, and is read again whole when this counter
# moves. Triggers move it whenever metadata it holds changes for a photo it may already hold: a
# move, a place named, a photo gone, or dates and cameras read again for an indexed photo. The
# first reading of a pending photo's metadata (its state turns indexed) does not move it: that
# photo arrives with its new vector.
PHOTOS_GENERATION = "photos_generation"
_GENERATION_SQL = (
    f"INSERT OR IGNORE INTO meta (key, value) VALUES ('{PHOTOS_GENERATION}', '0')",
    "CREATE TRIGGER photos_generation_delete AFTER DELETE ON photos BEGIN"
    f" UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = '{PHOTOS_GENERATION}';"
    " END",
    "CREATE TRIGGER photos_generation_place AFTER UPDATE OF folder_id, rel_path, place_id"
    " ON photos WHEN old.folder_id IS NOT new.folder_id OR old.rel_path IS NOT new.rel_path"
    " OR old.place_id IS NOT new.place_id BEGIN"
    f" UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = '{PHOTOS_GENERATION}';"
    " END",
    "CREATE TRIGGER photos_generation_metadata AFTER UPDATE OF taken_at, camera_make,"
    " camera_model, state ON photos WHEN old.state = 1 AND (old.taken_at IS NOT new.taken_at"
    " OR old.camera_make IS NOT new.camera_make OR old.camera_model IS NOT new.camera_model"
    " OR new.state IS NOT 1) BEGIN"
    f" UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = '{PHOTOS_GENERATION}';"
    " END",
)


def _v6(conn: sa.Connection) -> None:
    """Places named from GPS positions, and the counter that tells the in-memory copy of the
    photos' metadata to read it again."""
    metadata.create_all(conn, tables=[places])
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(photos)")}
    if "place_id" not in columns:  # a new catalog: _v1 created photos from today's definition
        conn.exec_driver_sql(
            "ALTER TABLE photos ADD COLUMN place_id INTEGER REFERENCES places (id)"
            " ON DELETE SET NULL"
        )
    for statement in _GENERATION_SQL:
        conn.exec_driver_sql(statement)


# The words found in photos, searchable by any part (trigram: Chinese has no spaces between
# words, and "receipt" must find "RECEIPT"). SQLite builds without trigram support do without
# it, and a text search scans ``photo_text`` instead.
TEXT_INDEX = "photo_text_index"
_TEXT_INDEX_SQL = (
    f"CREATE VIRTUAL TABLE {TEXT_INDEX} USING fts5(text, content='photo_text',"
    " content_rowid='photo_id', tokenize='trigram')",
    f"CREATE TRIGGER {TEXT_INDEX}_insert AFTER INSERT ON photo_text BEGIN"
    f" INSERT INTO {TEXT_INDEX}(rowid, text) VALUES (new.photo_id, new.text); END",
    f"CREATE TRIGGER {TEXT_INDEX}_delete AFTER DELETE ON photo_text BEGIN"
    f" INSERT INTO {TEXT_INDEX}({TEXT_INDEX}, rowid, text) VALUES ('delete', old.photo_id,"
    " old.text); END",
    f"CREATE TRIGGER {TEXT_INDEX}_update AFTER UPDATE OF text ON photo_text BEGIN"
    f" INSERT INTO {TEXT_INDEX}({TEXT_INDEX}, rowid, text) VALUES ('delete', old.photo_id,"
    " old.text);"
    f" INSERT INTO {TEXT_INDEX}(rowid, text) VALUES (new.photo_id, new.text); END",
)

# What was read from a file's pixels (its text, its perceptual hash) no longer holds once the
# file changes: the rows go, and the background work reads the photo again.
_FORGET_ON_CHANGE_SQL = (
    "CREATE TRIGGER photos_changed_forget AFTER UPDATE OF size, mtime_ns ON photos"
    " WHEN old.size IS NOT new.size OR old.mtime_ns IS NOT new.mtime_ns BEGIN"
    " DELETE FROM photo_text WHERE photo_id = new.id;"
    " DELETE FROM photo_hashes WHERE photo_id = new.id; END",
)


def has_text_index(conn: sa.Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TEXT_INDEX,)
    ).first()
    return found is not None


def _v7(conn: sa.Connection) -> None:
    """Tags (zero-shot and a person's own), words read in photos with their full-text index,
    and perceptual hashes for duplicates."""
    metadata.create_all(conn, tables=[tags, photo_tags, photo_text, photo_hashes])
    for statement in _FORGET_ON_CHANGE_SQL:
        conn.exec_driver_sql(statement)
    _create_trigram_index(conn, TEXT_INDEX, _TEXT_INDEX_SQL)


# A video's frames (core.imaging.video, core.indexing.video_frames). The video's row in
# ``embeddings`` holds the mean of its frames' vectors: tags, duplicates and "similar to this
# video" read that one vector, as for a photo. Each frame's own vector is here, with the moment
# it shows; the search index holds the frames instead of the mean, so a video matches when any
# of its frames does. Frames go with their embedding row (a model's vectors dropped, a file
# changed or deleted), and a row's frames are written in the transaction that writes it.
video_frames = sa.Table(
    "video_frames",
    metadata,
    sa.Column(
        "embedding_id",
        sa.Integer,
        sa.ForeignKey("embeddings.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("n", sa.Integer, primary_key=True),  # the frame's number in its video, from 0
    sa.Column("at_ms", sa.Integer, nullable=False),  # milliseconds from the video's start
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sqlite_with_rowid=False,  # looked up by (embedding_id, n) only: no second b-tree
)


def _video_frames(conn: sa.Connection) -> None:
    """Videos are indexed by their frames: one vector per frame, and the moment it shows."""
    metadata.create_all(conn, tables=[video_frames])


# Files kept with another photo of the same shot (core.indexing.companions): the RAW of a
# RAW+JPEG pair, the MOV of a Live Photo. ``rel_path`` is the companion, ``item_path`` the photo
# it belongs to, in the same library folder; ``kind`` is "raw" or "live". Neither is a photo
# row of its own, and neither is unread: a scan of a folder replaces the rows it covers.
companions = sa.Table(
    "companions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "folder_id", sa.Integer, sa.ForeignKey("folders.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("rel_path", sa.Text, nullable=False),
    sa.Column("item_path", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.UniqueConstraint("folder_id", "rel_path", name="uq_companion_path"),
)
sa.Index("ix_companions_item", companions.c.folder_id, companions.c.item_path)


def _companions(conn: sa.Connection) -> None:
    """RAW+JPEG pairs and Live Photos: the RAW or the MOV is kept with its photo."""
    metadata.create_all(conn, tables=[companions])


# MIGRATIONS[i] upgrades version i to version i + 1.
MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    _v1, _v2, _v3, _v4, _v5, _v6, _v7, _video_frames, _companions,
]
SCHEMA_VERSION = len(MIGRATIONS)

# Photo states.
PENDING, INDEXED, FAILED = 0, 1, 2
STATE_NAMES = {PENDING: "pending", INDEXED: "indexed", FAILED: "failed"}
