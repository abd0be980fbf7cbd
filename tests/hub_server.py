"""A local model hub for download tests: a threaded HTTP server on 127.0.0.1 that answers the
way huggingface.co does for what PhotoSeek asks (HEAD with X-Repo-Commit and X-Linked-Etag,
GET redirected to a "CDN" path with its own ETag), honours Range and If-Range, and logs every
request. Knobs let a test break it: ignore Range, drop the connection after some bytes, serve
other bytes than the checksum it advertises.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

COMMIT = "c0ffee" + "0" * 34


@dataclass
class Served:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    status: int = 0
    body_bytes: int = 0  # bytes of the file actually sent


@dataclass
class FakeHub:
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    ranges: bool = True  # False: a server that ignores Range and always sends the whole file
    drop_after: int | None = None  # close the connection after this many body bytes (once)
    served_instead: dict[tuple[str, str], bytes] = field(default_factory=dict)  # corrupt bytes
    log: list[Served] = field(default_factory=list)
    url: str = ""

    def sha(self, repo_id: str, filename: str) -> str:
        return hashlib.sha256(self.files[(repo_id, filename)]).hexdigest()

    def gets(self) -> list[Served]:
        return [s for s in self.log if s.method == "GET" and s.path.startswith("/cdn/")]


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:  # quiet test output
            pass

        def _entry(self) -> tuple[str, str] | None:
            parts = unquote(self.path).lstrip("/").split("/")
            if len(parts) >= 5 and parts[2] == "resolve":
                key = (f"{parts[0]}/{parts[1]}", "/".join(parts[4:]))
                return key if key in hub.files else None
            return None

        def _served(self) -> Served:
            entry = Served(self.command, self.path, dict(self.headers.items()))
            hub.log.append(entry)
            return entry

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
            entry, key = self._served(), self._entry()
            if key is None:
                return self._missing(entry)
            data = hub.files[key]
            entry.status = 200
            self.send_response(200)
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("X-Linked-Etag", f'"{hub.sha(*key)}"')
            self.send_header("ETag", f'"{hub.sha(*key)}"')
            self.send_header("X-Linked-Size", str(len(data)))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()

        def _missing(self, entry: Served) -> None:
            entry.status = 404
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            entry = self._served()
            if self.path.startswith("/cdn/"):
                return self._cdn(entry)
            key = self._entry()
            if key is None:
                return self._missing(entry)
            # The hub sends LFS files from elsewhere: the client follows, keeping Range.
            entry.status = 302
            self.send_response(302)
            self.send_header("Location", f"{hub.url}/cdn/{key[0]}/{key[1]}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _cdn(self, entry: Served) -> None:
            repo_owner, repo_name, *name = unquote(self.path)[len("/cdn/"):].split("/")
            key = (f"{repo_owner}/{repo_name}", "/".join(name))
            data = hub.served_instead.get(key, hub.files[key])
            etag = f'"cdn-{hashlib.md5(data).hexdigest()}"'  # not the sha256: a CDN's own
            start = 0
            asked = self.headers.get("Range", "")
            if_range = self.headers.get("If-Range")
            if hub.ranges and asked.startswith("bytes=") and if_range in (None, etag):
                start = int(asked[len("bytes="):].split("-")[0])
            if start >= len(data) and start:
                entry.status = 416
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            entry.status = 206 if start else 200
            self.send_response(entry.status)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            body = data[start:]
            if hub.drop_after is not None:
                body, hub.drop_after = body[:hub.drop_after], None
                self.close_connection = True
            try:
                self.wfile.write(body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client stopped reading
                self.close_connection = True
                return
            entry.body_bytes = len(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-file (a cancel) is expected; stderr stays clean for the
        tests that read it."""


@contextmanager
def serving(hub: FakeHub) -> Iterator[FakeHub]:
    """Run the hub on a free port of 127.0.0.1 for the duration of the block."""
    server = _QuietServer(("127.0.0.1", 0), _handler(hub))
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
