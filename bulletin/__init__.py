"""bulletin: content records → print-ready PDF of a Chinese policy bulletin."""

from __future__ import annotations

from bulletin.version import __version__

__all__ = ["__version__", "build"]


def __getattr__(name: str):
    # build pulls in the whole pipeline; importing the package for --version stays instant.
    if name == "build":
        from bulletin.operations.build import build

        return build
    raise AttributeError(name)
