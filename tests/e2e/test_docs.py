"""The documentation against the code: the template variables docs/layouts.md lists are those
the templates receive, and every relative link of the README and docs/ leads somewhere."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from urllib.parse import unquote

import jinja2
import pytest

from bulletin.content.loader import find_publication_file, load_issue
from bulletin.render.html import render_issue
from bulletin.site.addresses import site_base_url
from bulletin.site.media import gather_media
from bulletin.site.pages import SiteRenderer, site_layout
from bulletin.site.records import load_site, plan_site
from tests.conftest import REPO, SAMPLE_ISSUE

LAYOUTS_PAGE = REPO / "docs" / "layouts.md"
VARIABLES_HEADING = "## Template variables"
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def documented_rows() -> list[tuple[str, list[str]]]:
    """(variable, template patterns) for each row of the tables under "Template variables"."""
    text = LAYOUTS_PAGE.read_text(encoding="utf-8")
    assert VARIABLES_HEADING in text, f"{LAYOUTS_PAGE.name} has no '{VARIABLES_HEADING}'"
    section = text.split(VARIABLES_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or not cells[0].startswith("`"):
            continue  # not a row, or a header or rule
        (name,) = re.findall(r"`([^`]+)`", cells[0])
        rows.append((name, re.findall(r"`([^`]+)`", cells[1])))
    return rows


@pytest.fixture(scope="module")
def received() -> dict[str, set[str]]:
    """Every template the sample issue and the sample site render, and the names it gets."""
    seen: dict[str, set[str]] = {}
    render = jinja2.Template.render

    def recording(template, *args, **kwargs):
        seen.setdefault(template.name, set()).update(dict(*args, **kwargs))
        return render(template, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Template, "render", recording)
        content = load_issue(SAMPLE_ISSUE).content
        root = find_publication_file(SAMPLE_ISSUE).parent
        for mode in ("office", "web"):  # issue.html.j2 and web.html.j2
            render_issue(content, None, mode, SAMPLE_ISSUE, root)
        loaded, publication = load_site(REPO / "content")
        publication_file = find_publication_file(loaded[-1].issue_dir)
        site = plan_site(loaded, site_base_url(publication, None, publication_file))
        layout = site_layout(publication.layout, publication_file.parent)
        SiteRenderer(site, gather_media(site), layout).all_files()
    return seen


def test_the_documented_variables_are_those_the_templates_receive(received):
    rows = documented_rows()
    assert rows, f"no variables listed under '{VARIABLES_HEADING}' in {LAYOUTS_PAGE.name}"
    documented: dict[str, set[str]] = {name: set() for name in received}
    for name, patterns in rows:
        assert patterns, f"{name}: no template named in its row"
        for pattern in patterns:
            matched = fnmatch.filter(received, pattern)
            assert matched, f"{name}: no template rendered matches {pattern}"
            for template in matched:
                documented[template].add(name)
    for template, names in sorted(received.items()):
        assert names - documented[template] == set(), f"{template}: passed, not documented"
        assert documented[template] - names == set(), f"{template}: documented, not passed"


def test_the_issue_templates_and_the_site_pages_were_seen(received):
    """The check above compares something: both entry templates and the site's pages."""
    assert {"issue.html.j2", "web.html.j2", "site/article.html.j2"} <= set(received)
    assert "content" in received["issue.html.j2"]


def slug(heading: str) -> str:
    """The anchor a heading gets where Markdown is shown (GitHub's rule)."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    for line in without_code(page.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            base = slug(match.group(1))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def without_code(text: str) -> str:
    """The text less its fenced blocks (which may hold `#` comments and `[x](y)` as code)."""
    return re.sub(r"^( *)```.*?^\1```", "", text, flags=re.M | re.S)


def relative_links(page: Path) -> list[str]:
    text = re.sub(r"`[^`\n]*`", "", without_code(page.read_text(encoding="utf-8")))
    targets = re.findall(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(REPO).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading(page):
    broken = []
    for target in relative_links(page):
        path, _, anchor = unquote(target).partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.is_relative_to(REPO) or not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.name}")
    assert broken == []


def test_the_docs_pages_are_linked_from_the_readme():
    linked = {
        (REPO / path.partition("#")[0]).resolve() for path in relative_links(REPO / "README.md")
    }
    assert set(PAGES[1:]) - linked == set()


def test_every_module_is_listed_in_the_internals_page():
    """docs/internals.md's package layout names every module of the package, and no other."""
    text = (REPO / "docs" / "internals.md").read_text(encoding="utf-8")
    section = text.split("## Package layout", 1)[1].split("\n## ", 1)[0]
    listed, folder = set(), None
    for line in section.splitlines():
        if re.fullmatch(r"`(bulletin/[\w/]*)`", line):
            folder = line.strip("`")
        elif (match := re.match(r"- `([\w.]+\.py)`:", line)) and folder:
            listed.add(folder + match.group(1))
    modules = {
        str(path.relative_to(REPO))
        for path in (REPO / "bulletin").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert listed == modules
