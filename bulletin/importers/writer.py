"""The one writer of content files for every importer: YAML, article files and safe Markdown."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..atomic import write_atomically
from ..content.loader import ARTICLES_DIR
from ..content.models import Issue
from ..errors import ImportFormatError, Problem
from ..i18n import _
from .records import ImportedArticle, ImportedIssue

# Markdown would act on these anywhere in a line; a backslash makes them print as typed.
MARKDOWN_SPECIALS = frozenset("\\`*_[]<>&~|")
# These start a heading, list, setext underline or thematic break only at the start of a line.
LINE_START_SPECIALS = frozenset("#+-=")
# "1. " or "1) " (CommonMark allows up to 9 digits) starts an ordered list; "11098.5" does not.
ORDERED_LIST_NUMBER = re.compile(r"\d{1,9}(?=[.)](?:[ \t]|$))")
YAML_NO_WRAP = 1_000_000
PLACEHOLDER_COMMENT = "# Placeholder: not in the back issue's text; replace it."
PATTERN_COMMENT = "# {year} and {number:02d} are filled in per issue."
REGIONS_COMMENT = "# The sections in the order this issue printed them."

# --- writing the content folder ----------------------------------------------------------------


def write_issue(
    imported: ImportedIssue, out_dir: Path, *, publication_path: Path | None = None
) -> list[Path]:
    """Write issue.yaml and articles/NN.md (and the publication file when it does not exist yet).

    The issue is written into a temporary folder beside `out_dir` and renamed into place,
    so an interrupted import leaves nothing behind and can simply be run again. Returns the
    written paths."""
    out_dir = Path(out_dir)
    refuse_existing_issue(out_dir)
    written = []
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        if publication_path is not None and not Path(publication_path).exists():
            # First: the issue folder is the last thing to appear, and a retry keeps this.
            publication_path = Path(publication_path)
            publication_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(publication_path, publication_yaml(imported))
            written.append(publication_path)
        texts = [article_markdown(article) for article in imported.articles]
        with staging(out_dir.parent, out_dir.name) as stage:
            names = write_articles(stage / ARTICLES_DIR, texts)
            # Named issue.yaml only at the end: a folder left by a killed import is no issue.
            (stage / ".issue.yaml").write_text(issue_yaml(imported.issue), encoding="utf-8")
            with signals_held():
                os.replace(stage / ".issue.yaml", stage / "issue.yaml")
                if not out_dir.is_dir():
                    os.replace(stage, out_dir)
                for child in stage.iterdir() if stage.is_dir() else ():
                    target = out_dir / child.name
                    if target.is_dir():
                        target.rmdir()  # empty: refuse_existing_issue checked
                    os.replace(child, target)
        written = [out_dir / ARTICLES_DIR / p.name for p in names] + [
            out_dir / "issue.yaml",
            *written,
        ]
    except OSError as error:
        where = error.filename or out_dir
        reason = error.strerror or str(error)
        problem = Problem(
            str(where), None, "file", _("cannot write: {reason}").format(reason=reason)
        )
        raise ImportFormatError([problem]) from error
    return written


def refuse_existing_issue(out_dir: Path) -> None:
    """An import never overwrites an issue that is already there."""
    issue_path = out_dir / "issue.yaml"
    articles_dir = out_dir / "articles"
    taken = []
    if issue_path.is_dir() or (issue_path.is_file() and issue_path.stat().st_size > 0):
        taken.append(issue_path)
    if articles_dir.is_file() or (articles_dir.is_dir() and any(articles_dir.iterdir())):
        taken.append(articles_dir)
    if taken:
        raise ImportFormatError(
            [
                Problem(
                    str(path),
                    None,
                    "out_dir",
                    _(
                        "already exists and is not empty: refusing to overwrite an issue; "
                        "import into a new folder"
                    ),
                )
                for path in taken
            ]
        )


STAGING_PREFIX = ".import-"


@contextlib.contextmanager
def staging(parent: Path, name: str) -> Iterator[Path]:
    """A temporary folder in `parent` for an import to write into; removed afterwards unless
    it was renamed into place. Leftovers of an earlier, killed import are removed first."""
    for stale in parent.glob(f"{STAGING_PREFIX}{name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{name}-", dir=parent))
    os.chmod(stage, 0o755)  # mkdtemp makes it private; an issue folder is shared
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the few renames that put an import in place are done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def dump_yaml(values: dict) -> str:
    """Block YAML, Chinese as is, keys in the given order, no line wrapped."""
    return yaml.safe_dump(
        values,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=YAML_NO_WRAP,
    )


def issue_yaml(issue: Issue) -> str:
    """The issue's numbers, and its sections in the order the back issue printed them."""
    numbers = dump_yaml(
        {
            "year": issue.year,
            "number": issue.number,
            "cumulative": issue.cumulative,
            "print_date": issue.print_date,
        }
    )
    listed = yaml.safe_dump(
        {"regions": issue.regions}, allow_unicode=True, default_flow_style=None, width=YAML_NO_WRAP
    )
    return f"{numbers}{REGIONS_COMMENT}\n{listed}"


