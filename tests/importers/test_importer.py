"""Importer: the seed back issue becomes content records with nothing lost; bad text is refused."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from bulletin.errors import ImportFormatError
from bulletin.importers.records import ImportedIssue
from bulletin.importers.text import import_text
from bulletin.importers.writer import write_issue

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "bri-2024-08.txt"
SEED_NAME = "bri-2024-08.txt"

# (region, title, outlet, source date, line of the title in the seed)
SEED_ARTICLES = [
    ("区域", "沪苏浙皖第一季度经济报告出炉", "金台资讯", dt.date(2024, 4, 24), 48),
    (
        "上海",
        "上海金融助力新质生产力发展三年行动计划发布",
        "21 世纪经济报道",
        dt.date(2024, 4, 16),
        56,
    ),
    ("上海", "上海支持八个区域打造股权投资集聚区", "上海证券报", dt.date(2024, 4, 16), 68),
    ("上海", "上海首批 5 个“融资服务中心”挂牌成立", "证券时报", dt.date(2024, 4, 16), 76),
    ("广东", "广州出台绿色金融支持碳达峰行动实施方案", "上海证券报", dt.date(2024, 4, 10), 92),
    (
        "广东",
        "广东省具身智能机器人创新中心落地深圳南山",
        "21 世纪经济报道",
        dt.date(2024, 4, 17),
        112,
    ),
    ("广东", "深圳（前海）大模型和算法创新服务中心揭牌", "深圳特区报", dt.date(2024, 4, 18), 144),
    ("北京", "首张外资主体资格证明三地互认营业执照发出", "新华社", dt.date(2024, 4, 23), 156),
    ("北京", "北京市加快建设信息软件产业发展高地", "上海证券报", dt.date(2024, 4, 19), 160),
    ("江苏", "常州发布全国首部新能源产业促进条例", "人民网", dt.date(2024, 4, 18), 170),
    ("浙江", "杭州全市域城区将开放智能网联车辆测试与应用", "浙江日报", dt.date(2024, 4, 25), 176),
]

# (line of the fragment, article index, text around the join, notice message)
SEED_JOINS = [
    (72, 2, "投早投小投科技奖励、扩大区级", '"…投早投小投科技" + "奖励、扩大区级…"'),
    (98, 4, "支持广州实现碳达峰目标", '"…；支持广州实现" + "碳达峰目标和推…"'),
    (122, 5, "并构建中试和测试基地；", '"…署，并构建中试" + "和测试基地；将…"'),
    (138, 5, "机器人的研发和应用，鼓励企业", '"…机器人的研发和" + "应用，鼓励企业…"'),
    (150, 6, "2213 亿元，增长51.5%，集聚", '"…3 亿元，增长" + "51.5%，集…"'),
]

# A tiny bulletin: two regions, one article each. Tests break one thing at a time.
SMALL_LINES = [
    "研究院微信",  # 1
    "2024 年第 3 期",  # 2
    "（总第 277 期）",  # 3
    "2 月 8 日印发",  # 4
    "双周决策观察",  # 5
    "地方工作亮点追踪",  # 6
    "- 【上海】 上海发布一号文件",  # 7
    "- 【北京】 北京出台新规",  # 8
    "",  # 9
    "主办",  # 10
    "某某研究院",  # 11
    "编辑",  # 12
    "张三 李四",  # 13
    "统筹",  # 14
    "王五",  # 15
    "电话",  # 16
    "022-12345678",  # 17
    "传真",  # 18
    "022-12345679",  # 19
    "",  # 20
    "【上海】",  # 21
    "",  # 22
    "上海发布一号文件",  # 23
    "",  # 24
    "上海发布了今年的一号文件。（上海证券报 20240201）",  # 25
    "",  # 26
    "【北京】",  # 27
    "",  # 28
    "北京出台新规",  # 29
    "",  # 30
    "北京出台了一项新规。（新华社 20240202）",  # 31
    "",  # 32
    "双周决策观察",  # 33
    "",  # 34
    "—— 地方工作亮点追踪 ——",  # 35
    "",  # 36
    "洞悉基层创新 启迪新政新思",  # 37
    "",  # 38
    "扫描二维码，敬请详看《BRI 双周决策观察》电子版",  # 39
]
SOURCE_EXPECTED = (
    "expected its last paragraph to end with （outlet YYYYMMDD）, like （上海证券报 20240416）"
)


def small_text(**replaced_lines: str | None) -> str:
    """The tiny bulletin with some lines replaced (keyword `l25="…"`); None blanks a line."""
    lines = list(SMALL_LINES)
    for key, text in replaced_lines.items():
        lines[int(key[1:]) - 1] = "" if text is None else text
    return "\n".join(lines)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ImportFormatError) as caught:
        import_text(text, source_name="small.txt")
    return caught.value.lines()


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(f"the seed back issue is missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text) -> ImportedIssue:
    return import_text(seed_text, source_name=SEED_NAME)


@pytest.fixture(scope="module")
def seed_lines(seed_text) -> list[str]:
    return [line.strip() for line in seed_text.split("\n")]


def body_range(seed_lines: list[str]) -> tuple[int, int]:
    """Indexes of the first region marker and of the back cover's masthead."""
    start = seed_lines.index("【区域】")
    end = len(seed_lines) - 1 - seed_lines[::-1].index("双周决策观察")
    return start, end


