"""A site's issues, articles and regions with their stable paths, read from a content folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bulletin.content.loader import (
    ISSUE_FILE,
    FromLoadedIssue,
    LoadedIssue,
    display_path,
    load_issue,
)
from bulletin.content.models import Article, Publication
from bulletin.content.numbering import issues_in
from bulletin.errors import BuildError, ContentError, Problem
from bulletin.i18n import _
from bulletin.render.html import labels
from bulletin.text.markdown import markdown_parser

# An issue lives at /YYYY-NN/ (year and number in the year, from issue.yaml), whatever its
# folder is called; an article at /YYYY-NN/SLUG/, SLUG being its file's name (see
# `url_segment`). The back-cover QR code opens the issue's page when the publication's
# e_edition_url is the site's address followed by E_EDITION_SUFFIX.
ISSUE_KEY = "{year}-{number:02d}"
E_EDITION_SUFFIX = ISSUE_KEY + "/"
# A name used in a URL as it is: letters (Chinese too) and digits, then also - and _.
PLAIN_NAME = re.compile(r"[^\W_][\w-]*")
DESCRIPTION_CHARS = 110
SUMMARY_CHARS = 60
# Issues are dated in China; feeds and sitemaps give the time zone.
CHINA_TIME = "+08:00"


def url_segment(name: str, prefix: str) -> str:
    """The URL segment of an article (its file's stem) or of a region (its name).

    A plain name is used as it is, lower-cased (01.md → 01, 03-hydrogen.md → 03-hydrogen,
    上海 → 上海): renaming the file moves the page, editing its title does not. Any other
    name (spaces, dots, slashes) becomes PREFIX-<10 hex digits of its SHA-256>.
    """
    if PLAIN_NAME.fullmatch(name):
        return name.lower()
    return f"{prefix}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:10]}"


def date_label(date: dt.date) -> str:
    return f"{date.year} 年 {date.month} 月 {date.day} 日"


def timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00{CHINA_TIME}"


@dataclass(eq=False)
class SiteRegion:
    """A region and its articles in every issue, newest issue first."""

    name: str
    slug: str
    articles: list[SiteArticle] = field(default_factory=list, repr=False)

    @property
    def folder(self) -> str:
        return f"regions/{self.slug}"

    @property
    def path(self) -> str:
        return f"regions/{quote(self.slug)}/"

    @property
    def years(self) -> list[tuple[int, list[SiteArticle]]]:
        return group_by_year(self.articles, lambda article: article.issue.issue.year)


@dataclass(eq=False)
class SiteArticle:
    """One article of one issue: its record, its page's segment and where it came from."""

    slug: str
    record: Article
    file: Path
    body_line: int
    tokens: list = field(repr=False)
    issue: SiteIssue = field(repr=False)
    region: SiteRegion = field(repr=False)

    @property
    def folder(self) -> str:
        return f"{self.issue.key}/{self.slug}"

    @property
    def path(self) -> str:
        return f"{self.issue.path}{quote(self.slug)}/"

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def date(self) -> str:
        """The source's date (YYYY-MM-DD), or "" for an article whose date: is left empty."""
        return self.record.date.isoformat() if self.record.date else ""

    @property
    def date_label(self) -> str:
        return date_label(self.record.date) if self.record.date else ""

    @property
    def description(self) -> str:
        return first_paragraph(self.tokens, DESCRIPTION_CHARS)

    @property
    def summary(self) -> str:
        """The start of the article, for lists on a phone screen."""
        return first_paragraph(self.tokens, SUMMARY_CHARS)


@dataclass(frozen=True)
class SitePdf:
    """An issue's PDF in the site: its file name beside the issue's page, and its size."""

    name: str
    size: int

    @property
    def size_label(self) -> str:
        if self.size >= 1_048_576:
            return f"{self.size / 1_048_576:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


@dataclass(eq=False)
class SiteIssue(FromLoadedIssue):
    """One issue: its records, labels, articles by region, neighbours and PDF."""

    key: str
    loaded: LoadedIssue = field(repr=False)
    labels: dict[str, str]
    articles: list[SiteArticle] = field(default_factory=list, repr=False)
    sections: list[tuple[SiteRegion, list[SiteArticle]]] = field(default_factory=list, repr=False)
    previous: SiteIssue | None = field(default=None, repr=False)
    next: SiteIssue | None = field(default=None, repr=False)
    pdf: SitePdf | None = None

    @property
    def path(self) -> str:
        return f"{self.key}/"

    @property
    def date(self) -> str:
        return self.issue.print_date.isoformat()

    @property
    def date_label(self) -> str:
        return date_label(self.issue.print_date)

    @property
    def updated(self) -> str:
        return timestamp(self.issue.print_date)

    @property
    def description(self) -> str:
        text = "；".join(article.title for article in self.articles)
        if len(text) > DESCRIPTION_CHARS:
            text = text[: DESCRIPTION_CHARS - 1] + "…"
        return f"{self.labels['title']}：{text}"


@dataclass(eq=False)
class Site:
    """Every issue (oldest first) and region of the site, and the address it is served from."""

    publication: Publication
    base_url: str
    issues: list[SiteIssue]
    regions: list[SiteRegion]

    @property
    def latest(self) -> SiteIssue:
        return self.issues[-1]

    @property
    def newest_first(self) -> list[SiteIssue]:
        return self.issues[::-1]

    @property
    def articles(self) -> list[SiteArticle]:
        return [article for issue in self.issues for article in issue.articles]

    @property
    def years(self) -> list[tuple[int, list[SiteIssue]]]:
        return group_by_year(self.newest_first, lambda issue: issue.issue.year)

    @property
    def updated(self) -> str:
        return self.latest.updated

    def url(self, path: str) -> str:
        """The absolute address of a site path (for feeds, sitemaps and sharing)."""
        return self.base_url + path


def group_by_year(items: list, year_of) -> list[tuple[int, list]]:
    groups: dict[int, list] = {}
    for item in items:
        groups.setdefault(year_of(item), []).append(item)
    return list(groups.items())


def first_paragraph(tokens: list, limit: int) -> str:
    """The text of an article's first paragraph (Markdown taken off), shortened to `limit`."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or tokens[index - 1].type != "paragraph_open":
            continue
        kinds = ("text", "code_inline")
        text = "".join(c.content for c in token.children or [] if c.type in kinds).strip()
        if text:
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def issue_folders(content_dir: Path) -> list[Path]:
    """Every issue folder of the content folder (one holding an issue.yaml), in issue order."""
    order = {item.issue_dir: index for index, item in enumerate(issues_in(content_dir))}
    found = [p for p in content_dir.iterdir() if p.is_dir() and (p / ISSUE_FILE).is_file()]
    # A folder missing from issues_in has an invalid issue.yaml: loading it says why.
    return sorted(found, key=lambda folder: (order.get(folder, -1), folder.name))


def load_site(
    content_dir: Path, load: Callable[[Path], LoadedIssue] = load_issue
) -> tuple[list[LoadedIssue], Publication]:
    """Load and validate every issue with `load` (the site operation checks each as `build`
    does); every problem of every issue is reported at once."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise BuildError(
            display_path(content_dir),
            "content",
            _("not a folder; expected the content folder holding publication.yaml"),
        )
    root = content_dir.resolve()
    problems: list[Problem] = []
    loaded: list[LoadedIssue] = []
    for folder in issue_folders(content_dir):
        if not folder.resolve().is_relative_to(root):
            message = _("links outside the content folder; expected the issue inside it")
            problems.append(Problem(display_path(folder), None, "issue", message))
            continue
        try:
            loaded.append(load(folder))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    if not loaded:
        message = _("no issues here; expected folders holding an issue.yaml (e.g. 2024-08/)")
        raise BuildError(display_path(content_dir), "issues", message)
    return loaded, loaded[-1].content.publication


