"""The e-edition: one self-contained, phone-first index.html and its stylesheet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin import counts
from bulletin.atomic import write_atomically
from bulletin.errors import BuildError
from bulletin.i18n import N_, _, n_
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


@dataclass(frozen=True)
class WebOptions:
    """The e-edition's own option: several issues at once each go in OUTPUT/NAME-web/."""

    into_folder: bool = False


class WebEdition(OutputKind):
    """The e-edition folder; nothing is typeset."""

    name = "web"
    label = N_("e-edition")
    help = N_("The e-edition: a folder with a phone-first index.html (default out/NAME-web/).")
    render_mode = "web"
    options = WebOptions

    def made(self, result: BuildResult) -> str:
        return _("e-edition")

    def result_line(self, result: BuildResult) -> str:
        took = counts.seconds(sum(result.seconds.values()))
        return _("{output}: e-edition, {seconds}").format(output=result.output, seconds=took)

    def published_line(self, result: BuildResult) -> str:
        return _("{output}: e-edition").format(output=result.output)

    def batch_made(self, issues: int, pages: int) -> str:
        return n_("{n} e-edition written", "{n} e-editions written", issues).format(n=issues)

    def make(self, request: Request) -> BuildResult:
        named = f"{request.stem}-web"
        output = request.output
        if output is None:
            folder = DEFAULT_OUTPUT_DIR / named
        else:
            into_folder = (request.options or WebOptions()).into_folder
            folder = folder_output(output) / named if into_folder else output
        folder_output(folder)
        rendered = request.rendered
        page = write_web_edition(rendered.html, rendered.layout_dir, folder)
        request.timer.lap("write")
        return request.result(page, 0, self.name)


KIND = WebEdition()
