"""A second start on the same data folder hands its request to the first instance."""

from __future__ import annotations

from desktop_app.single_instance import InstanceServer, hand_over, server_name


def _hand_over_from_another_process(qtbot, home, message: str) -> bool:
    """What a second start does, from a process of its own (this one's event loop answers)."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path;"
         "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
         "from desktop_app.single_instance import hand_over;"
         "sys.exit(0 if hand_over(Path(sys.argv[1]), sys.argv[2]) else 1)", str(home), message],
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=60_000)
    return child.returncode == 0


def test_second_start_reaches_the_first(qtbot, qapp, isolated_home, tmp_path):
    assert not hand_over(isolated_home), "nobody is listening yet"
    server = InstanceServer(isolated_home)
    try:
        assert server.listening
        with qtbot.waitSignal(server.message, timeout=5000) as got:
            assert _hand_over_from_another_process(qtbot, isolated_home, "search /photos/cat.jpg")
        assert got.args == ["search /photos/cat.jpg"]
        assert not hand_over(tmp_path / "another-home"), "other data folders are independent"
        server.close()  # the window closed: this instance is on its way out
        assert not _hand_over_from_another_process(qtbot, isolated_home, "activate")
    finally:
        server.close()


def test_an_instance_that_stopped_serving_takes_no_request(qtbot, qapp, isolated_home):
    """A connection accepted by the kernel but never served (the app has left its event loop)
    is not a hand-over: the second start opens its own window."""
    from PySide6.QtNetwork import QLocalServer

    silent = QLocalServer()
    assert silent.listen(server_name(isolated_home))  # listening, never answering
    try:
        assert not hand_over(isolated_home, "activate")
    finally:
        silent.close()


def test_names_depend_on_the_data_folder(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")


def test_a_handed_over_photo_becomes_a_search(make_window, indexed_photos, qtbot):
    from desktop_app.app import on_instance_message

    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=30_000)  # browsing
    photo = indexed_photos / "img_03.jpg"
    with qtbot.waitSignal(window.controller.shown, timeout=30_000,
                          check_params_cb=lambda r: r.exact and r.ranked):
        on_instance_message(window, f"search {photo}")
    assert window.isVisible()
    assert window.controller.draft.images == (str(photo),)
    from tests.gui.test_search_input import assert_likeness_answer

    assert_likeness_answer(window, photo)  # the others that match it


def test_second_photoseek_process_exits_and_defers_to_the_first(isolated_home):
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PHOTOSEEK_MODEL": "test-tiny"}
    first = subprocess.Popen([sys.executable, "-m", "desktop_app"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        socket_ready = False
        deadline = time.monotonic() + 300
        while not socket_ready and time.monotonic() < deadline:
            assert first.poll() is None, "the first instance must keep running"
            probe = subprocess.run(
                [sys.executable, "-c", "import sys; from pathlib import Path;"
                 "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
                 "from desktop_app.single_instance import hand_over;"
                 "sys.exit(0 if hand_over(Path(sys.argv[1]), 'probe') else 1)",
                 str(isolated_home)], env=env, capture_output=True, timeout=60)
            socket_ready = probe.returncode == 0
            time.sleep(0.2)
        assert socket_ready
        second = subprocess.run([sys.executable, "-m", "desktop_app"], env=env, capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 0
        assert "already running" in second.stderr
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(30)