# --- the seed ----------------------------------------------------------------------------------


def test_seed_issue_numbers(seed):
    assert (seed.issue.year, seed.issue.number, seed.issue.cumulative) == (2024, 8, 282)
    assert seed.issue.print_date == dt.date(2024, 4, 25)


def test_seed_publication(seed):
    assert seed.publication == {
        "name": "双周决策观察",
        "subtitle": "地方工作亮点追踪",
        "short_name": "BRI",
        "wechat_label": "研究院微信",
        "sponsors": ["天津滨海综合发展研究院", "泰达图书馆档案馆"],
        "editors": ["贺然", "金敏毓", "何莉娟"],
        "coordinators": ["史继平", "韩玉刚", "马爱华", "武晓庆"],
        "phone": "022-66222942",
        "fax": "022-66222940",
        "regions": ["区域", "上海", "广东", "北京", "江苏", "浙江"],
        "slogan": "洞悉基层创新 启迪新政新思",
        "back_cover_caption": "扫描二维码，敬请详看《BRI 双周决策观察》电子版",
    }


def test_seed_articles_in_order(seed):
    found = [(a.region, a.title, a.source, a.date, a.line) for a in seed.articles]
    assert found == SEED_ARTICLES


def test_seed_sources_are_taken_off_the_text(seed):
    for article in seed.articles:
        last_kind, last_text = article.blocks[-1]
        assert last_kind == "p"
        assert last_text.endswith("。"), article.title
        assert "（" + article.source not in last_text


def test_seed_robotics_subheads(seed):
    robotics = seed.articles[5]
    assert robotics.title == "广东省具身智能机器人创新中心落地深圳南山"
    subheads = [(i, text) for i, (kind, text) in enumerate(robotics.blocks) if kind == "h"]
    assert subheads == [(3, "部署电力、制造、医疗等典型场景"), (7, "行业利好政策频出")]
    assert robotics.blocks[2][1].startswith("据悉，创新中心实体企业")
    assert robotics.blocks[4][1].startswith("据介绍，创新中心计划")
    assert robotics.blocks[8][1].startswith("人形机器人已成为")


def test_only_the_robotics_article_has_subheads(seed):
    with_subheads = [a.title for a in seed.articles if any(k == "h" for k, _ in a.blocks)]
    assert with_subheads == ["广东省具身智能机器人创新中心落地深圳南山"]


@pytest.mark.parametrize(("line", "article", "joined", "around"), SEED_JOINS)
def test_seed_page_break_joins(seed, line, article, joined, around):
    paragraphs = [text for kind, text in seed.articles[article].blocks if kind == "p"]
    assert sum(joined in text for text in paragraphs) == 1
    message = f"joined a paragraph cut by a page break: {around}"
    assert f"{SEED_NAME}:{line}: body: {message}" in [str(n) for n in seed.notices]


def test_seed_notices_are_the_joins_only(seed):
    assert [(n.line, n.field) for n in seed.notices] == [(j[0], "body") for j in SEED_JOINS]


def test_seed_paragraph_counts(seed):
    # One block per paragraph of the PDF: the five cut paragraphs count once each.
    assert [len(a.blocks) for a in seed.articles] == [2, 5, 2, 6, 8, 13, 3, 1, 3, 1, 2]


