"""The built Linux bundle works on its own: ``make bundle-test`` (after ``make bundle``).

Marked ``bundle``: the normal suite deselects these (pyproject's addopts), as they take minutes
and need the tarball that packaging/build_bundle.sh writes to dist/. Each test runs the bundle
unpacked from that tarball, with a fresh data folder and none of the project's venv on its path:
the layout and what must not be inside (CUDA), the per-user install script, the window under
Xvfb with its icon, and the CLI indexing and searching real photos.
"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "camera")
# Files whose presence would mean CUDA was carried: the bundle is for any machine, CPU only.
CUDA_NAMES = ("libcudart", "libcublas", "libcudnn", "libnvrtc", "libtorch_cuda", "libc10_cuda",
              "libnccl", "libnvjitlink")


def _tarball() -> Path:
    found = sorted((ROOT / "dist").glob("photoseek-*-linux-*.tar.gz"),
                   key=lambda p: p.stat().st_mtime)
    if not found:
        pytest.fail("no dist/photoseek-*-linux-*.tar.gz: run `make bundle` first")
    return found[-1]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tarball unpacked once for the module: the folder holding the ``photoseek`` program."""
    where = tmp_path_factory.mktemp("bundle")
    with tarfile.open(_tarball()) as archive:
        archive.extractall(where, filter="tar")
    (folder,) = where.iterdir()
    return folder


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No trace of the development setup: no venv, no PYTHONPATH, a fresh data folder."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = ":".join(p for p in env.get("PATH", "/usr/bin:/bin").split(":")
                           if ".venv" not in p)
    env["PHOTOSEEK_HOME"] = str(home)
    env["HF_HUB_OFFLINE"] = "1"  # nothing here may need the network
    env.update(extra)
    return env


def test_layout_carries_resources_and_no_cuda(bundle: Path) -> None:
    program = bundle / "photoseek"
    assert program.is_file() and os.access(program, os.X_OK)
    for name in ("photoseek.desktop", "install.sh", "share/icons/photoseek.svg",
                 "share/icons/photoseek-256.png"):
        assert (bundle / name).is_file(), name
    # All of resources/ (icons, translations) travels with the code, file for file.
    carried = bundle / "_internal" / "resources"
    for source in (ROOT / "resources").rglob("*"):
        if source.is_file():
            assert (carried / source.relative_to(ROOT / "resources")).is_file(), source
    names = [p.name for p in bundle.rglob("*")]
    assert not [n for n in names if n.startswith(CUDA_NAMES)], "CUDA libraries were carried"
    # torchvision's compiled ops are CUDA builds; packaging/hooks/ makes it work without them.
    assert not list((bundle / "_internal" / "torchvision").glob("_C*.so"))
    assert not (bundle / "_internal" / "torch" / "include").exists()


