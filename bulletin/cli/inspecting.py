"""Commands that inspect: preflight a PDF, and doctor for the machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bulletin.cli import reports
from bulletin.cli.app import command, reports_errors, say, warn
from bulletin.cli.helptext import width_of
from bulletin.i18n import N_, _, n_


@command("preflight")
@reports_errors
def preflight_command(
    pdf: Annotated[Path, typer.Argument(help=N_("A PDF to check."), metavar="FILE.pdf")],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help=N_("List every violation, not just the counts."))
    ] = False,
    press: Annotated[
        bool,
        typer.Option(
            "--press",
            help=N_(
                "Also check for print: PDF/X-4 header, output intent and metadata, no "
                "annotations, 3 mm bleed, no RGB, no 400 % and at most 300 % ink, pictures at "
                "150 ppi or more (a warning under 300), black text solid and small text of "
                "one ink."
            ),
        ),
    ] = False,
) -> None:
    """Check a PDF's Chinese setting and fonts; exit 1 on any violation."""
    from bulletin.operations.preflight import RULES, preflight

    if not pdf.exists():
        raise typer.BadParameter(
            _("{file}: no such file").format(file=pdf), param_hint="'FILE.pdf'"
        )
    report = preflight(pdf, press=press)
    for warning in report.warnings:
        warn(f"{pdf}: {warning}")
    if verbose:
        for violation in report.violations:
            say(f"{pdf}: {violation}")
    for page, counts in sorted(report.per_page().items()):
        listed = _(", ").join(f"{_(rule)} {n}" for rule, n in sorted(counts.items()))
        # page 0: the whole file
        where = _("page {n}").format(n=page) if page else _("whole file")
        say(_("{where}: {listed}").format(where=where, listed=listed))
    if report.empty_lines:
        fill = _(", ").join(f"{page}: {empty}" for page, empty in report.empty_lines.items())
        say(_("empty grid lines at the foot of each body page: {fill}").format(fill=fill))
    totals = report.counts()
    found = len(report.violations)
    violations = n_("{n} violation", "{n} violations", found).format(n=found)
    line = _("{file}: {pages}, {violations}").format(
        file=pdf, pages=reports.pages(report.pages), violations=violations
    )
    if not report.ok:
        listed = _(", ").join(f"{_(r)} {totals[r]}" for r in RULES if totals[r])
        line = _("{summary}: {listed}").format(summary=line, listed=listed)
    say(line)
    if not report.ok:
        raise typer.Exit(1)


@command("doctor")
@reports_errors
def doctor_command() -> None:
    """Report the engine, system libraries and fonts, and what to install when missing."""
    from bulletin.operations.doctor import diagnose

    findings = diagnose()
    # Names of things (python, weasyprint, a font file) stay; words are translated.
    names = {finding.name: _(finding.name) for finding in findings}
    marks = {True: _("ok"), False: "!!"}
    mark_width = max(width_of(mark) for mark in marks.values())
    width = max(width_of(name) for name in names.values())
    for finding in findings:
        mark, name = marks[finding.ok], names[finding.name]
        mark += " " * (mark_width - width_of(mark) + 1)
        say(f"{mark}{name}{' ' * (width - width_of(name))}  {finding.detail}")
    for finding in findings:
        if not finding.ok and finding.remedy:
            indent = " " * (mark_width + 1)
            fix = _("fix {name}: {remedy}").format(name=names[finding.name], remedy=finding.remedy)
            say(indent + fix)
    if not all(f.ok for f in findings):
        raise typer.Exit(1)
