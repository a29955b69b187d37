"""The issues of a content folder: their numbering, and the next issue to start."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bulletin.atomic import write_atomically
from bulletin.content.loader import (
    ARTICLES_DIR,
    ISSUE_FILE,
    SourceText,
    article_files,
    display_path,
    find_publication_file,
    load_yaml_record,
)
from bulletin.content.models import Issue, Publication
from bulletin.errors import ContentError, Problem
from bulletin.i18n import _

EXAMPLE_ARTICLE = "_example.md"
EXAMPLE_TEXT = """\
---
# 示例：复制本文件为 01.md、02.md……再改写（以 _ 开头的文件不印出）。
region: 上海                    # 地区：publication.yaml 中 regions 所列之一
title: 上海支持八个区域打造股权投资集聚区
source: 上海证券报              # 来源：消息出自的报刊，不写日期
date: {date}                  # 日期：写作 YYYY-MM-DD，不晚于印发日期；没有就留空
---
近日，上海市委金融办发布通知，支持浦东新区等八个区域打造股权投资集聚区。一段一行，段落之间空一行。

## 小标题（可选）

下一步，……
"""


@dataclass(frozen=True)
class IssueFile:
    """An issue.yaml read alone, to number issues: its folder, its record, each field's line."""

    issue_dir: Path
    issue: Issue
    line_of: dict[str, int]


def issues_in(content_dir: Path) -> list[IssueFile]:
    """Every folder with a valid issue.yaml, ordered by cumulative number."""
    found = []
    for folder in sorted(p for p in Path(content_dir).iterdir() if p.is_dir()):
        if not (folder / ISSUE_FILE).is_file():
            continue
        ignored: list[Problem] = []  # an invalid issue reports its own problems when checked
        sources: list[SourceText] = []
        issue = load_yaml_record(folder / ISSUE_FILE, Issue, ignored, sources)
        if issue is not None:
            lines = {key[0]: line for key, line in sources[0].lines.items() if len(key) == 1}
            found.append(IssueFile(folder, issue, lines))
    return sorted(found, key=lambda item: (item.issue.cumulative, item.issue_dir.name))


def follows(before: Issue, after: Issue) -> bool:
    """Whether `after` is numbered as the issue right after `before`."""
    if after.cumulative != before.cumulative + 1:
        return False
    if after.year == before.year:
        return after.number == before.number + 1
    return after.year == before.year + 1 and after.number == 1


def numbering_problems(issue_dir: Path) -> list[Problem]:
    """Gaps and repeats between this issue and its neighbours in the same content folder."""
    issue_dir = Path(issue_dir)
    issues = issues_in(issue_dir.parent)
    here = next((i for i in issues if i.issue_dir.resolve() == issue_dir.resolve()), None)
    if here is None:
        return []
    path = display_path(issue_dir / ISSUE_FILE)
    problems = []
    for other in issues:
        if other is here:
            continue
        name = display_path(other.issue_dir)
        if other.issue.cumulative == here.issue.cumulative:
            problems.append(
                Problem(
                    path,
                    here.line_of.get("cumulative"),
                    "cumulative",
                    _("总第 {cumulative} 期 is also {folder}").format(
                        cumulative=here.issue.cumulative, folder=name
                    ),
                )
            )
        if (other.issue.year, other.issue.number) == (here.issue.year, here.issue.number):
            problems.append(
                Problem(
                    path,
                    here.line_of.get("number"),
                    "number",
                    _("{year} 年第 {number} 期 is also {folder}").format(
                        year=here.issue.year, number=here.issue.number, folder=name
                    ),
                )
            )
    index = issues.index(here)
    before = issues[index - 1] if index > 0 else None
    if before is not None and before.issue.cumulative != here.issue.cumulative:
        if not follows(before.issue, here.issue):
            b = before.issue
            number = b.number + 1 if here.issue.year == b.year else 1
            problems.append(
                Problem(
                    path,
                    here.line_of.get("cumulative"),
                    "cumulative",
                    _(
                        "{year} 年第 {number} 期, 总第 {cumulative} 期 does not follow {folder} "
                        "({before_year} 年第 {before_number} 期, 总第 {before_cumulative} 期); "
                        "expected 第 {next_number} 期, 总第 {next_cumulative} 期"
                    ).format(
                        year=here.issue.year,
                        number=here.issue.number,
                        cumulative=here.issue.cumulative,
                        folder=display_path(before.issue_dir),
                        before_year=b.year,
                        before_number=b.number,
                        before_cumulative=b.cumulative,
                        next_number=number,
                        next_cumulative=b.cumulative + 1,
                    ),
                )
            )
        if here.issue.print_date <= before.issue.print_date:
            problems.append(
                Problem(
                    path,
                    here.line_of.get("print_date"),
                    "print_date",
                    _(
                        "{date} is not after {before_date}, the print date of {folder}; "
                        "check the date"
                    ).format(
                        date=here.issue.print_date,
                        before_date=before.issue.print_date,
                        folder=display_path(before.issue_dir),
                    ),
                )
            )
    return problems


