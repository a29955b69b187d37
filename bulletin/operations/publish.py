"""Every output of one issue in one run: loaded and rendered once, laid out once per look."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.content.check import check_issue
from bulletin.errors import BuildError, BulletinError
from bulletin.i18n import _
from bulletin.operations.build import options_of, prepare
from bulletin.outputs import BuildResult, kind_named
from bulletin.outputs.base import DEFAULT_OUTPUT_DIR, PdfKind, folder_output, lay_out
from bulletin.render.html import RenderedIssue

if TYPE_CHECKING:
    from bulletin.engine.typeset import TypesetDocument

# In this order: the office pages serve the office PDF, the booklet imposed from it and the
# archive copy (the same pages when the layout renders the archive alike; PDF/A is written
# last, as it adds its own colour profile to the document); the press has its own layout
# (CMYK, bleed); the e-edition none.
PUBLISHED = ("office", "booklet", "archive", "press", "web")


@dataclass
class PublishResult:
    """What one run made: a result per output, or the lines of its failure."""

    results: dict[str, BuildResult] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def publish(
    issue_dir: Path,
    output_dir: Path | None = None,
    *,
    archive_dir: Path | None = None,
    replace: bool = False,
    reason: str | None = None,
    strict: bool = False,
    layout: str | None = None,
    profile: Path | None = None,
    condition: str | None = None,
) -> PublishResult:
    """Office, press, booklet and e-edition PDFs (and the archive copy) of one issue.

    A problem in the content stops everything (it would fail every output alike); a failure
    of one output is recorded and the others are still made. `replace` and `reason` are the
    archive copy's, as for `bulletin archive --replace --reason`.
    """
    start = time.perf_counter()
    output_dir = Path(output_dir) if output_dir is not None else DEFAULT_OUTPUT_DIR
    folder_output(output_dir)
    if archive_dir is not None and Path(archive_dir).absolute() == output_dir.absolute():
        # The office PDF would be written where the archive copy of the same name goes.
        raise BuildError(
            archive_dir,
            "archive",
            _("is the output folder too; give the archive a folder of its own"),
        )
    folder_output(archive_dir, "archive")
    if replace or reason is not None:
        from bulletin.outputs.archive import reason_refused

        if archive_dir is None:
            message = _("--replace and --reason are for the archive copy; give --archive DIR")
            raise BuildError("--replace", "archive", message)
        if refused := reason_refused(replace, reason):
            raise BuildError(str(archive_dir), "archive", refused)
    loaded, missing = check_issue(Path(issue_dir), strict=strict)
    done = PublishResult()
    # Pages laid out once per distinct HTML: each output is rendered in its own mode, and
    # outputs whose layout renders them alike share the pages.
    rendered: dict[str, RenderedIssue] = {}
    laid_out: dict[str, TypesetDocument] = {}
    own_options: dict[str, dict[str, object]] = {
        "press": {"profile": profile, "condition": condition},
        "web": {"into_folder": True},  # DIR/NAME-web/
        "archive": {"replace": replace, "reason": reason},
    }

    def make(name: str) -> BuildResult:
        kind = kind_named(name)
        target = archive_dir if name == "archive" else output_dir
        options = options_of(kind, own_options.get(name, {}))
        mode = kind.render_mode
        request = prepare(
            loaded,
            missing,
            mode,
            target,
            layout=layout,
            rendered=rendered.get(mode),
            strict=strict,
            options=options,
        )
        rendered[mode] = request.rendered
        if not isinstance(kind, PdfKind):
            return kind.make(request)
        html = request.rendered.html
        if html not in laid_out:
            laid_out[html] = lay_out(request)
        return kind.make_from(laid_out[html], request)

    for name in PUBLISHED:
        if name == "archive" and archive_dir is None:
            continue
        try:
            done.results[name] = make(name)
        except BulletinError as error:
            done.failures[name] = error.lines()
    done.seconds = time.perf_counter() - start
    return done
