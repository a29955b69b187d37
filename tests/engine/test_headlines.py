"""Article titles read back from the PDF: a long one breaks between words, in balanced lines,
none wider than the measure less 2 em, and its text reads exactly as typed."""

from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pytest

from bulletin.operations.build import build
from tests.conftest import REPO, IssueFactory

TITLE_SIZE = 13.0
MEASURE = (210 - 25 - 18) * 72 / 25.4  # the type area's width, pt
# Titles an editor found broken inside a word: filling lines of the measure less 2 em, the
# engine alone breaks them 无人机物 / 流配送 and 推进的阶 / 段性成果. With the words no line
# may end inside.
DRONES = "多地出台低空经济支持政策推动城市空中交通与应用场景加快落地，无人机物流配送"
STAGES = (
    "长三角数字经济报告发布：AI产业、5G基站与“东数西算”工程协同推进的阶段性成果和下一步工作安排"
)
# 36 characters: one line across the whole measure, were there no 2 em to spare.
ONE_LINE_FULL = "长三角生态绿色一体化发展示范区执委会发布年度重点工作安排及二十项任务清单"
WORDS = {
    DRONES: ["低空", "经济", "政策", "推动", "城市", "空中交通", "场景", "无人机", "物流", "配送"],
    STAGES: ["长三角", "数字", "经济", "AI", "5G", "基站", "“东数西算”", "推进", "阶段性", "成果"],
    ONE_LINE_FULL: ["长三角", "生态", "绿色", "一体化", "示范区", "执委会", "重点", "工作"],
}


def title_lines(pdf_path) -> list[tuple[str, float]]:
    """Each line set in the title size on the body pages: its characters and its width."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[1:]:
            chars = [c for c in page.chars if abs(c["size"] - TITLE_SIZE) < 0.1]
            for top in sorted({round(c["top"], 1) for c in chars}):
                line = sorted(
                    (c for c in chars if round(c["top"], 1) == top), key=lambda c: c["x0"]
                )
                text = "".join(c["text"] for c in line)
                found.append((text, line[-1]["x1"] - line[0]["x0"]))
    return found


@pytest.fixture(scope="module")
def titles_pdf(tmp_path_factory):
    factory = IssueFactory(tmp_path_factory.mktemp("headlines"))
    for number, title in enumerate(WORDS, 2):
        factory.article(f"{number:02d}", title=title, body="正文一段。\n")
    return build(factory.dir, factory.root / "titles.pdf", strict=True).output


def broken_titles(pdf_path) -> dict[str, list[tuple[str, float]]]:
    """The lines of each title of WORDS, read back in order."""
    lines = title_lines(pdf_path)
    result = {}
    for title in WORDS:
        for start in range(len(lines)):
            text, end = "", start
            while end < len(lines) and title.startswith(text + lines[end][0]) and text != title:
                text += lines[end][0]
                end += 1
            if text == title:
                result[title] = lines[start:end]
                break
    return result


def test_titles_read_exactly_as_typed(titles_pdf):
    assert sorted(broken_titles(titles_pdf)) == sorted(WORDS)


def test_a_long_title_breaks_between_words(titles_pdf):
    for title, lines in broken_titles(titles_pdf).items():
        assert len(lines) == 2, (title, lines)
        cut = len(lines[0][0])
        for word in WORDS[title]:
            start = title.index(word)
            assert not start < cut < start + len(word), f"{title}: broken inside {word}"


def test_two_line_titles_are_balanced_and_no_line_is_wider_than_the_measure_less_2_em(
    titles_pdf,
):
    em = TITLE_SIZE
    for title, lines in broken_titles(titles_pdf).items():
        widths = [width for _, width in lines]
        assert max(widths) <= MEASURE - 2 * em + 0.5, (title, widths)
        if len(widths) == 2:
            assert min(widths) >= 0.75 * max(widths) or max(widths) - min(widths) <= 3 * em, (
                title,
                widths,
            )


def test_short_titles_never_load_the_segmenter(tmp_path):
    # The sample's titles all fit one line: a build reads no dictionary (0.5 s) for them.
    script = (
        "import sys\n"
        "from bulletin.operations.build import build\n"
        f"build({str(REPO / 'content' / '2024-08')!r}, {str(tmp_path / 'x.pdf')!r})\n"
        "print('jieba' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
