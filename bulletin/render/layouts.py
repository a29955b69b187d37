"""Where a layout is, and the one sandboxed Jinja environment its templates run in."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..data import layouts_dir
from ..errors import LayoutError
from ..i18n import _

ENTRY_TEMPLATE = "issue.html.j2"
WEB_TEMPLATE = "web.html.j2"
# A publication's own layouts live in this folder beside its publication.yaml.
USER_LAYOUTS = "layouts"


def find_layout(name: str, content_root: Path | None = None) -> Path:
    """The folder of a layout: a path to a folder given on the command line, a folder of
    the user's (`layouts/NAME` beside the publication file), or a bundled layout."""
    candidates = []
    if "/" in name or name in (".", ".."):
        candidates.append(Path(name))
    else:
        if content_root is not None:
            candidates.append(content_root / USER_LAYOUTS / name)
        candidates.append(layouts_dir() / name)
    for folder in candidates:
        if (folder / ENTRY_TEMPLATE).is_file():
            return folder.resolve()
    known = sorted(p.name for p in layouts_dir().iterdir() if (p / ENTRY_TEMPLATE).is_file())
    raise LayoutError(
        name,
        "layout",
        _(
            "no {template} there; expected a folder holding one, {folder}/NAME beside "
            "publication.yaml, or a bundled layout: {known}"
        ).format(template=ENTRY_TEMPLATE, folder=USER_LAYOUTS, known=", ".join(known)),
    )


@cache
def environment(folder: Path) -> jinja2.Environment:
    """The one Jinja environment per layout: sandboxed, autoescaped, and a typo fails.

    The sandbox keeps a template to the values it is given: no attribute walk from a
    value reaches Python's internals, whoever wrote the layout.
    """
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["compact_date"] = lambda d: d.strftime("%Y%m%d")
    return env
