"""The e-edition: one self-contained, phone-first index.html and its stylesheet."""

from __future__ import annotations

from pathlib import Path

from bulletin.atomic import write_atomically
from bulletin.errors import BuildError
from bulletin.i18n import _
from bulletin.outputs.base import (
    DEFAULT_OUTPUT_DIR,
    BuildResult,
    OutputKind,
    Request,
    folder_output,
)
from bulletin.render.layouts import layout_file

# Files of the layout the page links to, copied beside it under assets/.
ASSETS = ("web.css",)


def write_web_edition(html: str, layout_dir: Path, target: Path) -> Path:
    """Write `target`/index.html and `target`/assets/; every file appears whole."""
    target = Path(target)
    try:
        (target / "assets").mkdir(parents=True, exist_ok=True)
        for name in ASSETS:
            write_atomically(target / "assets" / name, layout_file(layout_dir, name).read_bytes())
        # The page last: whoever opens it finds its stylesheet already there.
        return write_atomically(target / "index.html", html)
    except OSError as error:
        where = error.filename or target
        raise BuildError(
            where, "web", _("cannot write: {reason}").format(reason=error.strerror or error)
        ) from None


class WebEdition(OutputKind):
    """The e-edition folder; nothing is typeset."""

    name = "web"
    render_mode = "web"

    def make(self, request: Request) -> BuildResult:
        named = f"{request.stem}-web"
        output = request.output
        if output is None:
            folder = DEFAULT_OUTPUT_DIR / named
        else:
            folder = folder_output(output) / named if request.into_folder else output
        folder_output(folder)
        rendered = request.rendered
        page = write_web_edition(rendered.html, rendered.layout_dir, folder)
        request.timer.lap("write")
        return request.result(page, 0)


KIND = WebEdition()
