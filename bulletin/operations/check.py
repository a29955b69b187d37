"""Check issues as every command does before it builds: each issue's problems and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bulletin.content.check import check_issue
from bulletin.content.loader import not_an_issue
from bulletin.errors import ContentError


@dataclass(frozen=True)
class Checked:
    """One issue checked: its counts and warnings, or the problems that stop it."""

    issue_dir: Path
    articles: int = 0
    regions: int = 0
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Why it was not checked: one of several paths (`check content/*`) that is no issue.
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check(issue_dirs: list[Path], *, strict: bool = False) -> list[Checked]:
    """Every issue checked, in order; one whose content is invalid does not stop the others."""
    checked = []
    # Given several paths (`check content/*`), those that are plainly no issue folder, such as
    # publication.yaml, are skipped and said so; one path alone is checked as given.
    skipped = {path: reason for path in issue_dirs if (reason := not_an_issue(Path(path)))}
    if len(skipped) == len(issue_dirs):
        skipped = {}
    for issue_dir in issue_dirs:
        if issue_dir in skipped:
            checked.append(Checked(Path(issue_dir), skipped=skipped[issue_dir]))
            continue
        try:
            loaded, missing = check_issue(Path(issue_dir), strict=strict)
        except ContentError as error:
            checked.append(Checked(Path(issue_dir), problems=error.lines()))
            continue
        checked.append(
            Checked(
                Path(issue_dir),
                articles=len(loaded.content.articles),
                regions=len(loaded.content.sections),
                warnings=[str(problem) for problem in missing],
            )
        )
    return checked
