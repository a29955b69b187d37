"""Where a layout is, and the one sandboxed Jinja environment its templates run in."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import jinja2

from ..content.loader import display_path
from ..data import layouts_dir
from ..errors import LayoutError
from ..i18n import _
from .sandbox import LayoutEnvironment

ENTRY_TEMPLATE = "issue.html.j2"
WEB_TEMPLATE = "web.html.j2"
# A publication's own layouts live in this folder beside its publication.yaml.
USER_LAYOUTS = "layouts"


def find_layout(name: str, content_dir: Path | None = None) -> Path:
    """The folder of a layout: a path to a folder given on the command line, a folder of
    the user's (`layouts/NAME` beside the publication file), or a bundled layout."""
    candidates = []
    if "/" in name or name in (".", ".."):
        candidates.append(Path(name))
    else:
        if content_dir is not None:
            candidates.append(content_dir / USER_LAYOUTS / name)
        candidates.append(layouts_dir() / name)
    for folder in candidates:
        if (folder / ENTRY_TEMPLATE).is_file():
            return _admitted(folder, name, content_dir)
    known = sorted(p.name for p in layouts_dir().iterdir() if (p / ENTRY_TEMPLATE).is_file())
    raise LayoutError(
        name,
        "layout",
        _(
            "no {template} there; expected a folder holding one, {folder}/NAME beside "
            "publication.yaml, or a bundled layout: {known}"
        ).format(template=ENTRY_TEMPLATE, folder=USER_LAYOUTS, known=", ".join(known)),
    )


def _admitted(folder: Path, name: str, content_dir: Path | None) -> Path:
    """A layout folder found by name lies where it was looked for, once links are resolved:
    beside the publication (in its `layouts/`) or among the bundled ones. A folder named by
    path on the command line is the user's own choice."""
    resolved = folder.resolve()
    if "/" in name or name in (".", ".."):
        return resolved
    homes = [layouts_dir().resolve()]
    if content_dir is not None:
        homes.append((content_dir / USER_LAYOUTS).resolve())
    if not any(resolved.is_relative_to(home) for home in homes):
        raise LayoutError(
            display_path(folder),
            "layout",
            _("a link to a folder outside {folder}").format(folder=USER_LAYOUTS),
        )
    return resolved


def layout_file(folder: Path, name: str) -> Path:
    """A file of a layout, once links are resolved; it must lie inside the layout folder."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise LayoutError(
            display_path(folder / name),
            "layout",
            _("a link to a file outside the layout folder; copy the file itself into it"),
        )
    if not path.is_file():
        raise LayoutError(
            display_path(folder / name), "layout", _("no such file in the layout folder")
        )
    return path


class LayoutLoader(jinja2.FileSystemLoader):
    """Templates only from inside the layout folder: a template that is a link out, or an
    include of one, is refused like any other file the layout names."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.folder = folder

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        layout_file(self.folder, Path(filename).relative_to(self.folder).as_posix())
        return source, filename, uptodate


@cache
def environment(folder: Path) -> jinja2.Environment:
    """The one Jinja environment per layout: sandboxed, autoescaped, and a typo fails.

    The sandbox keeps a template to the plain values it is given and to its budget
    (render/sandbox.py), whoever wrote the layout.
    """
    return LayoutEnvironment(
        loader=LayoutLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        filters={"compact_date": compact_date},
    )


def compact_date(date: dt.date) -> str:
    """The one filter a layout has beyond Jinja's: a date as 20240416."""
    if not isinstance(date, dt.date):
        raise TypeError(
            _("compact_date takes a date, not a {kind}").format(kind=type(date).__name__)
        )
    return date.strftime("%Y%m%d")