def plan_site(loaded: list[LoadedIssue], base_url: str) -> Site:
    """Give every issue, article and region its path; refuse two of them at one address."""
    publication = loaded[-1].content.publication
    regions = {name: SiteRegion(name, url_segment(name, "region")) for name in publication.regions}
    problems: list[Problem] = []
    issues: dict[str, SiteIssue] = {}
    for item in loaded:
        issue = item.content.issue
        key = ISSUE_KEY.format(year=issue.year, number=issue.number)
        if key in issues:
            other = display_path(issues[key].issue_dir)
            message = _("{year} 年第 {number} 期 is also {folder} (both would be /{key}/)").format(
                year=issue.year, number=issue.number, folder=other, key=key
            )
            problems.append(
                Problem(display_path(item.issue_dir / ISSUE_FILE), None, "number", message)
            )
            continue
        issues[key] = site_issue = SiteIssue(key, item, labels(item.content))
        problems += add_articles(site_issue, regions)
    problems += same_slugs(list(regions.values()), "region", lambda r: r.name)
    if problems:
        raise ContentError(problems)
    ordered = list(issues.values())
    for before, after in itertools.pairwise(ordered):
        before.next, after.previous = after, before
    for region in regions.values():
        region.articles = [
            a for issue in ordered[::-1] for a in issue.articles if a.region is region
        ]
    used = [region for region in regions.values() if region.articles]
    return Site(publication, base_url, ordered, used)


def add_articles(issue: SiteIssue, regions: dict[str, SiteRegion]) -> list[Problem]:
    parser = markdown_parser()
    for record, source in zip(issue.content.articles, issue.loaded.article_sources, strict=True):
        if record.region not in regions:
            regions[record.region] = SiteRegion(record.region, url_segment(record.region, "region"))
        issue.articles.append(
            SiteArticle(
                slug=url_segment(source.path.stem, "article"),
                record=record,
                file=source.path,
                body_line=source.lines[("body",)],
                tokens=parser.parse(record.body),
                issue=issue,
                region=regions[record.region],
            )
        )
    for region, records in issue.content.sections:
        chosen = [a for r in records for a in issue.articles if a.record is r]
        issue.sections.append((regions[region], chosen))
    return same_slugs(issue.articles, "file", lambda a: display_path(a.file))


def same_slugs(items: list, field_name: str, name_of) -> list[Problem]:
    """Two articles of an issue, or two regions, whose names give the same URL segment."""
    problems, seen = [], {}
    for item in items:
        if item.slug in seen:
            first = name_of(seen[item.slug])
            message = _("has the same address as {other} ({slug}); rename one of them").format(
                other=first, slug=item.slug
            )
            problems.append(Problem(name_of(item), None, field_name, message))
        seen.setdefault(item.slug, item)
    return problems


def qr_warnings(site: Site) -> list[str]:
    """Issues whose back-cover QR code does not open their page in this site."""
    warnings, seen = [], set()
    for issue in site.issues:
        wanted = site.url(issue.path)
        pattern = issue.content.publication.e_edition_url
        if issue.content.e_edition_url == wanted or pattern in seen:
            continue
        seen.add(pattern)
        where = display_path(issue.loaded.sources[0].path)
        warnings.append(
            f"{where}: e_edition_url: "
            + _(
                "the back-cover QR code of {issue} opens {address}, not its page in this site "
                "{wanted}; set e_edition_url: {fix}"
            ).format(
                issue=issue.key,
                address=issue.content.e_edition_url,
                wanted=wanted,
                fix=f"{site.base_url}{E_EDITION_SUFFIX}",
            )
        )
    return warnings
