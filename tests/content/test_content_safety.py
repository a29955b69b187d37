"""Content safety: files from outside refused, every parser within budget, characters checked."""

from __future__ import annotations

import base64
import os
import resource
import subprocess
import sys
import time

import pytest

from bulletin.content.check import check_issue
from bulletin.content.loader import load_issue
from bulletin.content.models import url_template
from bulletin.content.pictures import picture_problem
from bulletin.content.resources import check_image, locate_file
from bulletin.errors import ContentError
from tests.conftest import ISSUE, REPO
from tests.corpus.build import png

ADDRESS_SPACE = 2 * 1024**3
HEADER = "---\nregion: 上海\ntitle: 标题\nsource: 上海证券报\ndate: 2024-04-16\n---\n"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


BILLION_LAUGHS = "\n".join(
    [ISSUE.rstrip(), "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(9)]
)


@pytest.mark.parametrize(
    ("name", "files", "line"),
    [
        (
            "deep nesting",
            {"issue.yaml": ISSUE + "editors: " + "[" * 50_000 + "]" * 50_000 + "\n"},
            "2024-08/issue.yaml:5: editors: values nested more than 20 levels deep",
        ),
        (
            "billion laughs",
            {"issue.yaml": BILLION_LAUGHS + "\n"},
            "2024-08/issue.yaml:5: yaml: anchors and aliases",
        ),
        (
            "ten-gigapixel image header",
            {
                "articles/02.md": HEADER + "正文。\n\n![图](huge.png)\n",
                "huge.png": png(100_000, 100_000),
            },
            "2024-08/articles/02.md:9: image: huge.png: 100000 × 100000 pixels",
        ),
        (
            "ten-gigapixel inline image",
            {
                "articles/02.md": HEADER
                + "正文。\n\n![图](data:image/png;base64,"
                + base64.b64encode(png(100_000, 100_000)).decode()
                + ")\n"
            },
            "2024-08/articles/02.md:9: image: data:image/png;base64,",
        ),
    ],
)
def test_over_budget_is_one_line_within_two_gigabytes(issue_factory, name, files, line):
    """`bulletin check` under a 2 GB address-space limit: one clear line, exit 1."""
    for path, data in files.items():
        issue_factory.write(path, data)
    done = subprocess.run(
        [sys.executable, "-m", "bulletin", "check", "2024-08"],
        cwd=issue_factory.root,
        capture_output=True,
        encoding="utf-8",
        preexec_fn=_limited,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(line), done.stderr
    assert "internal error" not in done.stderr


def test_a_padding_format_is_refused_before_anything_is_formatted():
    started = time.perf_counter()
    with pytest.raises(ValueError, match="only zero padding"):
        url_template("https://x.org/{number:>100000000}/")
    assert time.perf_counter() - started < 0.5  # formatting it took 65 s and 1 GB
    assert url_template("https://x.org/{year}-{number:02d}/{slug}") is not None


def test_pillow_warnings_are_errors(tmp_path, monkeypatch):
    """A decompression-bomb warning from Pillow refuses the image instead of printing."""
    from PIL import Image

    (tmp_path / "small.png").write_bytes(png(8, 8))
    assert check_image("small.png", tmp_path) is None
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 40)  # Pillow now warns at 40, fails at 80
    assert check_image("small.png", tmp_path).startswith("8 × 8 pixels")


def test_pixels_are_counted_from_the_header_alone():
    import io

    started = time.perf_counter()
    problem = picture_problem(io.BytesIO(png(60_000, 60_000)))
    assert problem.startswith("60000 × 60000 pixels (3600 megapixels)")
    assert time.perf_counter() - started < 0.5


def test_file_names_that_cannot_be_opened_are_refused_by_the_policy(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop")
    assert locate_file(tmp_path / "a\x00b", [tmp_path])[1].startswith("the name contains a NUL")
    assert locate_file(tmp_path / ("x" * 256), [tmp_path])[1].startswith("a file name longer")
    assert locate_file(tmp_path / "loop", [tmp_path])[1].startswith("a link that cannot be")
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "link.md").symlink_to(tmp_path / "real.md")
    refused = locate_file(tmp_path / "inside" / "link.md", [tmp_path / "inside"])[1]
    assert refused.startswith("a link to a file outside the issue folder")


def test_links_that_stay_inside_the_issue_are_followed(issue_factory):
    drafts = issue_factory.dir / "drafts"
    drafts.mkdir()
    (drafts / "02.md").write_text(HEADER + "链接进来的正文。\n", encoding="utf-8")
    (issue_factory.dir / "articles" / "02.md").symlink_to(drafts / "02.md")
    loaded = load_issue(issue_factory.dir)
    assert loaded.content.articles[1].body == "链接进来的正文。"


def test_characters_are_checked_on_values_not_on_the_raw_file(issue_factory):
    """An emoji in a comment never prints; the same emoji written as an escape does."""
    issue_factory.write(
        "articles/02.md", HEADER.replace("---\n", "---\n# 备注 😀\n", 1) + "正文。\n"
    )
    _, missing = check_issue(issue_factory.dir)
    assert missing == []
    issue_factory.write("articles/02.md", HEADER.replace("标题", '"标题\\U0001F600"') + "正文。\n")
    _, missing = check_issue(issue_factory.dir)
    assert [(p.line, p.message[:3]) for p in missing] == [(3, "'😀'")]
    with pytest.raises(ContentError):
        check_issue(issue_factory.dir, strict=True)


def test_typed_tabs_are_whitespace_escaped_tabs_are_not(issue_factory):
    issue_factory.write(
        "articles/02.md", HEADER.replace("title: 标题", 'title: "标\t题"') + "正\t文。\n"
    )
    assert load_issue(issue_factory.dir).content.articles[1].title == "标\t题"
    issue_factory.write(
        "articles/02.md", HEADER.replace("title: 标题", 'title: "标\\t题"') + "正文。\n"
    )
    with pytest.raises(ContentError, match=r"title: an invisible control character \(U\+0009\)"):
        load_issue(issue_factory.dir)
