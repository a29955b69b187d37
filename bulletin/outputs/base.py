"""What every output kind shares: the request it gets, the result it gives, and PDF writing."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from bulletin import counts
from bulletin.atomic import write_atomically
from bulletin.content.loader import FromLoadedIssue, LoadedIssue, display_path
from bulletin.errors import BuildError
from bulletin.i18n import _, n_
from bulletin.render.html import RenderedIssue

if TYPE_CHECKING:  # the engine loads WeasyPrint: only when a kind lays out pages
    from bulletin.engine.typeset import TypesetDocument

DEFAULT_OUTPUT_DIR = Path("out")


@dataclass
class BuildResult:
    """What a build made and what it noticed."""

    output: Path
    pages: int
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    status: str = "written"  # archive: "archived", "unchanged" or "replaced"
    kept: Path | None = None
    kind: str = "office"  # the name of the output kind that made it


class StageTimer:
    """Seconds spent in each stage of one build, for the result and the benchmarks."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self._clock
        self._clock = now


@dataclass
class Request(FromLoadedIssue):
    """One issue, loaded and rendered, and what the user asked of its output."""

    loaded: LoadedIssue
    rendered: RenderedIssue
    output: Path | None
    timer: StageTimer
    warnings: list[str] = field(default_factory=list)
    strict: bool = False
    stock_engine: bool = False
    # The output kind's own options: an instance of its `options` class.
    options: Any = None

    @property
    def stem(self) -> str:
        return self.content.stem

    def result(self, output: Path, pages: int, kind: str, **extra: Any) -> BuildResult:
        return BuildResult(output, pages, self.warnings, self.timer.seconds, kind=kind, **extra)


@dataclass(frozen=True)
class NoOptions:
    """The options of a kind that has none of its own."""


class OutputKind:
    """One kind of output, as a builder in Sphinx: its name, what it is called and offers,
    the layout mode it renders with, how it makes its file and how its result is told."""

    name = ""  # `bulletin build --as NAME`
    label = ""  # what messages call it, e.g. N_("press PDF")
    help = ""  # one line for the command line's help
    render_mode = "office"
    suffix = ""  # added to the issue's name in default file names
    # Its own options (a frozen dataclass; build(..., **options) fills it in).
    options: ClassVar[type] = NoOptions

    def make(self, request: Request) -> BuildResult:
        raise NotImplementedError

    def made(self, result: BuildResult) -> str:
        """What was made, in words: `8 pages`."""
        return counts.pages(result.pages)

    def result_line(self, result: BuildResult) -> str:
        """The line a build prints: `out/x.pdf: 8 pages, 1.2 s`."""
        took = counts.seconds(sum(result.seconds.values()))
        return _("{output}: {made}, {seconds}").format(
            output=result.output, made=self.made(result), seconds=took
        )

    def batch_made(self, issues: int, pages: int) -> str:
        """What a build of several issues made: `3 issues built, 24 pages`."""
        made = n_("{n} issue built", "{n} issues built", issues).format(n=issues)
        return _("{made}, {pages}").format(made=made, pages=counts.pages(pages))

    def published_line(self, result: BuildResult) -> str:
        """The line `publish` prints for this output: `out/x.pdf: 8 pages (office PDF)`."""
        return _("{output}: {pages} ({kind})").format(
            output=result.output, pages=self.made(result), kind=_(self.label)
        )


class PdfKind(OutputKind):
    """An output that is one typeset PDF file."""

    def make(self, request: Request) -> BuildResult:
        return self.make_from(lay_out(request), request)

    def make_from(self, document: TypesetDocument, request: Request) -> BuildResult:
        """Write this kind's file from pages already laid out for `request`."""
        from bulletin.engine import typeset

        identity = f"{request.stem} {typeset.content_hash(request.rendered.html)}"
        data = self.pdf_data(document, request, identity)
        request.timer.lap("pdf")
        request.warnings.extend(w for w in document.warnings if w not in request.warnings)
        if request.strict and document.warnings:
            raise BuildError(
                display_path(request.issue_dir),
                "build",
                _("--strict and the engine warned: {warnings}").format(
                    warnings="; ".join(document.warnings)
                ),
            )
        return self.store(data, document.page_count, request)

    def pdf_data(self, document: TypesetDocument, request: Request, identity: str) -> bytes:
        from bulletin.engine import typeset

        return typeset.pdf_bytes(document, identity=identity)

    def store(self, data: bytes, pages: int, request: Request) -> BuildResult:
        target = self.target(request)
        write_pdf(target, data)
        request.timer.lap("write")
        return request.result(target, pages, self.name)

    def target(self, request: Request) -> Path:
        output = request.output
        name = f"{request.stem}{self.suffix}.pdf"
        if output is None:
            return DEFAULT_OUTPUT_DIR / name
        if output.suffix.lower() == ".pdf":
            return output
        return pdf_or_folder(output) / name


def pdf_or_folder(output: Path) -> Path:
    """An output named by the user that must be a .pdf file or a folder; refused otherwise."""
    if output.suffix.lower() != ".pdf":
        _refuse_existing_file(
            output, "output", _("is a file, not a folder; name a .pdf file or a folder")
        )
    if output.suffix.lower() == ".pdf" or not output.suffix or output.is_dir():
        return output
    raise BuildError(
        display_path(output),
        "output",
        _(
            "expected a .pdf file or a folder; name the file {pdf}, or a folder without a dot"
        ).format(pdf=output.with_suffix(".pdf").name),
    )


def folder_output(output: Path | None, field: str = "output") -> Path | None:
    """An output the user named that must be a folder: a name like a file's is refused."""
    if output is not None:
        _refuse_existing_file(output, field, _("is a file, not a folder; name a folder"))
    if output is None or not output.suffix or output.is_dir():
        return output
    if output.suffix.lower() == ".pdf":
        message = _("this output is a folder, not a .pdf file; name a folder")
    else:
        message = _(
            "this output is a folder, but {name} looks like a file name; name a folder without "
            "a dot, or one that exists"
        ).format(name=output.name)
    raise BuildError(display_path(output), field, message)


def _refuse_existing_file(output: Path, field: str, message: str) -> None:
    """A folder output that names an existing file or device (`out`, /dev/null) is refused."""
    if output.exists() and not output.is_dir():
        raise BuildError(display_path(output), field, message)


def lay_out(request: Request) -> TypesetDocument:
    """The request's HTML laid out in pages (WeasyPrint loads only now)."""
    from bulletin.data import fonts_dir
    from bulletin.engine import typeset

    rendered = request.rendered
    roots = [request.issue_dir, rendered.layout_dir, fonts_dir()]
    document = typeset.typeset(
        rendered.html,
        rendered.base_url,
        roots,
        stock_engine=request.stock_engine,
        date=request.issue.print_date,
    )
    request.timer.lap("typeset")
    return document


def write_pdf(target: Path, data: bytes) -> Path:
    """Put the PDF at `target`, creating its folder; a failure leaves any previous PDF intact."""
    target = Path(target)
    for folder in reversed(target.parents):  # a file where a folder of the path should be
        _refuse_existing_file(folder, "output", _("is a file, not a folder; name a folder"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(target, data)
    except OSError as error:
        raise BuildError(
            target, "output", _("cannot write: {reason}").format(reason=error.strerror or error)
        ) from None
