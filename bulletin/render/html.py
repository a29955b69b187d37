"""Validated records + a layout folder → one HTML document (Jinja2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from bulletin.version import __version__

from ..content.models import IssueContent
from ..errors import LayoutError
from ..i18n import _
from .layouts import ENTRY_TEMPLATE, WEB_TEMPLATE, environment, find_layout
from .markdown import article_body_html, data_url
from .qr import qr_code

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
    try:
        name = WEB_TEMPLATE if mode == "web" else ENTRY_TEMPLATE
        template = environment(folder).get_template(name)
        anchors = {id(a): f"article-{n:02d}" for n, a in enumerate(content.articles, 1)}
        bodies = {
            id(article): jinja2.utils.markupsafe.Markup(
                article_body_html(article, issue_dir, image_src=image_src)
            )
            for article in content.articles
        }
        html = template.render(
            content=content,
            publication=content.publication,
            issue=content.issue,
            sections=content.sections,
            editors=content.editors,
            labels=labels(content),
            anchor=lambda article: anchors[id(article)],
            body_html=lambda article: bodies[id(article)],
            # What the articles use, so that a layout loads a face only when it is set.
            uses={"emphasis": any("<em>" in body for body in bodies.values())},
            wechat_qr=qr_code(content.publication.wechat_url),
            e_edition_qr=qr_code(content.e_edition_url),
            output=mode,  # the layout's templates call it `output`
            e_edition_url=content.e_edition_url,
            generator=f"bulletin {__version__}",
        )
    except jinja2.TemplateError as error:
        where = getattr(error, "filename", None) or ENTRY_TEMPLATE
        line = getattr(error, "lineno", None)
        raise LayoutError(where, "template", str(error), line=line) from None
    except (ArithmeticError, RecursionError, MemoryError, ValueError, TypeError) as error:
        # A template that computes too much (a huge range, endless recursion): the layout's
        # fault, said in one line, never an internal error.
        message = _("failed: {kind}: {reason}").format(kind=type(error).__name__, reason=error)
        raise LayoutError(folder / name, "template", message) from None
    return RenderedIssue(html=html, base_url=folder, layout_dir=folder)
