"""`photoseek PHOTO` / `photoseek FOLDER`, the desktop entry that sends them, and the icon that
ships with an installed package."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.cli.main import main
from core.cli.open_paths import OpenRequest, split_paths
from tests.conftest import make_photo

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"index", "search", "status"}


class Opener:
    """Stands in for the desktop launcher: records what the CLI asked it to open."""

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, OpenRequest | None]] = []

    def __call__(self, home, model, device, request=None) -> int:
        self.calls.append((home, request))
        return 0


def test_commands_win_over_paths_and_options_keep_their_values():
    assert split_paths(["search", "cat"], COMMANDS) == (["search", "cat"], [])
    assert split_paths(["--home", "/h", "status"], COMMANDS) == (["--home", "/h", "status"], [])
    assert split_paths(["--home", "/h", "a.jpg", "-v", "b"], COMMANDS) == (
        ["--home", "/h", "-v"], ["a.jpg", "b"])
    assert split_paths(["--mod=x", "--", "-odd.jpg"], COMMANDS) == (["--mod=x"], ["-odd.jpg"])
    assert split_paths([], COMMANDS) == ([], [])


def test_a_photo_opens_the_app_searching_like_it(tmp_path, monkeypatch):
    photo = make_photo(tmp_path / "cat.jpg", 1)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"")  # by its name: the app reads it later, off the GUI thread
    monkeypatch.chdir(tmp_path)
    opener = Opener()
    assert main(["--home", str(tmp_path / "h"), "cat.jpg", str(video)], open_app=opener) == 0
    assert opener.calls == [(str(tmp_path / "h"), OpenRequest(photos=(photo, video)))]


def test_a_folder_is_offered_not_indexed_by_the_command(tmp_path, isolated_home):
    folder = tmp_path / "holiday"
    make_photo(folder / "a.jpg", 2)
    opener = Opener()
    assert main([str(folder)], open_app=opener) == 0
    assert opener.calls == [(None, OpenRequest(folders=(folder,)))]
    assert not isolated_home.exists(), "the command itself opened no library"


def test_a_missing_path_is_one_clear_line_and_exit_2(tmp_path, capsys):
    opener = Opener()
    assert main([str(tmp_path / "nope.jpg")], open_app=opener) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.jpg" in err[0] and "not a command, a photo or a folder" in err[0]
    (tmp_path / "notes.txt").write_text("x")
    assert main([str(tmp_path / "notes.txt")], open_app=opener) == 2
    assert "not a photo or video" in capsys.readouterr().err
    assert opener.calls == []


def test_a_command_named_like_a_folder_stays_a_command(tmp_path, monkeypatch, capsys):
    (tmp_path / "status").mkdir()
    monkeypatch.chdir(tmp_path)
    opener = Opener()
    assert main(["status"], open_app=opener) == 0
    assert opener.calls == [] and "photos: 0" in capsys.readouterr().out


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string((ROOT / "packaging" / "photoseek.desktop.in").read_text()
                       .replace("@EXEC@", '"/usr/bin/photoseek"').replace("@ICON@", "photoseek"))
    return parser["Desktop Entry"]


def test_the_desktop_entry_opens_photos_raws_and_videos_with_photoseek(tmp_path):
    entry = _entry()
    assert shlex.split(entry["Exec"]) == ["/usr/bin/photoseek", "%F"]
    types = set(entry["MimeType"].rstrip(";").split(";"))
    for kind in ("image/jpeg", "image/png", "image/heic", "image/webp", "image/x-canon-cr2",
                 "image/x-nikon-nef", "image/x-adobe-dng", "image/x-sony-arw", "video/mp4",
                 "video/quicktime"):
        assert kind in types
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate not installed (desktop-file-utils)")
    target = tmp_path / "photoseek.desktop"
    target.write_text("[Desktop Entry]\n" + "\n".join(f"{k}={v}" for k, v in entry.items()))
    done = subprocess.run(["desktop-file-validate", str(target)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


def test_an_installed_wheel_finds_its_icon(tmp_path):
    """The wheel carries resources/ as desktop_app/resources, and the code finds it there (not in
    this checkout: the installed copy is imported first)."""
    source = tmp_path / "src"  # a copy: setuptools writes build/ into the tree it builds
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("core", "desktop_app", "resources"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("photoseek-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {"desktop_app/resources/photoseek.svg",
                "desktop_app/resources/icons/photoseek-16.png",
                "desktop_app/resources/icons/photoseek-512.png"} <= names
        archive.extractall(site)
    found = subprocess.run(
        [sys.executable, "-c", "import desktop_app.app_icon as m; print(m.resources_dir())"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={"PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == site / "desktop_app" / "resources"
