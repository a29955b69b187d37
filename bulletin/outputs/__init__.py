"""Output kinds, one module each, registered here by name; build() looks one up by name.

A kind is a subclass of `OutputKind` (outputs/base.py) in a module of this package that
names its instance `KIND`: its name, label, help, options and result lines are declared
there. Adding one is that module and one line in `KINDS`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields

from bulletin.outputs.base import BuildResult, OutputKind


@dataclass(frozen=True)
class Registration:
    """An output kind's name, the module that defines it, and the flag kept as its alias."""

    name: str
    module: str
    alias: str | None = None  # e.g. `build --press` for `build --as press`


# In the order the command line lists them; modules load on demand (pypdf and WeasyPrint
# are slow to import, and `bulletin --help` needs only the names).
KINDS = (
    Registration("office", "office"),
    Registration("press", "press", alias="--press"),
    Registration("booklet", "booklet", alias="--booklet"),
    Registration("archive", "archive"),
    Registration("web", "web", alias="--web"),
)
KIND_MODULES = {kind.name: kind.module for kind in KINDS}

__all__ = ["KINDS", "KIND_MODULES", "BuildResult", "OutputKind", "kind_named", "kind_options"]


def kind_named(name: str) -> OutputKind:
    """The output kind called `name`; ValueError for a name no module defines."""
    if name not in KIND_MODULES:
        raise ValueError(f"unknown output kind {name!r}; expected one of {', '.join(KIND_MODULES)}")
    kind: OutputKind = importlib.import_module(f"{__name__}.{KIND_MODULES[name]}").KIND
    return kind


def kind_options(kind: OutputKind, given: dict[str, object]) -> object:
    """The kind's options from the values given (None: not given); a value for an option
    the kind does not have raises ValueError naming the kinds that do have it."""
    known = {field.name for field in fields(kind.options)}
    for option, value in given.items():
        if value is not None and value is not False and option not in known:
            owners = [k.name for k in KINDS if option in _option_names(k.name)]
            raise ValueError(option, owners)
    return kind.options(**{k: v for k, v in given.items() if k in known and v is not None})


def _option_names(name: str) -> set[str]:
    return {field.name for field in fields(kind_named(name).options)}
