#!/usr/bin/env bash
# Build the self-contained PhotoSeek for this system (`make bundle`).
#
#   packaging/build_bundle.sh            -> dist/photoseek-<version>-linux-x86_64.tar.gz
#
# 1. build/bundle-venv: a venv of its own with the CPU build of torch (never CUDA: a bundle
#    must run on any machine, and CUDA would add ~4 GB), then the project without its dev
#    extras, then PyInstaller. Made once; made again when pyproject.toml or the pins change.
# 2. PyInstaller with packaging/photoseek.spec -> build/bundle-dist/photoseek (one folder).
# 3. Linux: the folder, photoseek.desktop, the icons and install.sh in one tarball under dist/.
#
# Environment: PYTHON (default python3.11), TORCH_INDEX_URL (where pip finds the CPU torch;
# default https://download.pytorch.org/whl/cpu, unless a torch 2.13.0 CPU wheel is already
# reachable through pip's own configuration, as on the build machine).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-python3.11}
TORCH_VERSION=2.13.0
TORCHVISION_VERSION=0.28.0  # the release made for torch 2.13
PYINSTALLER_VERSION=6.22.3
venv=build/bundle-venv
stamp=$venv/.bundle-installed
version=$("$PYTHON" -c \
    'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

case "$(uname -s)" in
    Linux) system=linux ;;
    Darwin) system=macos ;;
    MINGW*|MSYS*|CYGWIN*) system=windows ;;
    *) echo "unknown system $(uname -s)" >&2; exit 1 ;;
esac
arch=$(uname -m)
bin=$venv/bin
[ "$system" = windows ] && bin=$venv/Scripts  # a Windows venv keeps its programs there
started=$(date +%s)

# --- 1. the bundle's own venv --------------------------------------------------------------
# The stamp holds the pins it was made with: a new pin, or a newer pyproject.toml (its
# dependencies), makes the venv again.
pins="torch==$TORCH_VERSION torchvision==$TORCHVISION_VERSION pyinstaller==$PYINSTALLER_VERSION"
if [ "$(cat "$stamp" 2>/dev/null)" != "$pins" ] || [ pyproject.toml -nt "$stamp" ]; then
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$bin/python" -m pip install --upgrade --quiet pip
    # torch first, on its own, pinned to the CPU build. pip's configuration may already offer
    # it (a wheel on disk); otherwise ask PyTorch's CPU index for it, never PyPI's Linux
    # wheel, which is the CUDA build.
    if ! "$bin/python" -m pip install --quiet --no-deps --only-binary=:all: \
            "torch==$TORCH_VERSION+cpu" 2>/dev/null; then
        "$bin/python" -m pip install --quiet --only-binary=:all: \
            --index-url "${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}" \
            "torch==$TORCH_VERSION"
    fi
    "$bin/python" -m pip install --quiet "torch==$TORCH_VERSION" \
        "torchvision==$TORCHVISION_VERSION" "pyinstaller==$PYINSTALLER_VERSION"
    # The project and its run-time dependencies (no [dev]); PyInstaller then reads core/ and
    # desktop_app/ from the checkout (the spec's pathex), so later edits need no reinstall.
    "$bin/python" -m pip install --quiet .
    echo "$pins" > "$stamp"
fi
# Refuse a CUDA torch: it would make a bundle of several GB that needs NVIDIA's libraries.
"$bin/python" - <<'EOF'
import sys, torch
if torch.version.cuda is not None:
    sys.exit(f"build/bundle-venv has a CUDA build of torch ({torch.__version__}); "
             "the bundle needs the CPU build: rm -r build/bundle-venv and set TORCH_INDEX_URL")
EOF

# --- 2. PyInstaller -------------------------------------------------------------------------
"$bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath build/bundle-dist --workpath build/pyinstaller packaging/photoseek.spec

# The frozen program must at least start and answer (the CLI needs no display).
if [ "$system" = linux ]; then
    build/bundle-dist/photoseek/photoseek --help >/dev/null
fi

# --- 3. the archive -------------------------------------------------------------------------
mkdir -p dist
if [ "$system" = linux ]; then
    name=photoseek-$version-linux-$arch
    stage=build/bundle-stage/$name
    rm -rf build/bundle-stage
    mkdir -p "$stage"
    cp -a build/bundle-dist/photoseek/. "$stage/"
    mkdir -p "$stage/share/icons"
    cp resources/photoseek.svg resources/icons/photoseek-*.png "$stage/share/icons/"
    # The entry as installed: install.sh replaces @EXEC@ with the installed program's path.
    sed -e "s|@ICON@|photoseek|" packaging/photoseek.desktop.in > "$stage/photoseek.desktop"
    cp packaging/install-bundle.sh "$stage/install.sh"
    chmod +x "$stage/install.sh" "$stage/photoseek"
    tar -C build/bundle-stage -czf "dist/$name.tar.gz" "$name"
    out=dist/$name.tar.gz
elif [ "$system" = macos ]; then
    out=dist/PhotoSeek-$version-macos-$arch.zip
    # ditto keeps the .app's symlinks and extended attributes (a signature needs them).
    ditto -c -k --keepParent build/bundle-dist/PhotoSeek.app "$out"
else
    out=dist/photoseek-$version-windows-$arch.zip
    (cd build/bundle-dist && powershell -NoProfile -Command \
        "Compress-Archive -Force -Path photoseek -DestinationPath ../../$out")
fi

echo "built $out in $(( $(date +%s) - started )) s"
du -sh build/bundle-dist/photoseek "$out"
