"""PhotoSeek opens no listening network socket (local IPC between its own instances is fine)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TINY_MODEL

ROOT = Path(__file__).resolve().parent.parent


def _inet_sockets(pid: int) -> list[tuple[str, str]]:
    """(protocol, state) of every TCP/UDP socket the process holds, read from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        table = Path(f"/proc/{pid}/net/{proto}")
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                found.append((proto, fields[3]))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_watch_process_has_no_listening_socket(isolated_home, photo_dir):
    env = {**os.environ, "PHOTOSEEK_HOME": str(isolated_home), "PHOTOSEEK_MODEL": TINY_MODEL}
    proc = subprocess.Popen([sys.executable, "-m", "core", "watch", str(photo_dir)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not (isolated_home / "index").exists() or not any(
            (isolated_home / "index").glob("*.hnsw")
        ):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        sockets = _inet_sockets(proc.pid)
        assert not [s for s in sockets if s[0].startswith("tcp") and s[1] == "0A"], sockets
        assert not [s for s in sockets if s[0].startswith("udp")], sockets
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_desktop_app_has_no_listening_network_socket(isolated_home, photo_dir):
    """The window, its single-instance server (a local socket) and its loaded model."""
    from core.cli.main import main

    assert main(["--model", TINY_MODEL, "index", str(photo_dir)]) == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PHOTOSEEK_HOME": str(isolated_home),
           "PHOTOSEEK_MODEL": TINY_MODEL}
    proc = subprocess.Popen([sys.executable, "-m", "desktop_app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        maps = Path(f"/proc/{proc.pid}/maps")
        while "libtorch" not in maps.read_text():  # the model loads in the background
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(3.0)  # the model loaded, the watcher and the indexing service started
        assert proc.poll() is None
        sockets = _inet_sockets(proc.pid)
        assert not [s for s in sockets if s[0].startswith("tcp") and s[1] == "0A"], sockets
        assert not [s for s in sockets if s[0].startswith("udp")], sockets
    finally:
        proc.terminate()
        proc.wait(30)
