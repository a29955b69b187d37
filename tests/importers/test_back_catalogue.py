"""Back issues as archivists bring them in: sources as typed, known regions, printed order."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.content.regions import KNOWN_REGIONS, PROVINCIAL_DIVISIONS, known_form, suggestion
from bulletin.importers.text import import_text
from bulletin.importers.text_records import find_source, parse_source_date
from tests.conftest import SEED

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


@pytest.mark.parametrize(
    ("paragraph", "outlet", "date"),
    [
        ("正文。（上海证券报 20240416）", "上海证券报", dt.date(2024, 4, 16)),
        ("正文。(湖南日报 20240502)", "湖南日报", dt.date(2024, 5, 2)),
        ("正文。（来源：四川日报 2024年5月3日）", "四川日报", dt.date(2024, 5, 3)),
        ("正文。(来源: 新华社 2024-05-02)", "新华社", dt.date(2024, 5, 2)),
        ("正文。（21 世纪经济报道 2024.5.2）", "21 世纪经济报道", dt.date(2024, 5, 2)),
        ("正文。（人民网 2024 年 5 月 2 日）", "人民网", dt.date(2024, 5, 2)),
        ("正文。（浙江日报）", "浙江日报", None),
        ("（来源：浙江日报）", "浙江日报", None),
    ],
)
def test_sources_as_editors_type_them(paragraph, outlet, date):
    match = find_source(paragraph)
    assert match is not None and match["outlet"] == outlet
    assert (parse_source_date(match["date"]) if match["date"] else None) == date


@pytest.mark.parametrize(
    "paragraph",
    ["发布了《实施方案》（以下简称“方案”）", "增长 5%（同比），较去年（2023）提高", "见附件（一）"],
)
def test_a_parenthesis_inside_the_text_is_no_source(paragraph):
    assert find_source(paragraph) is None


def test_known_regions_and_suggestions():
    assert len(PROVINCIAL_DIVISIONS) == 34 and KNOWN_REGIONS[0] == "区域"
    assert known_form("上 海") == "上海" and known_form("广西壮族自治区") == "广西"
    assert known_form("上海") is None and known_form("雄安新区") is None
    assert suggestion("上 海", KNOWN_REGIONS) == "上海"
    assert suggestion("黑龙", KNOWN_REGIONS) == "黑龙江"


def variant(seed: str, number: int, cumulative: int, printed: str, swaps: dict[str, str]) -> str:
    """Another back issue made from the seed: its numbers, and its regions renamed or swapped."""
    text = seed.replace("2024 年第 8 期", f"2024 年第 {number} 期")
    text = text.replace("(总第 282 期)", f"(总第 {cumulative} 期)")
    text = text.replace("4 月 25 日印发", printed)
    text = re.sub(r"【([^【】]+)】", lambda m: f"【\0{m[1]}】", text)
    for old, new in swaps.items():
        text = text.replace(f"【\0{old}】", f"【{new}】")
    return text.replace("\0", "")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """Three back issues with different regions imported into one content folder."""
    seed = SEED.read_text(encoding="utf-8")
    ninth = variant(seed, 9, 283, "5 月 9 日印发", {"区域": "上海", "上海": "区域"})
    tenth = variant(
        seed,
        10,
        284,
        "5 月 23 日印发",
        {"广东": "四川", "北京": "湖 南", "江苏": "浙江", "浙江": "江苏"},
    )
    tenth = tenth.replace("（人民网 20240418）", "(来源: 人民网 2024-04-18)")
    tenth = tenth.replace("（浙江日报 20240425）", "（浙江日报）\n\n责任编辑：王五")
    tenth = tenth.replace("（新华社 20240423）", "（新华社 2024年4月23日）")
    root = tmp_path_factory.mktemp("catalogue")
    results = []
    for name, text in (("2024-08", seed), ("2024-09", ninth), ("2024-10", tenth)):
        source = root / f"{name}.txt"
        source.write_text(text, encoding="utf-8")
        results.append(run("import", source, "--out", root / "content" / name))
    return root / "content", results


PRINTED = {
    "2024-08": ["区域", "上海", "广东", "北京", "江苏", "浙江"],
    "2024-09": ["上海", "区域", "广东", "北京", "江苏", "浙江"],
    "2024-10": ["区域", "上海", "四川", "湖南", "浙江", "江苏"],
}


def test_three_back_issues_import_into_one_folder(catalogue):
    content, results = catalogue
    assert [result.exit_code for result in results] == [0, 0, 0], [r.output for r in results]
    tenth = results[2].stderr
    assert "(浙江日报) has no date: its date is left empty and it prints without one" in tenth
    assert 'could not place "责任编辑：王五…": kept as a paragraph at the end of' in tenth
    for name, order in PRINTED.items():
        check = run("check", content / name)
        assert check.exit_code == 0, check.output
        loaded = load_issue(content / name).content
        assert loaded.issue.regions == order
        assert [region for region, _ in loaded.sections] == order


def test_each_back_issue_builds_in_its_printed_order(catalogue, tmp_path):
    from pypdf import PdfReader

    from bulletin.operations.build import build

    content, _ = catalogue
    for name, order in PRINTED.items():
        web = build(content / name, tmp_path / name, kind="web").output.read_text("utf-8")
        assert re.findall(r'<h2 class="region-name">【(.+?)】</h2>', web) == order
    tenth = build(content / "2024-10", tmp_path / "tenth.pdf", strict=True)
    assert [item.title for item in PdfReader(tenth.output).outline if not isinstance(item, list)][
        : len(order)
    ] == [f"【{region}】" for region in PRINTED["2024-10"]]
    dateless = load_issue(content / "2024-10").content.articles[-1]
    assert (dateless.source, dateless.date) == ("浙江日报", None)
    assert dateless.body.endswith("责任编辑：王五")
    assert '<p class="source">（浙江日报）</p>' in web


def test_a_paragraph_that_cannot_be_placed_never_refuses_the_issue(seed_text):
    text = seed_text.replace("（人民网 20240418）", "（人民网 20240418）\n\n（本文有删节）")
    imported = import_text(text, source_name="x.txt")
    assert len(imported.articles) == 11
    assert imported.articles[9].blocks[-1] == ("p", "（本文有删节）")
    assert any("could not place" in str(notice) for notice in imported.notices)


def test_an_interrupted_back_issue_import_leaves_nothing(seed_text, tmp_path, monkeypatch):
    from bulletin.importers import writer

    imported = import_text(seed_text, source_name="x.txt")
    calls = []
    original = writer.write_atomically

    def interrupted(path, data):
        calls.append(path)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return original(path, data)

    monkeypatch.setattr(writer, "write_atomically", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writer.write_issue(imported, tmp_path / "2024-08", publication_path=tmp_path / "p.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]
    monkeypatch.setattr(writer, "write_atomically", original)
    assert len(writer.write_issue(imported, tmp_path / "2024-08")) == 12


def test_regions_are_checked_against_the_known_list(issue_factory):
    issue_factory.article("02", region="西藏", title="西藏")  # a provincial-level division
    issue_factory.article("03", region="雄安新区", title="雄安")  # added by the issue below
    issue_factory.write("issue.yaml", "year: 2024\nnumber: 8\ncumulative: 282\n"
                        "print_date: 2024-04-25\nregions: [雄安新区, 上海]\n")  # fmt: skip
    check = run("check", issue_factory.dir)
    assert check.exit_code == 0, check.output
    order = [region for region, _ in load_issue(issue_factory.dir).content.sections]
    assert order == ["雄安新区", "上海", "西藏"]
    issue_factory.write("issue.yaml", "year: 2024\nnumber: 8\ncumulative: 282\n"
                        "print_date: 2024-04-25\nregions: [上海市]\n")  # fmt: skip
    assert run("check", issue_factory.dir).stderr.splitlines() == [  # file then line
        "2024-08/articles/03.md:2: region: unknown region '雄安新区'; expected a provincial-level "
        "division (北京, 上海, …, 澳门), 区域, or a region listed under regions: in "
        "publication.yaml or issue.yaml",
        "2024-08/issue.yaml:5: regions: region '上海市' is written differently from the known "
        "region 上海; write 上海",
    ]