def test_no_body_character_is_dropped(seed, seed_lines):
    start, end = body_range(seed_lines)
    pieces, region = [], None
    for article in seed.articles:
        if article.region != region:
            pieces.append(f"【{article.region}】")
            region = article.region
        pieces.append(article.title)
        pieces.extend(text for _, text in article.blocks)
        pieces.append(f"（{article.source} {article.date:%Y%m%d}）")
    assert squeeze("".join(pieces)) == squeeze("".join(seed_lines[start:end]))


def test_cover_and_sponsor_block_texts_are_kept(seed, seed_lines):
    start, _ = body_range(seed_lines)
    front = [line for line in seed_lines[:start] if line and not is_contents_line(line)]
    p = seed.publication
    d = seed.issue.print_date
    rebuilt = [
        p["wechat_label"],
        f"{seed.issue.year} 年第 {seed.issue.number} 期",
        f"(总第 {seed.issue.cumulative} 期)",
        f"{d.month} 月 {d.day} 日印发",
        p["name"],
        p["subtitle"],
        "主办",
        *p["sponsors"],
        "编辑",
        *p["editors"],
        "统筹",
        *p["coordinators"],
        "电话",
        p["phone"],
        "传真",
        p["fax"],
    ]
    assert squeeze("".join(front)) == squeeze("".join(rebuilt))


def is_contents_line(line: str) -> bool:
    """The seed's contents: '- 【region】 title' lines and the titles under them (19–29)."""
    return line.startswith("- 【") or any(line == a[1] for a in SEED_ARTICLES)


def test_contents_are_the_article_titles(seed, seed_lines):
    start, _ = body_range(seed_lines)
    contents = [line for line in seed_lines[:start] if line and is_contents_line(line)]
    rebuilt, region = [], None
    for article in seed.articles:
        marker = f"- 【{article.region}】" if article.region != region else ""
        rebuilt.append(marker + article.title)
        region = article.region
    assert squeeze("".join(contents)) == squeeze("".join(rebuilt))


def test_back_cover_texts_are_kept(seed, seed_lines):
    _, end = body_range(seed_lines)
    p = seed.publication
    rebuilt = [p["name"], f"—— {p['subtitle']} ——", p["slogan"], p["back_cover_caption"]]
    assert squeeze("".join(seed_lines[end:])) == squeeze("".join(rebuilt))


def test_crlf_and_bom_import_identically(seed, seed_text):
    windows = "\ufeff" + seed_text.replace("\n", "\r\n")
    assert import_text(windows, source_name=SEED_NAME) == seed


def test_cumulative_in_ascii_or_full_width_parentheses(seed_text):
    assert "(总第 282 期)" in seed_text
    full_width = seed_text.replace("(总第 282 期)", "（总第 282 期）")
    assert import_text(full_width).issue.cumulative == 282


def test_truncated_seed_never_crashes(seed_text):
    lines = seed_text.split("\n")
    for end in range(len(lines)):
        try:
            import_text("\n".join(lines[:end]))
        except ImportFormatError as error:
            assert error.problems
    for start in range(0, len(lines), 7):
        try:
            import_text("\n".join(lines[start:]))
        except ImportFormatError as error:
            assert error.problems


# --- writing the content folder ----------------------------------------------------------------


