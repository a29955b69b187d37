"""Validated records + a layout folder → one HTML document (Jinja2)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from markupsafe import Markup

from bulletin.version import __version__

from ..content.models import IssueContent
from .layouts import ENTRY_TEMPLATE, WEB_TEMPLATE, environment, find_layout
from .markdown import article_body_html, data_url
from .qr import qr_code
from .sandbox import TemplateFunction, not_given, render_template

# What the layout is asked to make: the office or archive PDF (RGB), the press PDF (CMYK
# colours, bleed), or the web edition (its own template). Output kinds name one of these.
RENDER_MODES = ("office", "press", "archive", "web")


@dataclass(frozen=True)
class RenderedIssue:
    """The HTML of an issue and the folder its relative URLs resolve against."""

    html: str
    base_url: Path
    layout_dir: Path


def labels(content: IssueContent) -> dict[str, str]:
    issue = content.issue
    return {
        "issue": f"{issue.year} 年第 {issue.number} 期",
        "cumulative": f"（总第 {issue.cumulative} 期）",
        "print_date": f"{issue.print_date.month} 月 {issue.print_date.day} 日印发",
        "title": (
            f"{content.publication.name} {issue.year} 年第 {issue.number} 期"
            f"（总第 {issue.cumulative} 期）"
        ),
    }


def content_data(content: IssueContent) -> tuple[dict[str, object], dict[int, dict]]:
    """The issue as plain data: its records' fields and the values computed from them
    (sections, editors, e_edition_url, stem); and each article's data by its record's id."""
    articles = [article.model_dump(mode="python") for article in content.articles]
    by_record = {id(record): data for record, data in zip(content.articles, articles, strict=True)}
    data = {
        "publication": content.publication.model_dump(mode="python"),
        "issue": content.issue.model_dump(mode="python"),
        "articles": articles,
        "sections": [
            (region, [by_record[id(record)] for record in records])
            for region, records in content.sections
        ],
        "editors": list(content.editors),
        "e_edition_url": content.e_edition_url,
        "stem": content.stem,
    }
    return data, by_record


def issue_values(content: IssueContent, mode: str, bodies: list[str]) -> dict[str, object]:
    """What the issue's templates receive (docs/layouts.md): plain data, never the records.

    Mappings of the fields, lists, text, numbers and dates, each article once (so that
    `anchor(article)` knows it wherever the template found it), the QR codes as mappings,
    and the article bodies as Markup, already rendered.
    """
    data, _by_record = content_data(content)
    articles, publication, issue = data["articles"], data["publication"], data["issue"]
    sections, editors = data["sections"], data["editors"]
    anchors = {id(a): f"article-{n:02d}" for n, a in enumerate(articles, 1)}
    html = {id(a): Markup(body) for a, body in zip(articles, bodies, strict=True)}
    return {
        "content": data,
        "publication": publication,
        "issue": issue,
        "sections": sections,
        "editors": editors,
        "labels": labels(content),
        "anchor": TemplateFunction("anchor", of_article("anchor", anchors)),
        "body_html": TemplateFunction("body_html", of_article("body_html", html)),
        # What the articles use, so that a layout loads a face only when it is set.
        "uses": {"emphasis": any("<em>" in body for body in bodies)},
        "wechat_qr": asdict(qr_code(content.publication.wechat_url)),
        "e_edition_qr": asdict(qr_code(content.e_edition_url)),
        "output": mode,  # the layout's templates call it `output`
        "e_edition_url": content.e_edition_url,
        "generator": f"bulletin {__version__}",
    }


def of_article(name: str, values: dict[int, object]):
    """A function of an article the template was given: its value, else a clear refusal."""

    def value_of(article: object) -> object:
        try:
            return values[id(article)]
        except KeyError:
            raise not_given(name) from None

    return value_of


def render_issue(
    content: IssueContent,
    layout: str | None = None,
    mode: str = "office",
    issue_dir: Path | None = None,
    content_dir: Path | None = None,
) -> RenderedIssue:
    """Render the whole issue (covers, contents, articles) to HTML with the chosen layout.

    `mode` is one of RENDER_MODES. A layout is looked for as a folder the user named,
    then under `content_dir`/layouts/, then among the bundled ones.
    """
    if mode not in RENDER_MODES:
        raise ValueError(f"unknown render mode {mode!r}")
    folder = find_layout(layout or content.publication.layout, content_dir)
    # The e-edition is one page: its pictures travel inside it.
    image_src = data_url if mode == "web" else Path.as_uri
    bodies = [
        article_body_html(article, issue_dir, image_src=image_src) for article in content.articles
    ]
    name = WEB_TEMPLATE if mode == "web" else ENTRY_TEMPLATE
    values = issue_values(content, mode, bodies)
    html = render_template(
        environment(folder), name, values, allowance=2 * sum(len(body) for body in bodies)
    )
    return RenderedIssue(html=html, base_url=folder, layout_dir=folder)
