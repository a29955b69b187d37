"""Every output of one issue in one run: loaded and rendered once, laid out once per look."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bulletin.content.check import check_issue
from bulletin.errors import BuildError, BulletinError
from bulletin.i18n import _
from bulletin.operations.build import prepare
from bulletin.outputs import BuildResult, kind_named
from bulletin.outputs.base import DEFAULT_OUTPUT_DIR, Request, StageTimer, folder_output, lay_out

# In this order: the office layout serves the office PDF, the booklet imposed from it and
# the archive copy (the same pages; PDF/A is written last, as it adds its own colour
# profile to the document); the press has its own layout (CMYK, bleed); the e-edition none.
SHARED_LAYOUT = ("office", "booklet", "archive")


@dataclass
class Published:
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
    strict: bool = False,
    layout: str | None = None,
    profile: Path | None = None,
    condition: str | None = None,
) -> Published:
    """Office, press, booklet and e-edition PDFs (and the archive copy) of one issue.

    A problem in the content stops everything (it would fail every output alike); a failure
    of one output is recorded and the others are still made.
    """
    start = time.perf_counter()
    output_dir = folder_output(Path(output_dir) if output_dir is not None else DEFAULT_OUTPUT_DIR)
    if archive_dir is not None and Path(archive_dir).absolute() == output_dir.absolute():
        # The office PDF would be written where the archive copy of the same name goes.
        raise BuildError(
            archive_dir,
            "archive",
            _("is the output folder too; give the archive a folder of its own"),
        )
    folder_output(archive_dir, "archive")
    loaded, missing = check_issue(Path(issue_dir), strict=strict)
    done = Published()

    def request_for(mode: str, output: Path | None) -> Request:
        options = {"strict": strict, "profile": profile, "condition": condition}
        return prepare(loaded, missing, mode, output, layout=layout, **options)

    def attempt(name: str, make) -> None:
        try:
            done.results[name] = make()
        except BulletinError as error:
            done.failures[name] = error.lines()

    office = request_for("office", output_dir)
    document = None

    def office_pages():
        nonlocal document
        if document is None:
            document = lay_out(office)
        return document

    for name in SHARED_LAYOUT:
        if name == "archive" and archive_dir is None:
            continue
        target = archive_dir if name == "archive" else output_dir
        attempt(
            name,
            lambda name=name, target=target: kind_named(name).make_from(
                office_pages(), replace(office, output=target, timer=StageTimer())
            ),
        )
    press = request_for("press", output_dir)
    attempt("press", lambda: kind_named("press").make(press))
    web = replace(request_for("web", output_dir), into_folder=True)  # DIR/NAME-web/
    attempt("web", lambda: kind_named("web").make(web))
    done.seconds = time.perf_counter() - start
    return done