def test_install_script_adds_and_removes_the_menu_entry(bundle: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "PREFIX": str(tmp_path / "local"),
           "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run([str(bundle / "install.sh")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share" / "applications" / "photoseek.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(entry)
    section = parser["Desktop Entry"]
    program = Path(shlex.split(section["Exec"])[0])
    assert program == tmp_path / "local" / "opt" / "photoseek" / "photoseek"
    assert program.is_file() and os.access(program, os.X_OK)
    assert section["Icon"] == "photoseek"
    assert (tmp_path / "share/icons/hicolor/48x48/apps/photoseek.png").is_file()
    assert (tmp_path / "local" / "bin" / "photoseek").resolve() == program
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    # The installed command runs (the CLI needs no display).
    ran = subprocess.run([str(tmp_path / "local" / "bin" / "photoseek"), "--help"],
                         env=_clean_env(tmp_path / "home"), capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0 and "usage: photoseek" in ran.stdout, ran.stderr

    gone = subprocess.run([str(bundle / "install.sh"), "--uninstall"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert gone.returncode == 0, gone.stderr
    assert not entry.exists() and not program.exists()
    assert not (tmp_path / "local" / "bin" / "photoseek").exists()


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A private X server (Xvfb picks a free display number and writes it to a pipe)."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.fail("needs Xvfb and xdotool (apt-get install xvfb xdotool)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_window_opens_with_its_icon(bundle: Path, tmp_path: Path, display: str) -> None:
    env = _clean_env(tmp_path / "home", DISPLAY=display)
    log = tmp_path / "app.log"
    with log.open("w") as out:
        app = subprocess.Popen([str(bundle / "photoseek")], env=env, stdout=out,
                               stderr=subprocess.STDOUT)
    try:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name",
                                "^PhotoSeek"], env=env, capture_output=True, text=True,
                               timeout=180)
        window = found.stdout.split()[0] if found.stdout.split() else ""
        assert window, f"no PhotoSeek window; the app wrote:\n{log.read_text()}"
        time.sleep(2)  # let it settle: a crash right after mapping must show too
        assert app.poll() is None, f"the app exited:\n{log.read_text()}"
        if shutil.which("xprop"):  # the icon travelled: the window carries it for the desktop
            icon = subprocess.run(["xprop", "-id", window, "_NET_WM_ICON"], env=env,
                                  capture_output=True, text=True, timeout=30)
            assert "Icon (" in icon.stdout, icon.stdout[:200]
    finally:
        app.terminate()
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
    text = log.read_text()
    assert "Traceback" not in text and "CRITICAL" not in text, text


def _photos(folder: Path) -> list[Path]:
    """Real photographs (scikit-image's sample data), written as JPEGs."""
    data = pytest.importorskip("skimage.data")
    from PIL import Image

    folder.mkdir(parents=True)
    paths = []
    for name in PHOTOS:
        path = folder / f"{name}.jpg"
        Image.fromarray(getattr(data, name)()).convert("RGB").save(path, quality=90)
        paths.append(path)
    return paths


def _run(program: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([str(program), "--model", "test-tiny", *args], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"photoseek {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def test_cli_indexes_and_searches_real_photos(bundle: Path, tmp_path: Path) -> None:
    """``photoseek index`` embeds with torch, prepares the model (torch's ONNX export, then
    onnxruntime's int8 quantizer: PHOTOSEEK_BACKEND=onnx asks it for the tiny model too), and
    ``search`` answers from the prepared copy on onnxruntime. The scores match those of the
    project's own venv for the same photos and model (when .venv exists)."""
    photos = _photos(tmp_path / "photos")
    program = bundle / "photoseek"
    env = _clean_env(tmp_path / "home", PHOTOSEEK_BACKEND="onnx")
    indexed = _run(program, ["index", str(tmp_path / "photos")], env)
    assert f"{len(PHOTOS)} embedded" in indexed.stdout + indexed.stderr, indexed.stdout
    prepared = list((tmp_path / "home" / "models" / "prepared").glob("test-tiny-*/image.onnx"))
    assert prepared, "the model was not prepared (ONNX export) inside the bundle"

    found = json.loads(_run(program, ["search", "a cat", "--all", "--json"], env).stdout)
    assert sorted(r["path"] for r in found) == sorted(str(p) for p in photos)
    like = json.loads(_run(program, ["search", "--image", str(photos[1]), "--all", "--json"],
                           env).stdout)
    assert like and {r["path"] for r in like} <= {str(p) for p in photos}

    venv = ROOT / ".venv" / "bin" / "photoseek"
    if venv.exists():
        venv_env = _clean_env(tmp_path / "venv-home", PHOTOSEEK_BACKEND="onnx")
        _run(venv, ["index", str(tmp_path / "photos")], venv_env)
        reference = json.loads(_run(venv, ["search", "a cat", "--all", "--json"],
                                    venv_env).stdout)
        theirs = {r["path"]: r["score"] for r in reference}
        for result in found:
            assert result["score"] == pytest.approx(theirs[result["path"]], abs=0.02)
