"""Runs the stages in order: load and check → render → the output kind typesets and writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletin.collector import without_cycle_collection
from bulletin.content.check import check_issue
from bulletin.content.loader import LoadedIssue, find_publication_file
from bulletin.errors import BuildError, Problem
from bulletin.i18n import _
from bulletin.outputs import BuildResult, OutputKind, kind_named, kind_options
from bulletin.outputs.base import Request, StageTimer
from bulletin.render.html import RenderedIssue, render_issue

__all__ = ["BuildResult", "build", "options_of", "prepare"]


@without_cycle_collection()
def build(
    issue_dir: Path,
    output: Path | None = None,
    *,
    kind: str = "office",
    strict: bool = False,
    layout: str | None = None,
    stock_engine: bool = False,
    **options: object,
) -> BuildResult:
    """Typeset one issue into one kind of output (outputs/: office, press, booklet, archive,
    web), with that kind's own `options` (press: profile, condition; archive: replace; web:
    into_folder).

    `output` is a .pdf file or a folder (default out/); for the archive, the archive folder;
    for the e-edition, its own folder, or with `into_folder` the folder that holds it.
    """
    output_kind = kind_named(kind)
    own = options_of(output_kind, options)
    timer = StageTimer()
    loaded, missing = check_issue(Path(issue_dir), strict=strict)
    timer.lap("load")
    request = prepare(
        loaded,
        missing,
        output_kind.render_mode,
        Path(output) if output is not None else None,
        layout=layout,
        timer=timer,
        strict=strict,
        stock_engine=stock_engine,
        options=own,
    )
    return output_kind.make(request)


def options_of(output_kind: OutputKind, given: dict[str, object]) -> object:
    """The kind's options from `given`; an option of another kind is refused by name."""
    try:
        return kind_options(output_kind, given)
    except ValueError as error:
        option, owners = error.args
        message = _("is an option of {owners}, not of {kind}").format(
            owners=_(", ").join(owners) or "?", kind=output_kind.name
        )
        raise BuildError(option, "option", message) from None


def prepare(
    loaded: LoadedIssue,
    missing: list[Problem],
    mode: str,
    output: Path | None,
    *,
    layout: str | None = None,
    timer: StageTimer | None = None,
    rendered: RenderedIssue | None = None,
    **options: Any,
) -> Request:
    """An issue rendered in one render mode: the request an output kind makes its file from.

    `missing` are the check's warnings; `options` the Request's (strict, the kind's own
    options, …); `rendered`, the same issue already rendered in `mode`, is used as it is.
    """
    timer = timer or StageTimer()
    if rendered is None:
        content_dir = find_publication_file(loaded.issue_dir).parent
        rendered = render_issue(loaded.content, layout, mode, loaded.issue_dir, content_dir)
    timer.lap("render")
    warnings = [str(problem) for problem in missing]
    return Request(loaded, rendered, output, timer, warnings, **options)