def article_file(
    region: str, title: str, source: str, date: datetime.date | None, blocks: list[str]
) -> str:
    """An article file: front matter, then its Markdown blocks one blank line apart."""
    front = dump_yaml({"region": region, "title": title, "source": source, "date": date})
    body = "\n\n".join(blocks)
    return f"---\n{front}---\n{body}\n"


def article_markdown(article: ImportedArticle) -> str:
    blocks = [markdown_block(kind, text) for kind, text in article.blocks]
    return article_file(article.region, article.title, article.source, article.date, blocks)


def markdown_block(kind: str, text: str) -> str:
    return heading_markdown(text) if kind == "h" else paragraph_markdown(text)


def escape_inline(text: str) -> str:
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIALS else c for c in text)


def line_start_safe(markdown: str) -> str:
    """Escape what would make a paragraph of Markdown a heading, list or quote."""
    if markdown[:1] in LINE_START_SPECIALS:
        return "\\" + markdown
    if number := ORDERED_LIST_NUMBER.match(markdown):
        return markdown[: number.end()] + "\\" + markdown[number.end() :]
    return markdown


def paragraph_markdown(text: str) -> str:
    """One paragraph on one line, every character printing as typed."""
    return line_start_safe(escape_inline(text))


def write_articles(folder: Path, texts: list[str]) -> list[Path]:
    """articles/01.md, 02.md, … in order, each written whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for order, text in enumerate(texts, 1):
        written.append(write_atomically(folder / f"{order:02d}.md", text))
    return written


def heading_markdown(text: str) -> str:
    escaped = escape_inline(text)
    if escaped.endswith("#"):
        # A trailing run of # would be taken as the heading's optional closing sequence.
        escaped = escaped[:-1] + "\\#"
    return f"## {escaped}"


def publication_yaml(imported: ImportedIssue) -> str:
    """The publication file, with comments on the two addresses the text does not contain."""
    publication = imported.publication
    short = str(publication.get("short_name") or "")
    folder = short.lower() if short.isascii() and short.isalnum() else "bulletin"
    masthead = ("name", "subtitle", "short_name", "wechat_label")
    contacts = ("sponsors", "editors", "coordinators", "phone", "fax")
    layout = ("regions", "slogan", "back_cover_caption")
    parts = [
        "# What stays the same from issue to issue, as printed in a back issue.\n",
        dump_yaml({key: publication[key] for key in masthead}),
        f"{PLACEHOLDER_COMMENT}\n",
        dump_yaml({"wechat_url": "https://example.org/wechat"}),
        f"{PATTERN_COMMENT}\n{PLACEHOLDER_COMMENT}\n",
        dump_yaml({"e_edition_url": f"https://example.org/{folder}/{{year}}-{{number:02d}}/"}),
        dump_yaml({key: publication[key] for key in contacts + layout}),
    ]
    return "".join(parts)