def split_article(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def test_write_issue_files(seed, tmp_path):
    out = tmp_path / "2024-08"
    publication_path = tmp_path / "publication.yaml"
    written = write_issue(seed, out, publication_path=publication_path)

    names = [f"{n:02d}.md" for n in range(1, 12)]
    assert written == [
        *(out / "articles" / name for name in names),
        out / "issue.yaml",
        publication_path,
    ]
    assert sorted(p.name for p in (out / "articles").iterdir()) == names
    assert not list(tmp_path.rglob("*.tmp"))
    assert yaml.safe_load((out / "issue.yaml").read_text(encoding="utf-8")) == {
        "year": 2024,
        "number": 8,
        "cumulative": 282,
        "print_date": dt.date(2024, 4, 25),
        "regions": ["区域", "上海", "广东", "北京", "江苏", "浙江"],
    }
    for path, (region, title, outlet, date, _) in zip(written[:11], SEED_ARTICLES, strict=True):
        front, body = split_article(path.read_text(encoding="utf-8"))
        assert front == {"region": region, "title": title, "source": outlet, "date": date}
        assert "\n\n\n" not in body and not body.startswith("\n")
    first = (out / "articles" / "02.md").read_text(encoding="utf-8")
    assert "source: 21 世纪经济报道\ndate: 2024-04-16\n---\n4 月 15 日，人民银行" in first
    assert "（21 世纪经济报道" not in first


def test_written_bodies_are_one_line_per_block(seed, tmp_path):
    write_issue(seed, tmp_path / "issue")
    robotics = (tmp_path / "issue" / "articles" / "06.md").read_text(encoding="utf-8")
    _, body = split_article(robotics)
    lines = body.rstrip("\n").split("\n\n")
    assert len(lines) == 13
    assert lines[3] == "## 部署电力、制造、医疗等典型场景"
    assert lines[7] == "## 行业利好政策频出"
    assert all("\n" not in line for line in lines)


def test_written_text_stays_readable(seed, tmp_path):
    write_issue(seed, tmp_path / "issue")
    region = (tmp_path / "issue" / "articles" / "01.md").read_text(encoding="utf-8")
    shanghai = (tmp_path / "issue" / "articles" / "04.md").read_text(encoding="utf-8")
    shenzhen = (tmp_path / "issue" / "articles" / "07.md").read_text(encoding="utf-8")
    assert "11098.5 亿元" in region and "同比增长 5%，" in region
    assert "“贷款+股权”" in (tmp_path / "issue" / "articles" / "02.md").read_text(encoding="utf-8")
    assert "上海首批 5 个“融资服务中心”" in shanghai
    assert "1/8" in shenzhen
    assert "\\" not in region + shanghai + shenzhen


def test_publication_file(seed, tmp_path):
    path = tmp_path / "pub" / "publication.yaml"
    write_issue(seed, tmp_path / "issue", publication_path=path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == [
        "name",
        "subtitle",
        "short_name",
        "wechat_label",
        "wechat_url",
        "e_edition_url",
        "sponsors",
        "editors",
        "coordinators",
        "phone",
        "fax",
        "regions",
        "slogan",
        "back_cover_caption",
    ]
    assert {k: v for k, v in data.items() if k in seed.publication} == seed.publication
    assert data["wechat_url"] == "https://example.org/wechat"
    assert data["e_edition_url"] == "https://example.org/bri/{year}-{number:02d}/"
    lines = text.split("\n")
    for key in ("wechat_url", "e_edition_url"):
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[index - 1].startswith("# Placeholder"), key


def test_existing_publication_file_is_left_alone(seed, tmp_path):
    path = tmp_path / "publication.yaml"
    path.write_text("name: 已有\n", encoding="utf-8")
    written = write_issue(seed, tmp_path / "issue", publication_path=path)
    assert path not in written
    assert path.read_text(encoding="utf-8") == "name: 已有\n"


def test_write_issue_refuses_a_non_empty_folder(seed, tmp_path):
    out = tmp_path / "issue"
    write_issue(seed, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(ImportFormatError) as caught:
        write_issue(seed, out)
    assert caught.value.lines() == [
        f"{out / name}: out_dir: already exists and is not empty: refusing to overwrite an "
        "issue; import into a new folder"
        for name in ("articles", "issue.yaml")  # file order
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_write_issue_refuses_a_folder_with_articles_only(seed, tmp_path):
    out = tmp_path / "issue"
    (out / "articles").mkdir(parents=True)
    (out / "articles" / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(ImportFormatError):
        write_issue(seed, out)
    assert not (out / "issue.yaml").exists()


def test_write_issue_accepts_empty_existing_folders(seed, tmp_path):
    out = tmp_path / "issue"
    (out / "articles").mkdir(parents=True)
    (out / "issue.yaml").write_text("", encoding="utf-8")
    assert len(write_issue(seed, out)) == 12


def test_written_issue_loads(seed, tmp_path):
    loader = pytest.importorskip("bulletin.content.loader")
    write_issue(seed, tmp_path / "2024-08", publication_path=tmp_path / "publication.yaml")
    content = loader.load_issue(tmp_path / "2024-08").content
    assert [a.title for a in content.articles] == [a[1] for a in SEED_ARTICLES]
    assert content.issue.cumulative == 282


# --- Markdown escaping -------------------------------------------------------------------------

TRICKY_PARAGRAPHS = [
    "*强调*与 **加粗** 都按原样印出。",
    "# 不是标题。",
    "1. 不是列表。",
    "2) 也不是列表。",
    "<b>不是标签</b>与 &amp; 不是实体。",
    "[x](y) 不是链接，![图](z) 也不是。",
    "- 不是列表项。",
    "+ 也不是列表项。",
    "= 不是下划线。",
    "> 不是引用。",
    "--- 不是分隔线。",
    "`代码`、~~删除~~、a|b、反斜杠 \\ 与 _下划线_ 都照印。",
    "11098.5 亿元，增长 5%，占 1/8，“贷款+股权”。",
]
TRICKY_SUBHEAD = "C# 与 F#"


def tricky_bulletin() -> str:
    body = [*TRICKY_PARAGRAPHS[:2], TRICKY_SUBHEAD, *TRICKY_PARAGRAPHS[2:]]
    return small_text(l25="\n\n".join([*body, "最后一段。（上海证券报 20240201）"]))


def test_markdown_escaping_round_trips(tmp_path):
    imported = import_text(tricky_bulletin())
    expected = [("p", t) for t in TRICKY_PARAGRAPHS[:2]]
    expected += [("h", TRICKY_SUBHEAD)] + [("p", t) for t in TRICKY_PARAGRAPHS[2:]]
    expected += [("p", "最后一段。")]
    assert imported.articles[0].blocks == expected

    write_issue(imported, tmp_path / "issue")
    _, body = split_article((tmp_path / "issue" / "articles" / "01.md").read_text("utf-8"))
    rendered = MarkdownIt("commonmark", {"html": False}).render(body)
    found = re.findall(r"<(p|h2)>(.*?)</\1>\n", rendered)
    assert "".join(f"<{tag}>{inner}</{tag}>\n" for tag, inner in found) == rendered
    texts = [
        ("h" if tag == "h2" else "p", html.unescape(re.sub(r"<[^>]*>", "", inner)))
        for tag, inner in found
    ]
    assert texts == expected
    assert all("<" not in inner for _, inner in found)  # no element came out of the text


def test_escaping_leaves_plain_text_alone(tmp_path):
    imported = import_text(tricky_bulletin())
    write_issue(imported, tmp_path / "issue")
    _, body = split_article((tmp_path / "issue" / "articles" / "01.md").read_text("utf-8"))
    written = body.rstrip("\n").split("\n\n")
    assert "11098.5 亿元，增长 5%，占 1/8，“贷款+股权”。" in written
    assert "1\\. 不是列表。" in written
    assert "\\# 不是标题。" in written
    assert "## C# 与 F\\#" in written
    assert "\\<b\\>不是标签\\</b\\>与 \\&amp; 不是实体。" in written


# --- problems ----------------------------------------------------------------------------------


def test_small_bulletin_imports():
    imported = import_text(small_text(), source_name="small.txt")
    assert [(a.region, a.title, a.line) for a in imported.articles] == [
        ("上海", "上海发布一号文件", 23),
        ("北京", "北京出台新规", 29),
    ]
    assert imported.issue.cumulative == 277
    assert imported.issue.print_date == dt.date(2024, 2, 8)
    assert imported.publication["sponsors"] == ["某某研究院"]
    assert imported.notices == []


def test_empty_text():
    assert problems_of("") == ["small.txt: text: expected a bulletin's text, got an empty text"]
    assert problems_of("\ufeff \r\n\r\n") == problems_of("")


def test_text_that_is_no_bulletin():
    assert problems_of("Lorem ipsum dolor sit amet.\n\nhello, world\n") == [
        'small.txt: text: expected a bulletin: found no issue number line (like "2024 年第 8 期"), '
        'no contents and no region section (like "【区域】" on a line of its own)'
    ]


def test_missing_source():
    assert problems_of(small_text(l31="北京出台了一项新规。")) == [
        f'small.txt:31: source: article "北京出台新规" has no source: {SOURCE_EXPECTED}'
    ]


def test_source_date_that_is_no_date():
    assert problems_of(small_text(l25="上海发布了今年的一号文件。（上海证券报 20241301）")) == [
        'small.txt:25: date: source date 20241301 of article "上海发布一号文件" is not a date: '
        "expected YYYYMMDD, YYYY-MM-DD, YYYY.M.D or YYYY年M月D日"
    ]


def test_missing_issue_number_line():
    assert problems_of(small_text(l2=None)) == [
        'small.txt: number: expected the issue number line, like "2024 年第 8 期"'
    ]


def test_unknown_region_marker():
    assert problems_of(small_text(l27="【天津】")) == [
        'small.txt:8: contents: contents title "北京出台新规" under 【北京】 was not found as an '
        "article title in the 【北京】 section",
        "small.txt:27: region: unknown region 【天津】: expected a region listed in the contents "
        "(上海、北京)",
    ]


def test_text_before_the_first_region_section():
    assert problems_of(small_text(l20="\n这一行不属于封面。")) == [
        "small.txt:21: text: unexpected text before the first region section: expected the "
        'cover, the contents ("- 【上海】 title" lines) or the sponsor block (主办, 编辑, …)'
    ]


def test_contents_title_missing_from_the_body():
    assert problems_of(small_text(l8="- 【北京】 北京出台另一项新规")) == [
        'small.txt:8: contents: contents title "北京出台另一项新规" under 【北京】 was not found '
        "as an article title in the 【北京】 section"
    ]


def test_all_problems_are_reported_at_once():
    text = small_text(l3=None, l17=None, l25="上海发布了今年的一号文件。", l27="【天津】")
    assert problems_of(text) == [
        'small.txt: cumulative: expected the cumulative number line, like "(总第 282 期)"',
        'small.txt:8: contents: contents title "北京出台新规" under 【北京】 was not found as an '
        "article title in the 【北京】 section",
        'small.txt:16: phone: expected the phone number on the lines after "电话"',
        f'small.txt:25: source: article "上海发布一号文件" has no source: {SOURCE_EXPECTED}',
        "small.txt:27: region: unknown region 【天津】: expected a region listed in the contents "
        "(上海、北京)",
    ]


def test_title_missing_from_the_contents_is_a_notice():
    lines = list(SMALL_LINES)
    lines[31:31] = ["", "北京另有一事", "", "另有一事。（新华社 20240203）"]
    imported = import_text("\n".join(lines), source_name="small.txt")
    assert [a.title for a in imported.articles][-1] == "北京另有一事"
    assert [str(n) for n in imported.notices] == [
        'small.txt:33: title: title "北京另有一事" is not in the contents under 【北京】: '
        "taken as a title because it starts the section or follows a source"
    ]


def test_short_line_without_punctuation_inside_an_article_is_a_subhead():
    text = small_text(l25="第一段。\n\n小标题\n\n第二段。（上海证券报 20240201）")
    imported = import_text(text)
    assert imported.articles[0].blocks == [("p", "第一段。"), ("h", "小标题"), ("p", "第二段。")]


def test_long_line_without_final_punctuation_is_joined():
    cut = "上海市委金融办将会同相关部门，支持股权投资集聚区加强综合服务，制定出台投早投小投科技"
    text = small_text(l25=f"{cut}\n\n奖励政策。（上海证券报 20240201）")
    imported = import_text(text, source_name="small.txt")
    assert imported.articles[0].blocks == [("p", cut + "奖励政策。")]
    assert [str(n) for n in imported.notices] == [
        "small.txt:25: body: joined a paragraph cut by a page break: "
        '"…投早投小投科技" + "奖励政策。…"'
    ]


def test_cover_without_sections():
    assert problems_of("\n".join(SMALL_LINES[:19])) == [
        "small.txt: back_cover: expected the back cover after the last article, starting with a "
        'line "双周决策观察"',
        'small.txt: region: expected region sections: a line like "【区域】" and its articles',
        'small.txt:7: contents: contents title "上海发布一号文件" under 【上海】 was not found as '
        "an article title in the 【上海】 section",
        'small.txt:8: contents: contents title "北京出台新规" under 【北京】 was not found as an '
        "article title in the 【北京】 section",
    ]


def test_back_cover_must_repeat_the_cover():
    assert problems_of(small_text(l35="—— 别的副标题 ——", l39="扫描二维码，敬请详看电子版")) == [
        'small.txt:35: subtitle: back cover subtitle "别的副标题" differs from the cover\'s '
        '"地方工作亮点追踪"',
        "small.txt:39: short_name: expected the back-cover caption to name the bulletin as "
        "《<short name> 双周决策观察》",
    ]