def next_numbers(last: Issue, interval_days: int) -> Issue:
    """The issue after `last`: next number (1 in a new year), next cumulative number."""
    print_date = last.print_date + dt.timedelta(days=interval_days)
    number = last.number + 1 if print_date.year == last.year else 1
    return Issue(
        year=print_date.year,
        number=number,
        cumulative=last.cumulative + 1,
        print_date=print_date,
    )


def still_empty(issue_dir: Path) -> Problem:
    """The latest issue has no article: a second `new` would leave it empty behind."""
    example = issue_dir / ARTICLES_DIR / EXAMPLE_ARTICLE
    return Problem(
        display_path(issue_dir),
        None,
        "issue",
        _(
            "the latest issue has no articles yet, and a new issue would leave it empty; "
            "write its articles first (copy {example} to 01.md), or remove {issue} if it "
            "was started by mistake"
        ).format(example=display_path(example), issue=display_path(issue_dir)),
    )


def start_next_issue(content_dir: Path) -> Path:
    """Create the folder of the issue after the latest one, with an example article."""
    content_dir = Path(content_dir)
    publication_file = find_publication_file(content_dir / "_")
    problems: list[Problem] = []
    if not publication_file.is_file():
        raise ContentError(
            [
                Problem(
                    display_path(publication_file),
                    None,
                    "file",
                    _("missing; start a publication with `bulletin init {folder}`").format(
                        folder=display_path(content_dir)
                    ),
                )
            ]
        )
    publication = load_yaml_record(publication_file, Publication, problems, [])
    issues = issues_in(content_dir) if content_dir.is_dir() else []
    if not issues:
        problems.append(
            Problem(
                display_path(content_dir),
                None,
                "issues",
                _(
                    "no issue to follow; expected a folder with an issue.yaml "
                    "(import a back issue or write the first one)"
                ),
            )
        )
    if problems:
        raise ContentError(problems)
    if not article_files(issues[-1].issue_dir):
        raise ContentError([still_empty(issues[-1].issue_dir)])
    issue = next_numbers(issues[-1].issue, publication.interval_days)
    folder = content_dir / f"{issue.year}-{issue.number:02d}"
    if folder.exists():
        raise ContentError(
            [
                Problem(
                    display_path(folder),
                    None,
                    "issue",
                    _("already exists; not overwritten"),
                )
            ]
        )
    (folder / ARTICLES_DIR).mkdir(parents=True)
    example = EXAMPLE_TEXT.format(date=issue.print_date)
    write_atomically(folder / ARTICLES_DIR / EXAMPLE_ARTICLE, example)
    write_atomically(
        folder / ISSUE_FILE,
        f"year: {issue.year}\nnumber: {issue.number}\ncumulative: {issue.cumulative}\n"
        f"print_date: {issue.print_date.isoformat()}\n",
    )
    return folder
