"""Commands that inspect: preflight a PDF, and doctor for the machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, reports_errors, say


@app.command("preflight")
@reports_errors
def preflight_command(
    pdf: Annotated[Path, typer.Argument(help="A PDF to check.", metavar="FILE.pdf")],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every violation, not just the counts.")
    ] = False,
    press: Annotated[
        bool,
        typer.Option(
            "--press",
            help="Also check for print: PDF/X-4 header, output intent and metadata, no "
            "annotations, 3 mm bleed, no RGB, no 400 % and at most 300 % ink, images at 300 dpi "
            "or more, black text solid and small text of one ink.",
        ),
    ] = False,
) -> None:
    """Check a PDF's Chinese setting and fonts; exit 1 on any violation."""
    from ..tools.preflight import RULES, preflight

    if not pdf.is_file():
        raise typer.BadParameter(f"{pdf}: no such file", param_hint="'FILE.pdf'")
    report = preflight(pdf, press=press)
    if verbose:
        for violation in report.violations:
            say(f"{pdf}: {violation}")
    for page, counts in sorted(report.per_page().items()):
        listed = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))
        say(f"page {page}: {listed}" if page else f"file: {listed}")  # page 0: the whole file
    totals = report.counts()
    say(
        f"{pdf}: {report.pages} pages, {len(report.violations)} violations"
        + ("" if report.ok else ": " + ", ".join(f"{r} {totals[r]}" for r in RULES if totals[r]))
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command("doctor")
@reports_errors
def doctor_command() -> None:
    """Report the engine, system libraries and fonts, and what to install when missing."""
    from ..tools.doctor import diagnose

    findings = diagnose()
    width = max(len(f.name) for f in findings)
    for finding in findings:
        mark = "ok " if finding.ok else "!! "
        say(f"{mark}{finding.name.ljust(width)}  {finding.detail}")
    for finding in findings:
        if not finding.ok and finding.remedy:
            say(f"   fix {finding.name}: {finding.remedy}")
    if not all(f.ok for f in findings):
        raise typer.Exit(1)
