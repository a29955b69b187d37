"""Output kinds: each owns its file suffix, render mode and writer; build() looks one up by name."""

from __future__ import annotations

import importlib

from bulletin.outputs.base import BuildResult, OutputKind

# Name → module defining KIND; modules load on demand (pypdf, WeasyPrint are slow to import).
KIND_MODULES = {
    "office": "office",
    "press": "press",
    "booklet": "booklet",
    "archive": "archive",
    "web": "web",
}

__all__ = ["KIND_MODULES", "BuildResult", "OutputKind", "kind_named"]


def kind_named(name: str) -> OutputKind:
    """The output kind called `name`; ValueError for a name no module defines."""
    if name not in KIND_MODULES:
        raise ValueError(f"unknown output kind {name!r}; expected one of {', '.join(KIND_MODULES)}")
    return importlib.import_module(f"{__name__}.{KIND_MODULES[name]}").KIND
