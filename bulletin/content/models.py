"""Pydantic records of a publication and one issue; field and cross-record rules, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from bulletin.content.careless import date_suggestion
from bulletin.content.characters import blank
from bulletin.content.regions import (
    allowed_regions,
    listed_region_problem,
    region_and_title,
    section_order,
    unknown_region_message,
)
from bulletin.i18n import N_, _

# fmt: off
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December"))
# fmt: on


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic would otherwise read 20240416 as seconds since 1970."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(
            _("expected a date written YYYY-MM-DD, got {value}").format(value=repr(value))
            + date_suggestion(text)
        )
    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        raise ValueError(_("there is no year {year}; check the date").format(year=year))
    if not 1 <= month <= 12:
        raise ValueError(
            _("there is no month {month}; check the date (written YYYY-MM-DD)").format(month=month)
        )
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            _("there is no {day} {month} {year}; check the date").format(
                day=day, month=_(MONTHS[month - 1]), year=year
            )
        ) from None
    return text


def _seen(value: str) -> str:
    """Empty is empty after the invisible characters too (a title of zero-width spaces)."""
    if value and blank(value):
        raise ValueError(_("must not be empty (it holds only invisible characters)"))
    return value


# Budgets for text fields: one printed line (names, captions, sources), an address that
# still fits a QR code, and a list of names that still fits the cover.
MAX_LINE_CHARS = 200
MAX_URL_CHARS = 500
MAX_LIST_ITEMS = 50
MAX_SLUG_CHARS = 40
MAX_CUMULATIVE = 999_999
URL_FIELDS = ("wechat_url", "e_edition_url")
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LINE_CHARS),
    AfterValidator(_seen),
]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_URL_CHARS)
]
IsoDate = Annotated[dt.date, BeforeValidator(lambda v: _iso_date(v))]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^[0-9+()\- ]{5,}$")
]


PLACEHOLDERS = ("year", "number", "cumulative", "slug")
_ZERO_PADDING = re.compile(r"(0[1-9])?d?")


def url_template(value: str) -> str:
    """An address with placeholders: only {year} {number} {cumulative} {slug}, zero padding.

    Checked before anything is formatted: a format such as {number:>100000000} would
    otherwise build a gigabyte of padding.
    """
    known = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS))
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(value)]
    except ValueError:
        raise ValueError(
            _(
                'a brace "{{" or "}}" without its partner; placeholders are written like '
                "{{year}} (type {{{{ or }}}} for a brace itself)"
            ).format()
        ) from None
    for name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise ValueError(
                _("unknown placeholder {placeholder}; expected one of {known}").format(
                    placeholder="{" + name + "}", known=known
                )
            )
        written = "{" + name + (f"!{conversion}" if conversion else "") + f":{spec}" * bool(spec)
        if name == "slug" and (spec or conversion):
            raise ValueError(
                _("{written}: write {{slug}}, with nothing after the name").format(
                    written=written + "}"
                )
            )
        if conversion or not _ZERO_PADDING.fullmatch(spec or ""):
            raise ValueError(
                _("{written}: only zero padding may follow the name, as in {example}").format(
                    written=written + "}", example="{" + name + ":02d}"
                )
            )
    longest = value.format(
        year=2999, number=99, cumulative=MAX_CUMULATIVE, slug="x" * MAX_SLUG_CHARS
    )
    if len(longest) > MAX_URL_CHARS:
        raise ValueError(
            _(
                "the address can grow to {length} characters once the placeholders are "
                "filled in; expected at most {limit}"
            ).format(length=len(longest), limit=MAX_URL_CHARS)
        )
    return value


class Record(BaseModel):
    """Strict record: unknown keys are errors, so a typo never silently drops a value."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Publication(Record):
    """What stays the same from issue to issue: masthead, sponsors, contacts, regions."""

    name: Line
    subtitle: Line
    short_name: Line
    slug: Annotated[
        str, StringConstraints(max_length=MAX_SLUG_CHARS, pattern=r"^[a-z0-9][a-z0-9-]*$")
    ] = "bri"
    wechat_label: Line
    wechat_url: Url
    e_edition_url: Url
    sponsors: list[Line] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    editors: list[Line] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    coordinators: list[Line] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    phone: Phone
    fax: Phone | None = None
    regions: list[Line] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    slogan: Line
    back_cover_caption: Line
    layout: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")] = "default"
    # Days from one issue's print date to the next one's, for `bulletin new`.
    interval_days: int = Field(default=14, gt=0, le=366)

    @field_validator("wechat_url", "e_edition_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(_("expected an http:// or https:// address"))
        return value

    @field_validator("e_edition_url")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return url_template(value)

    @field_validator("regions")
    @classmethod
    def _unique_regions(cls, regions: list[str]) -> list[str]:
        return _checked_regions(regions)


def _checked_regions(regions: list[str]) -> list[str]:
    """A regions: list names each region once, and a known region the known way."""
    seen = set()
    for region in regions:
        if region in seen:
            raise ValueError(_("region {region} is listed twice").format(region=region))
        if problem := listed_region_problem(region):
            raise ValueError(problem)
        seen.add(region)
    return regions


class Issue(Record):
    """Numbering and date of one issue; `regions` is its section order as printed."""

    year: int = Field(ge=1900, le=2999)
    number: int = Field(gt=0, le=99)
    cumulative: int = Field(gt=0, le=MAX_CUMULATIVE)
    print_date: IsoDate
    editors: list[Line] | None = Field(default=None, max_length=MAX_LIST_ITEMS)
    regions: list[Line] | None = Field(default=None, max_length=MAX_LIST_ITEMS)

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

    region: Line
    title: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS),
        AfterValidator(_seen),
    ]
    source: Line
    # Required, but may be left empty (null) when the source gives no date: it prints without.
    date: IsoDate | None
    body: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS),
        AfterValidator(_seen),
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
        expected = _("expected a date in {year}, the issue's year").format(year=issue.year)
        problems.append((None, "print_date", expected))
    first_with_title: dict[str, int] = {}
    allowed = allowed_regions(
        publication.regions if publication is not None else None,
        issue.regions if issue is not None else None,
    )
    for index, article in enumerate(articles):
        if article.region not in allowed:
            problems.append((index, "region", unknown_region_message(article.region, allowed)))
        if marked := region_and_title(article.title, allowed):
            message = _(
                "the title starts with a region marker, and the section heading prints the "
                "region already; write region: {region} and title: {title}"
            ).format(region=marked[0], title=marked[1])
            problems.append((index, "title", message))
        if issue is not None and article.date is not None and article.date > issue.print_date:
            problems.append(
                (
                    index,
                    "date",
                    _("source date {date} is after the print date {print_date}").format(
                        date=article.date, print_date=issue.print_date
                    ),
                )
            )
        if article.title in first_with_title:
            original = names[first_with_title[article.title]]
            message = _("duplicate article: same title as {file}").format(file=original)
            problems.append((index, "title", message))
        else:
            first_with_title[article.title] = index
    return problems
