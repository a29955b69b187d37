"""Data that travels with the package: the bundled fonts, layouts and press profile."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

# The repository keeps these at its top level (fonts/, layouts/); pyproject.toml maps them
# to these packages, in the wheel and in an editable install alike.
FONTS_PACKAGE = "bulletin.data.fonts"
LAYOUTS_PACKAGE = "bulletin.data.layouts"
PROFILES_PACKAGE = "bulletin.outputs"
PRESS_PROFILE_NAME = "profiles/FOGRA39-bulletin.icc"
# The bundled faces, and the list of the code points every one of them maps.
COVERAGE_NAME = "coverage.txt"
FONT_FILES = (
    "NotoSerifSC-Regular.otf",
    "NotoSerifSC-Bold.otf",
    "NotoSansSC-Regular.otf",
    "NotoSansSC-Bold.otf",
)
# The 楷体 face that sets emphasis (Han characters only; not part of the coverage check).
EMPHASIS_FONT = "BulletinKai-Regular.ttf"


def _folder(package: str) -> Path:
    # Installed from a wheel or in place, package data are plain files on disk.
    return Path(str(files(package)))


@cache
def fonts_dir() -> Path:
    """The folder of the bundled fonts and their coverage list."""
    return _folder(FONTS_PACKAGE)


@cache
def layouts_dir() -> Path:
    """The folder holding the bundled layouts, one subfolder each."""
    return _folder(LAYOUTS_PACKAGE)


def press_profile() -> Path:
    """The default CMYK profile of the press PDF's output intent (FOGRA39)."""
    return _folder(PROFILES_PACKAGE) / PRESS_PROFILE_NAME
