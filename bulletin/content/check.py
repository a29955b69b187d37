"""Validation without typesetting: the records, pictures, and the characters fonts lack."""

from __future__ import annotations

from pathlib import Path

from bulletin.content.careless import source_date_problem
from bulletin.content.characters import describe_invisible, invisible_characters
from bulletin.content.fonts import uncovered_characters
from bulletin.content.loader import ARTICLES_DIR, LoadedIssue, display_path, load_issue
from bulletin.content.markup import markup_problems
from bulletin.content.numbering import numbering_problems
from bulletin.content.resolution import resolution_problems
from bulletin.content.resources import image_problems
from bulletin.errors import ContentError, Problem
from bulletin.i18n import _


def check_issue(issue_dir: Path, *, strict: bool = False) -> tuple[LoadedIssue, list[Problem]]:
    """Validate an issue; characters the fonts lack are warnings, or errors when strict.

    A picture under 300 ppi where it prints is a warning; under 150 ppi, `strict` refuses it.
    """
    numbering = numbering_problems(issue_dir) if Path(issue_dir).is_dir() else []
    try:
        loaded = load_issue(issue_dir)
    except ContentError as error:
        raise ContentError([*error.problems, *numbering]) from None
    if numbering:
        raise ContentError(numbering)
    # Only an article with "![" has an image; parsing costs start-up time.
    with_images = [
        (display_path(source.path), markdown_tokens(article.body), source.lines[("body",)])
        for article, source in zip(loaded.content.articles, loaded.article_sources, strict=True)
        if "![" in article.body
    ]
    images = [
        problem
        for shown, tokens, line in with_images
        for problem in image_problems(shown, tokens, line, loaded.issue_dir)
    ]
    markup = [
        problem
        for article, source in zip(loaded.content.articles, loaded.article_sources, strict=True)
        for problem in markup_problems(
            display_path(source.path), article.body, source.lines[("body",)], markdown_tokens
        )
    ]
    if images or markup:
        raise ContentError([*images, *markup])
    missing = (
        stray_files(loaded.issue_dir)
        + placeholders(loaded)
        + invisible_in_bodies(loaded)
        + sources_with_dates(loaded)
        + uncovered_characters(
            (shown, line, text)
            for source in loaded.sources
            for shown in (display_path(source.path),)
            for line, text in source.texts
        )
    )
    pictures = [
        low
        for shown, tokens, line in with_images
        for low in resolution_problems(shown, tokens, line, loaded.issue_dir)
    ]
    refused = [low.problem for low in pictures if low.refused]
    if strict and (missing or refused):
        raise ContentError([*missing, *refused])
    return loaded, [*missing, *(low.problem for low in pictures)]


def markdown_tokens(body: str):
    from bulletin.text.markdown import markdown_parser

    return markdown_parser().parse(body)


def stray_files(issue_dir: Path) -> list[Problem]:
    """Files in the articles folder that are not printed, though they look like articles."""
    folder = issue_dir / ARTICLES_DIR
    if not folder.is_dir():
        return []
    return [
        Problem(
            display_path(path),
            None,
            "articles",
            _(
                "not printed: only .md files are articles; rename it NN.md, or start its "
                "name with _ to keep it aside"
            ),
        )
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix != ".md" and not path.name.startswith(("_", "."))
    ]


# What `bulletin init` marks as still to fill in.
PLACEHOLDER = "【待填写】"


def placeholders(loaded: LoadedIssue) -> list[Problem]:
    """A warning for each value `bulletin init` left to fill in and nobody has yet."""
    return [
        Problem(
            display_path(source.path),
            line,
            "text",
            _("{marker} is still here: replace the placeholder before printing").format(
                marker=PLACEHOLDER
            ),
        )
        for source in loaded.sources
        for line, text in source.texts
        if PLACEHOLDER in text
    ]


def invisible_in_bodies(loaded: LoadedIssue) -> list[Problem]:
    """A warning for each invisible character in an article's text (in a field, an error).

    A zero-width space or a soft hyphen in a paragraph prints as nothing but breaks a word
    for search and copying; the field checks have already refused them everywhere else.
    """
    return [
        Problem(display_path(source.path), line, "body", describe_invisible(char))
        for source in loaded.article_sources
        for line, text in source.texts
        for char in invisible_characters(text)
    ]


def sources_with_dates(loaded: LoadedIssue) -> list[Problem]:
    """A warning for a source that ends in a date: it would print beside date:'s own."""
    found = []
    for article, source in zip(loaded.content.articles, loaded.article_sources, strict=True):
        if message := source_date_problem(article.source, article.date):
            line = source.line_of(("source",))
            found.append(Problem(display_path(source.path), line, "source", message))
    return found
