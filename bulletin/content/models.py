"""Pydantic records of a publication and one issue; field and cross-record rules, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from .regions import (
    allowed_regions,
    listed_region_problem,
    section_order,
    unknown_region_message,
)


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic would otherwise read 20240416 as seconds since 1970."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")
    return value.strip() if isinstance(value, str) else value


NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
IsoDate = Annotated[dt.date, BeforeValidator(lambda v: _iso_date(v))]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+()\- ]{5,}$")]


class Record(BaseModel):
    """Strict record: unknown keys are errors, so a typo never silently drops a value."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Publication(Record):
    """What stays the same from issue to issue: masthead, sponsors, contacts, regions."""

    name: NonEmptyText
    subtitle: NonEmptyText
    short_name: NonEmptyText
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")] = "bri"
    wechat_label: NonEmptyText
    wechat_url: NonEmptyText
    e_edition_url: NonEmptyText
    sponsors: list[NonEmptyText] = Field(min_length=1)
    editors: list[NonEmptyText] = Field(min_length=1)
    coordinators: list[NonEmptyText] = Field(default_factory=list)
    phone: Phone
    fax: Phone | None = None
    regions: list[NonEmptyText] = Field(min_length=1)
    slogan: NonEmptyText
    back_cover_caption: NonEmptyText
    layout: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")] = "default"
    # Days from one issue's print date to the next one's, for `bulletin new`.
    interval_days: int = Field(default=14, gt=0, le=366)

    @field_validator("wechat_url", "e_edition_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("expected an http:// or https:// address")
        return value

    @field_validator("e_edition_url")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        allowed = {"year", "number", "cumulative", "slug"}
        for _, name, _, _ in string.Formatter().parse(value):
            if name is not None and name not in allowed:
                raise ValueError(
                    f"unknown placeholder {{{name}}}; expected one of "
                    + ", ".join(f"{{{a}}}" for a in sorted(allowed))
                )
        try:
            value.format(year=2024, number=8, cumulative=282, slug="x")
        except (ValueError, IndexError) as error:
            raise ValueError(f"not a valid address pattern ({error})") from None
        return value

    @field_validator("regions")
    @classmethod
    def _unique_regions(cls, regions: list[str]) -> list[str]:
        return _checked_regions(regions)


def _checked_regions(regions: list[str]) -> list[str]:
    """A regions: list names each region once, and a known region the known way."""
    seen = set()
    for region in regions:
        if region in seen:
            raise ValueError(f"region {region} is listed twice")
        if problem := listed_region_problem(region):
            raise ValueError(problem)
        seen.add(region)
    return regions


class Issue(Record):
    """Numbering and date of one issue; `regions` is its section order as printed."""

    year: int = Field(ge=1900, le=2999)
    number: int = Field(gt=0, le=99)
    cumulative: int = Field(gt=0)
    print_date: IsoDate
    editors: list[NonEmptyText] | None = None
    regions: list[NonEmptyText] | None = None

    @field_validator("regions")
    @classmethod
    def _unique_regions(cls, regions: list[str] | None) -> list[str] | None:
        return None if regions is None else _checked_regions(regions)


# Far more than any bulletin article (the longest in the sample has 1,600 characters), and
# small enough that a paste gone wrong is caught before it becomes a hundred pages.
MAX_BODY_CHARS = 100_000
MAX_TITLE_CHARS = 200


class Article(Record):
    """One news item: where it belongs, its title, its source and its Markdown body."""

    region: NonEmptyText
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS)
    ]
    source: NonEmptyText
    date: IsoDate
    body: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)
    ]


class IssueContent(BaseModel):
    """A whole validated issue, ready to render."""

    model_config = ConfigDict(frozen=True)

    publication: Publication
    issue: Issue
    articles: tuple[Article, ...]

    @property
    def sections(self) -> list[tuple[str, list[Article]]]:
        """Articles grouped by region: in the issue's own region order (as printed) when
        issue.yaml has one, else the publication's; regions neither lists follow in the order
        the articles first use them."""
        listed = self.issue.regions if self.issue.regions is not None else self.publication.regions
        order = section_order(listed, (a.region for a in self.articles))
        grouped = [(region, [a for a in self.articles if a.region == region]) for region in order]
        return [(region, items) for region, items in grouped if items]

    @property
    def editors(self) -> list[str]:
        return list(self.issue.editors or self.publication.editors)

    @property
    def e_edition_url(self) -> str:
        return self.publication.e_edition_url.format(
            year=self.issue.year,
            number=self.issue.number,
            cumulative=self.issue.cumulative,
            slug=self.publication.slug,
        )

    @property
    def stem(self) -> str:
        """Stable file name: slug, year, number in the year and cumulative number."""
        i = self.issue
        return f"{self.publication.slug}-{i.year}-{i.number:02d}-{i.cumulative}"


def cross_record_problems(
    publication: Publication | None,
    issue: Issue | None,
    articles: list[Article],
    names: list[str],
) -> list[tuple[int | None, str, str]]:
    """Rules between records, as (article index or None for the issue, field, message).

    Each rule runs whenever the records it needs are valid, so one broken file does not hide
    the problems of the others. `names` are how the user knows each article (its file).
    """
    problems: list[tuple[int | None, str, str]] = []
    if issue is not None and issue.print_date.year != issue.year:
        problems.append((None, "print_date", f"expected a date in {issue.year}, the issue's year"))
    first_with_title: dict[str, int] = {}
    allowed = allowed_regions(
        publication.regions if publication is not None else None,
        issue.regions if issue is not None else None,
    )
    for index, article in enumerate(articles):
        if article.region not in allowed:
            problems.append((index, "region", unknown_region_message(article.region, allowed)))
        if issue is not None and article.date > issue.print_date:
            problems.append(
                (
                    index,
                    "date",
                    f"source date {article.date} is after the print date {issue.print_date}",
                )
            )
        if article.title in first_with_title:
            original = names[first_with_title[article.title]]
            problems.append((index, "title", f"duplicate article: same title as {original}"))
        else:
            first_with_title[article.title] = index
    return problems
