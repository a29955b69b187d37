"""Validated records + a layout folder → one HTML document (Jinja2); never imports WeasyPrint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import segno
from markdown_it.token import Token

from . import __version__
from .errors import LayoutError
from .markdown import markdown_parser
from .models import Article, IssueContent
from .resources import resolve
from .typography import keep_paragraph_tails

LAYOUTS_DIR = Path(__file__).resolve().parent.parent / "layouts"
ENTRY_TEMPLATE = "issue.html.j2"
SUBHEAD_TAG = "h4"

# Han ideographs and CJK punctuation: a line break between two of them is not a space.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u201c-\u201d]")


@dataclass(frozen=True)
class RenderedIssue:
    """The HTML of an issue and the folder its relative URLs resolve against."""

    html: str
    base_url: Path
    layout_dir: Path


def layout_dir(name: str) -> Path:
    folder = LAYOUTS_DIR / name
    if not (folder / ENTRY_TEMPLATE).is_file():
        known = ", ".join(sorted(p.name for p in LAYOUTS_DIR.iterdir() if p.is_dir()))
        raise LayoutError(
            f"layouts/{name}: layout: no {ENTRY_TEMPLATE}; expected one of the layouts: {known}"
        )
    return folder


@cache
def environment(folder: Path) -> jinja2.Environment:
    """The one Jinja environment per layout: autoescaped, and a typo in a template fails."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["compact_date"] = lambda d: d.strftime("%Y%m%d")
    return env


def _join_cjk_soft_breaks(tokens: list[Token]) -> None:
    """A line break inside a Chinese paragraph is not a space: drop it between CJK text."""
    for block in tokens:
        children = block.children or []
        for index, token in enumerate(children):
            if token.type != "softbreak":
                continue
            before = children[index - 1].content[-1:] if index > 0 else ""
            after = children[index + 1].content[:1] if index + 1 < len(children) else ""
            if _CJK.match(before or " ") or _CJK.match(after or " "):
                token.type, token.tag, token.content = "text", "", ""


def _demote_headings(tokens: list[Token]) -> None:
    """Headings inside an article are its subheads, whatever level the editor typed."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = SUBHEAD_TAG
            if token.type == "heading_open":
                token.attrSet("class", "subhead")


def _locate_images(tokens: list[Token], issue_dir: Path | None) -> None:
    """Images are named relative to the issue folder; give the engine their full address."""
    for block in tokens:
        for child in block.children or []:
            if child.type != "image" or issue_dir is None:
                continue
            path, _ = resolve(child.attrGet("src") or "", issue_dir)
            if path is not None:
                child.attrSet("src", path.as_uri())


def article_body_html(article: Article, issue_dir: Path | None = None) -> str:
    parser = markdown_parser()
    tokens = parser.parse(article.body)
    _join_cjk_soft_breaks(tokens)
    _demote_headings(tokens)
    _locate_images(tokens, issue_dir)
    keep_paragraph_tails(tokens)
    return parser.renderer.render(tokens, parser.options, {})


@dataclass(frozen=True)
class QRCode:
    """A QR code as vector data for the layout to draw: modules per side and a path."""

    size: int
    path: str


def qr_code(data: str) -> QRCode:
    """Medium error correction survives print wear; each row of dark modules is one stroke."""
    code = segno.make(data, error="m", micro=False)
    strokes = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                strokes.append(f"M{start} {y + 0.5}h{x - start}")
            else:
                x += 1
    return QRCode(size=code.symbol_size(border=0)[0], path="".join(strokes))


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


OUTPUTS = ("office", "press", "archive", "web")
WEB_TEMPLATE = "web.html.j2"


def render_issue(
    content: IssueContent,
    layout: str | None = None,
    output: str = "office",
    issue_dir: Path | None = None,
) -> RenderedIssue:
    """Render the whole issue (covers, contents, articles) to HTML with the chosen layout.

    `output` tells the layout which file it is making: the office or archive PDF (RGB),
    the press PDF (CMYK colours, bleed), or the web edition (its own template).
    """
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}")
    folder = layout_dir(layout or content.publication.layout)
    try:
        name = WEB_TEMPLATE if output == "web" else ENTRY_TEMPLATE
        template = environment(folder).get_template(name)
        anchors = {id(a): f"article-{n:02d}" for n, a in enumerate(content.articles, 1)}
        html = template.render(
            content=content,
            publication=content.publication,
            issue=content.issue,
            sections=content.sections,
            editors=content.editors,
            labels=labels(content),
            anchor=lambda article: anchors[id(article)],
            body_html=lambda article: jinja2.utils.markupsafe.Markup(
                article_body_html(article, issue_dir)
            ),
            wechat_qr=qr_code(content.publication.wechat_url),
            e_edition_qr=qr_code(content.e_edition_url),
            output=output,
            e_edition_url=content.e_edition_url,
            generator=f"bulletin {__version__}",
        )
    except jinja2.TemplateError as error:
        where = getattr(error, "filename", None) or ENTRY_TEMPLATE
        line = getattr(error, "lineno", None)
        location = f"{where}:{line}" if line else where
        raise LayoutError(f"{location}: template: {error}") from None
    return RenderedIssue(html=html, base_url=folder, layout_dir=folder)
