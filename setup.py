"""The packages, and resources/ carried with them (the rest of the metadata is pyproject.toml).

resources/ stays at the top of the repository, where packaging/install-desktop-entry.sh and the
bundles read it; an installed wheel carries it as ``desktop_app/resources``.
``desktop_app.app_icon.resources_dir()`` looks in both places. pyproject's
``[tool.setuptools.packages.find]`` cannot map a package to a folder outside its parent's, hence
this file.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["core*", "desktop_app*"]),
        # Data folders, listed as packages so that setuptools carries them without a warning.
        "desktop_app.resources",
        "desktop_app.resources.icons",
    ],
    package_dir={"desktop_app.resources": "resources"},
    package_data={"desktop_app.resources": ["*.svg"], "desktop_app.resources.icons": ["*.png"]},
)
