"""Runs the stages in order: load and check → render → the output kind typesets and writes."""

from __future__ import annotations

from pathlib import Path

from bulletin.collector import without_cycle_collection
from bulletin.content.check import check_issue
from bulletin.content.loader import LoadedIssue, find_publication_file
from bulletin.errors import Problem
from bulletin.outputs import BuildResult, kind_named
from bulletin.outputs.base import Request, StageTimer
from bulletin.render.html import render_issue

__all__ = ["BuildResult", "build", "prepare"]


@without_cycle_collection()
def build(
    issue_dir: Path,
    output: Path | None = None,
    *,
    kind: str = "office",
    strict: bool = False,
    layout: str | None = None,
    stock_engine: bool = False,
    profile: Path | None = None,
    condition: str | None = None,
    replace: bool = False,
    into_folder: bool = False,
) -> BuildResult:
    """Typeset one issue into one kind of output.

    office: A4 (the default); press: PDF/X-4, CMYK, bleed and crop marks; booklet: A3
    sheets imposed for saddle stitching; archive: PDF/A-3a carrying its sources, stored
    write-once in the folder `output` with a catalogue; web: the e-edition, a folder with
    index.html. `output` is a .pdf file or a folder (default out/). For the web edition
    `output` is the edition's own folder, unless `into_folder` (several issues at once):
    then each edition goes into `output`/NAME-web.
    """
    output_kind = kind_named(kind)
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
        profile=profile,
        condition=condition,
        replace=replace,
        into_folder=into_folder,
    )
    return output_kind.make(request)


def prepare(
    loaded: LoadedIssue,
    missing: list[Problem],
    mode: str,
    output: Path | None,
    *,
    layout: str | None = None,
    timer: StageTimer | None = None,
    **options,
) -> Request:
    """An issue rendered in one render mode: the request an output kind makes its file from.

    `missing` are the check's warnings; `options` the Request's (strict, profile, …).
    """
    timer = timer or StageTimer()
    content_root = find_publication_file(loaded.issue_dir).parent
    rendered = render_issue(loaded.content, layout, mode, loaded.issue_dir, content_root)
    timer.lap("render")
    warnings = [str(problem) for problem in missing]
    return Request(loaded, rendered, output, timer, warnings, **options)
