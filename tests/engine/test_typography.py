"""Chinese typography (clreq): each rule on small cases, against WeasyPrint's stock setting."""

from __future__ import annotations

import io
import itertools
import re

import pdfplumber
import pytest

from bulletin.data import fonts_dir
from bulletin.engine.typeset import pdf_bytes, typeset
from bulletin.preflight.preflight import Line, _lines, check_line_edges, check_paragraphs
from bulletin.render.html import article_body_html
from bulletin.text.hanzi import is_han

SIZE = 10.0  # pt; one em
PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face {{ font-family: S; src: url("{fonts}/NotoSerifSC-Regular.otf"); }}
@page {{ size: A4; margin: 20mm; }}
body {{ font: {size}pt/1.8 S; margin: 0; }}
p {{ width: {width}em; text-align: justify; margin: 0 0 2em; }}
.keep {{ white-space: nowrap; }}
:lang(en) {{ hyphens: auto; hyphenate-character: "-"; }}
</style></head><body>{body}</body></html>"""


class Set:
    """The lines a paragraph was set in, as read back from the PDF."""

    def __init__(self, lines: list[Line]):
        self.lines = lines

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    def char(self, text: str, nth: int = 0) -> tuple[int, int]:
        for row, line in enumerate(self.lines):
            index = -1
            for _ in range(nth + 1):
                index = line.text.find(text, index + 1)
            if index >= 0:
                return row, index
        raise AssertionError(f"{text!r} not found in {self.texts}")

    def step(self, left: str, nth: int = 0) -> float:
        """Distance in em from the start of `left` to the start of the next character."""
        row, index = self.char(left, nth)
        chars = self.lines[row].chars
        return (chars[index + len(left)]["x0"] - chars[index]["x0"]) / SIZE


def set_text(markdown: str, *, width: float = 20.4, stock: bool = False) -> Set:
    """Typeset Markdown paragraphs in a column `width` em wide; return their lines.

    `stock` sets them as WeasyPrint alone would: its own line rules, no kept paragraph tails.
    """
    from bulletin.content.models import Article

    article = Article(region="上海", title="t", source="s", date="2024-01-01", body=markdown)
    body = article_body_html(article)
    if stock:
        body = re.sub(r'<span class="keep">(.*?)</span>', r"\1", body)
    html = PAGE.format(fonts=fonts_dir().as_uri(), size=SIZE, width=width, body=body)
    document = typeset(html, fonts_dir(), [fonts_dir()], stock_engine=stock)
    with pdfplumber.open(io.BytesIO(pdf_bytes(document))) as pdf:
        return Set(_lines(pdf.pages[0].chars))


HAN_PARAGRAPH = "近日长三角三省一市发布今年第一季度经济成绩单上海地区生产总值按不变价格计算" * 3


def right_edges(result: Set) -> list[float]:
    return [round(line.right, 1) for line in result.lines]


def test_full_lines_are_flush_on_both_sides():
    ours = set_text(HAN_PARAGRAPH)
    column_right = ours.lines[0].left + 20.4 * SIZE
    edges = right_edges(ours)
    assert len(edges) >= 4
    assert all(abs(edge - column_right) < 0.1 for edge in edges[:-1])
    assert edges[-1] < column_right - SIZE  # the last line keeps its natural length
    stock = right_edges(set_text(HAN_PARAGRAPH, stock=True))
    assert all(edge < column_right - 0.3 * SIZE for edge in stock[:-1])  # ragged


def test_space_goes_between_ideographs_not_inside_words_or_numbers():
    text = "国际化internationalization与本地化的课题在排版中需要妥善处理12345.678元" * 2
    ours = set_text(text)
    assert check_paragraphs(ours.lines, 1) == []
    for line in ours.lines[:-1]:
        chars = line.chars
        for a, b in itertools.pairwise(chars):
            if a["text"].isascii() and b["text"].isascii() and a["text"].strip():
                assert abs(b["x0"] - a["x1"]) < 0.05, (a["text"], b["text"])


def test_lines_with_spaces_get_no_holes():
    text = "同比增长 23.1%；安徽全省规上工业增加值同比增长 7.6%，增速比全国快 1.5 个百分点。" * 2
    for stock, allowed in ((False, 0.45), (True, None)):
        result = set_text(text, width=20.9, stock=stock)
        widest = 0.0
        for line in result.lines[:-1]:
            ink = [c for c in line.chars if c["text"].strip()]
            widest = max(widest, *(b["x0"] - a["x1"] for a, b in itertools.pairwise(ink)))
        if allowed is None:
            assert widest > 0.8 * SIZE  # the hole stock justification makes
        else:
            assert widest < allowed * SIZE


@pytest.mark.parametrize("mark", list("，。、；：！？）》”’」·"))
def test_closing_marks_and_interpuncts_never_start_a_line(mark):
    for count in range(18, 23):
        result = set_text("国" * count + mark + "家" * 30, width=20)
        assert all(line.text[0] != mark for line in result.lines), result.texts


@pytest.mark.parametrize("mark", list("（《“"))
def test_opening_marks_never_end_a_line(mark):
    for count in range(18, 23):
        result = set_text("国" * count + mark + "家" * 30, width=20)
        assert all(line.text[-1] != mark for line in result.lines), result.texts


@pytest.mark.parametrize("pair", ["——", "……"])
def test_dashes_and_ellipses_never_split(pair):
    for count in range(17, 22):
        result = set_text("国" * count + pair + "家" * 30, width=20)
        for line, following in zip(result.lines, result.lines[1:], strict=False):
            assert check_line_edges(line, following, 1) == [], result.texts


@pytest.mark.parametrize("unit", ["2024年", "3.5万亿元", "16个", "5%"])
def test_numbers_stay_with_their_units(unit):
    number = unit.rstrip("年万亿元个")
    split_somewhere = False
    for count in range(12, 22):
        text = "国" * count + unit + "家" * 30
        ours = set_text(text, width=20)
        for line, following in zip(ours.lines, ours.lines[1:], strict=False):
            assert not (line.text.endswith(number) and is_han(following.text[0])), ours.texts
        stock = set_text(text, width=20, stock=True)
        split_somewhere |= any(
            line.text.endswith(number) and is_han(following.text[0])
            for line, following in zip(stock.lines, stock.lines[1:], strict=False)
        )
    if unit != "5%":  # the engine itself keeps % with its number
        assert split_somewhere


@pytest.mark.parametrize(
    ("pair", "left"), [("。”", "。"), ("）。", "）"), ("”、“", "”"), ("》，", "》"), ("“‘", "“")]
)
def test_adjacent_marks_take_at_most_one_and_a_half_em(pair, left):
    text = "发布了" + pair + "新动力贷担保专项方案"
    ours = set_text(text, width=40)
    assert ours.step(left) == pytest.approx(0.5, abs=0.02)
    stock = set_text(text, width=40, stock=True)
    assert stock.step(left) == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize(
    ("typed", "left"),
    [
        ("**“双碳”**、", "”"),
        ("**《方案》**。", "》"),
        ("*“新质生产力”*、", "”"),
        ("：**“双碳”**", "："),
    ],
)
def test_marks_meeting_at_bold_or_emphasis_take_one_and_a_half_em(typed, left):
    # Shaping halves a pair of marks only inside one run of text; here they meet between two.
    ours = set_text("发布了" + typed + "新动力贷担保专项方案", width=40)
    assert ours.step(left) == pytest.approx(0.5, abs=0.02)


def test_mark_at_line_end_is_half_width_and_line_stays_flush():
    for count in range(18, 22):
        text = "国" * count + "，" + "家" * 40
        ours = set_text(text, width=20.3)
        ends_with_mark = [line for line in ours.lines[:-1] if line.text.endswith("，")]
        if not ends_with_mark:
            continue
        line = ends_with_mark[0]
        assert abs(line.right - ours.lines[0].right) < 0.2 or line is ours.lines[0]
        assert check_paragraphs(ours.lines, 1) == []
        return
    pytest.fail("no line ended with a mark")


def ink_gaps(result: Set, row: int = 0) -> dict[str, float]:
    """Gap in em after each visible character of a line, keyed by that character."""
    ink = [c for c in result.lines[row].chars if c["text"].strip()]
    return {a["text"]: (b["x0"] - a["x1"]) / SIZE for a, b in itertools.pairwise(ink)}


@pytest.mark.parametrize("typed", ["AI产业", "AI 产业"])
def test_quarter_em_between_han_and_western_whatever_the_editor_typed(typed):
    ours = ink_gaps(set_text(f"发展{typed}和规划", width=40))
    assert ours["展"] == pytest.approx(0.25, abs=0.02)
    assert ours["I"] == pytest.approx(0.25, abs=0.02)
    assert ours["A"] == pytest.approx(0.0, abs=0.02)
    if " " not in typed:
        stock = ink_gaps(set_text(f"发展{typed}和规划", width=40, stock=True))
        assert stock["I"] == pytest.approx(0.0, abs=0.02)


def test_a_note_mark_sits_against_its_character():
    # ① … are numbers, but set on the ideographic grid: no Han–Western gap around them.
    ours = ink_gaps(set_text("支持创业投资基金②落地运营和服务⑳。", width=40))
    assert ours["金"] == pytest.approx(0.0, abs=0.02)
    assert ours["②"] == pytest.approx(0.0, abs=0.02)
    assert ours["务"] == pytest.approx(0.0, abs=0.02)


def test_no_gap_next_to_chinese_punctuation_or_at_line_edges():
    ours = set_text("（AI）产业，5G。" + "国" * 60, width=20)
    assert ours.step("（") == pytest.approx(1.0, abs=0.05)
    assert ours.lines[1].left == pytest.approx(ours.lines[2].left, abs=0.05)


def test_curly_quotes_are_full_width():
    ours = set_text("他说“好”就行", width=40)
    assert ours.step("“") == pytest.approx(1.0, abs=0.02)
    assert ours.step("好") == pytest.approx(1.0, abs=0.02)


def test_no_paragraph_ends_with_a_lone_character():
    lone_in_stock = 0
    for count in range(40, 44):
        text = "国" * count + "。"
        ours = set_text(text, width=20)
        last = [c for c in ours.lines[-1].text if is_han(c)]
        assert len(last) >= 2, ours.texts
        stock = set_text(text, width=20, stock=True)
        lone_in_stock += len([c for c in stock.lines[-1].text if is_han(c)]) == 1
    assert lone_in_stock


def test_text_is_unchanged():
    text = "发展AI产业，同比增长 5.2%。“两类模式”（沪府办〔2023〕29号）——深圳·前海……"
    assert set_text(text, width=60).texts == [text]
    wrapped = set_text(text, width=14)
    assert len(wrapped.lines) > 2
    # a space where the line breaks is not drawn; nothing else may differ
    assert "".join(wrapped.texts).replace(" ", "") == text.replace(" ", "")
    assert "\u200b" not in "".join(wrapped.texts)


@pytest.mark.parametrize("dash", ["—", "～", "–", "－"])
def test_a_dash_between_numbers_never_starts_a_line(dash):
    # 连接号: (2024—2026年) never breaks as “（2024” / “—2026年）”; preflight reads the rule too.
    starts_in_stock = 0
    for count in range(12, 22):
        for ranged in (f"（2024{dash}2026年）", f"1月{dash}3月"):
            text = "国" * count + ranged + "家" * 30
            ours = set_text(text, width=20)
            assert all(line.text[0] != dash for line in ours.lines), ours.texts
            stock = set_text(text, width=20, stock=True)
            for line, following in itertools.pairwise(stock.lines):
                if following.text[0] == dash:
                    starts_in_stock += 1
                    assert [v.rule for v in check_line_edges(line, following, 1)] == [
                        "prohibited line start"
                    ]
    if dash != "–":  # the engine itself never breaks before an en dash
        assert starts_in_stock


def test_a_long_latin_word_is_hyphenated_and_reads_as_typed():
    word = "internationalization"
    hyphenated = 0
    for count in range(8, 16):
        text = "国" * count + f"推进{word}与本地化" + "家" * 30
        ours = set_text(text, width=20)
        texts = ours.texts
        for line, following in itertools.pairwise(ours.lines):
            if line.text.endswith("-"):  # the hyphen the break shows, and nothing more
                hyphenated += 1
                assert line.text[-2].isascii() and following.text[0].isascii(), texts
                hyphen = line.chars[-1]
                assert hyphen["x1"] - hyphen["x0"] < 0.4 * SIZE  # a Latin hyphen, not 1 em
        assert "".join(t.removesuffix("-") for t in texts) == text
        assert "\u00ad" not in "".join(texts)
        assert check_paragraphs(ours.lines, 1) == []
    assert hyphenated >= 5


def test_interpunct_is_half_a_character():
    ours = set_text("深圳·前海、马克·吐温", width=40)
    for row, index in (ours.char("·"), ours.char("·", 1)):
        before, after = ours.lines[row].chars[index - 1], ours.lines[row].chars[index + 1]
        assert (after["x0"] - before["x1"]) / SIZE == pytest.approx(0.5, abs=0.02)
    stock = set_text("深圳·前海", width=40, stock=True)
    assert stock.step("圳") + stock.step("·") - 1 < 0.4


def test_contents_entries_keep_clear_of_the_page_numbers(issue_factory, tmp_path):
    from bulletin.operations.build import build

    long_title = (
        "长三角数字经济发展报告发布人工智能产业与东数西算工程协同推进的阶段性成果和下一步工作"
    )
    issue_factory.article("02", title=long_title)
    issue_factory.article("03", title="上海数字经济核心产业增加值增长23.6%")
    with pdfplumber.open(build(issue_factory.dir, tmp_path / "contents.pdf").output) as pdf:
        lines = _lines(pdf.pages[0].chars)
    em = 10.5  # the contents' size
    # the region name, then one line per entry, two for the long title
    region, *_ = (line for line in lines if line.text.startswith("【上海】"))
    title_start = region.chars[len("【上海】")]["x0"]
    first = next(line for line in lines if line.text.startswith(long_title[:10]))
    second = lines[lines.index(first) + 1]
    turned = long_title[len(first.text) :]
    assert second.text.startswith(turned)
    number_x0 = second.chars[-1]["x0"]
    assert second.chars[-1]["text"].isdigit()
    assert number_x0 - first.right >= 2 * em  # the first line stops clear of the numbers
    assert second.left > title_start + 0.5 * em  # the second line hangs
    for line, title in (
        (region, "【上海】上海支持八个区域打造股权投资集聚区"),
        (second, turned),
        (lines[lines.index(second) + 1], "上海数字经济核心产业增加值增长23.6%"),
    ):
        assert line.text.startswith(title), line.text
        dots = [c for c in line.chars[len(title) : -1] if c["text"].strip()]
        assert dots and {c["text"] for c in dots} == {"."}, line.text
        # the dots keep clear of the title and of the number
        assert dots[0]["x0"] - line.chars[len(title) - 1]["x1"] >= 0.3 * em, line.text
        assert line.chars[-1]["x0"] - dots[-1]["x1"] >= 0.3 * em, line.text
        assert line.chars[-1]["x0"] == pytest.approx(number_x0, abs=0.5)
