"""The hostile corpus through the whole indexer: every case indexed right, failed with a reason,
or skipped; nothing else affected; the photo tree byte-identical afterwards."""

from __future__ import annotations

import os

import sqlalchemy as sa

from core.catalog import queries, schema
from core.library import Library
from core.search.query import build_query
from tests.conftest import TINY_MODEL, make_photo, tree_fingerprint
from tests.corpus import build_corpus, mutate_between_scan_and_decode


def _catalog_paths(lib: Library) -> dict[bytes, tuple[str, str | None]]:
    with lib.catalog.read() as conn:
        rows = conn.execute(
            sa.select(schema.folders.c.path, schema.photos.c.rel_path, schema.photos.c.state,
                      schema.photos.c.fail_reason).select_from(schema.photos.join(schema.folders))
        ).all()
    return {
        os.fsencode(os.path.join(folder, queries.rel_from_db(rel))): (
            schema.STATE_NAMES[state], reason
        )
        for folder, rel, state, reason in rows
    }


def test_corpus_indexes_without_touching_a_byte(tmp_path):
    root = tmp_path / "corpus"
    cases = build_corpus(root)
    assert len({c.kind for c in cases}) >= 30
    before = tree_fingerprint(root)
    lib = Library(model=TINY_MODEL)
    lib.add_folder(root)
    summary = lib.index()
    assert not summary.cancelled
    recorded = _catalog_paths(lib)

    for case in cases:
        key = os.fsencode(case.path)
        if case.expect == "skipped":
            assert key not in recorded, f"{case.kind} should be skipped"
            continue
        assert key in recorded, f"{case.kind} missing from the catalog"
        state, reason = recorded[key]
        assert state == case.expect, f"{case.kind}: {state} ({reason})"
        if case.expect == "failed":
            assert reason and "Traceback" not in reason and "Error(" not in reason, case.kind
            if case.reason_contains:
                assert case.reason_contains in reason, f"{case.kind}: {reason}"
    # Nothing the corpus did not ask for was indexed or failed.
    assert set(recorded) <= {os.fsencode(c.path) for c in cases if c.expect != "skipped"}

    hits = list(lib.search(build_query("a photo"), k=5))[-1].hits
    assert hits and all(h.photo.state == "indexed" for h in hits)
    again = lib.index()
    assert (again.added, again.changed, again.removed, again.embedded) == (0, 0, 0, 0)
    lib.forget_folder(root)
    lib.close()

    assert tree_fingerprint(root) == before


def test_files_that_change_between_scan_and_decode(tmp_path):
    root = tmp_path / "moving"
    hows = ["delete", "truncate", "replace_with_text", "replace_with_folder"]
    for n in range(8):
        make_photo(root / f"p{n}.jpg", n, size=(300, 200))
    lib = Library(model=TINY_MODEL)
    lib.add_folder(root)
    lib.scan()
    for n, how in enumerate(hows):
        mutate_between_scan_and_decode(root / f"p{n}.jpg", how)
    summary = lib.index(scan=False)
    assert summary.embedded == 4, "the untouched photos are all indexed"
    lib.index()  # the next reconcile settles whatever changed
    status = lib.status()
    assert status.indexed == 4 and status.pending == 0
    failures = {f.path.name: f.reason for f in lib.failures()}
    assert set(failures) == {"p1.jpg", "p2.jpg"}  # truncated / text: failed with reasons
    assert "truncated" in failures["p1.jpg"] and "text" in failures["p2.jpg"]
    lib.close()


def test_watching_the_corpus_never_writes_to_it(tmp_path):
    """The watcher and the background service over the hostile tree: still byte-identical."""
    from core.lifecycle.indexing_service import IndexingService
    from core.lifecycle.watcher import FolderWatcher

    root = tmp_path / "corpus"
    build_corpus(root)
    before = tree_fingerprint(root)
    lib = Library(model=TINY_MODEL)
    lib.add_folder(root)
    service = IndexingService(lib)
    watcher = FolderWatcher(lib, service)
    service.start()
    watcher.start()
    try:
        assert service.wait_idle(300)
        make_photo(tmp_path / "elsewhere.jpg", 5)  # activity outside the tree
        list(lib.search(build_query(images=[str(tmp_path / "elsewhere.jpg")]), k=5))
        assert service.wait_idle(180)
        assert lib.status().indexed > 0
    finally:
        watcher.stop()
        service.stop()
        lib.close()
    assert tree_fingerprint(root) == before
