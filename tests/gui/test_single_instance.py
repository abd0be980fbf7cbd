"""A second start on the same data folder hands its request to the first instance."""

from __future__ import annotations

from desktop_app.single_instance import InstanceServer, hand_over, server_name


def test_second_start_reaches_the_first(qtbot, qapp, isolated_home, tmp_path):
    assert not hand_over(isolated_home), "nobody is listening yet"
    server = InstanceServer(isolated_home)
    try:
        assert server.listening
        with qtbot.waitSignal(server.message, timeout=5000) as got:
            assert hand_over(isolated_home, "search /photos/cat.jpg")
        assert got.args == ["search /photos/cat.jpg"]
        assert not hand_over(tmp_path / "another-home"), "other data folders are independent"
    finally:
        server.close()


def test_names_depend_on_the_data_folder(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
