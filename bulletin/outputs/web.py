"""The e-edition: one self-contained, phone-first index.html and its stylesheet."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from bulletin import counts
from bulletin.atomic import new_folder_beside, swap_folder, write_atomically, written_in_place
from bulletin.content.loader import display_path
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
PAGE = "index.html"
# A local address left in the page would break once the folder is uploaded, and show the
# editor's folders to every reader: such a page is never written.
LOCAL_ADDRESS = "file://"


def write_web_edition(html: str, layout_dir: Path, target: Path) -> Path:
    """Write `target`/index.html and `target`/assets/, the folder whole or not at all.

    The new edition is written into a hidden folder beside the old one, with any other
    file the old folder holds carried over as it is, and the two folders are then swapped
    in one step: a failure at any point (a full disk, Ctrl-C) leaves the previous edition
    as it was. A link to the folder stays a link; the folder it leads to is replaced.
    """
    if LOCAL_ADDRESS in html:
        message = _(
            "a picture kept its local address; expected every picture inside the page "
            "(PNG, JPEG, GIF, WebP or SVG)"
        )
        raise BuildError(display_path(Path(target) / PAGE), "web", message)
    staging = None
    try:
        folder = written_in_place(Path(target))
        staging = new_folder_beside(folder)
        ours = {PAGE, *(f"assets/{name}" for name in ASSETS)}
        if folder.is_dir():
            carry_over(folder, staging, ours)
        (staging / "assets").mkdir(exist_ok=True)
        for name in ASSETS:
            write_atomically(staging / "assets" / name, layout_file(layout_dir, name).read_bytes())
        write_atomically(staging / PAGE, html)
        swap_folder(staging, folder)
    except OSError as error:
        where = display_path(Path(error.filename)) if error.filename else display_path(target)
        if staging is not None and error.filename and Path(error.filename).is_relative_to(staging):
            where = display_path(Path(target) / Path(error.filename).relative_to(staging))
        raise BuildError(
            where, "web", _("cannot write: {reason}").format(reason=error.strerror or error)
        ) from None
    finally:
        if staging is not None:  # after the swap it holds the previous edition
            shutil.rmtree(staging, ignore_errors=True)
    return Path(target) / PAGE


def carry_over(old: Path, new: Path, ours: set[str]) -> None:
    """Every file of the old folder but the edition's own, at its place in the new one: a
    hard link where the file system has them (nothing copied), else a copy; links are
    copied as links."""
    for top, folders, files in os.walk(old):
        here = Path(top)
        for name in sorted(folders + files):
            path = here / name
            relative = path.relative_to(old)
            place = new / relative
            if relative.as_posix() in ours:
                continue
            if path.is_symlink():
                os.symlink(os.readlink(path), place)
            elif path.is_dir():
                place.mkdir()
            elif path.is_file():
                try:
                    os.link(path, place)
                except OSError:
                    shutil.copy2(path, place)


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
