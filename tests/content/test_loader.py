"""Models and loader: valid issues load; every bad input is one exact, located line."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin.content.loader import load_issue
from bulletin.errors import ContentError


def problems_of(issue_dir) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_issue(issue_dir)
    return caught.value.lines()


def test_valid_issue_loads(issue_factory):
    loaded = load_issue(issue_factory.dir)
    content = loaded.content
    assert content.issue.cumulative == 282
    assert content.issue.print_date == dt.date(2024, 4, 25)
    assert [a.title for a in content.articles] == ["上海支持八个区域打造股权投资集聚区"]
    assert content.articles[0].date == dt.date(2024, 4, 16)
    assert content.articles[0].body.startswith("近日，上海市委金融办")
    assert content.stem == "bri-2024-08-282"
    assert content.e_edition_url == "https://example.org/bri/2024-08/"


def test_sections_follow_publication_region_order(issue_factory):
    issue_factory.article("02", region="广东", title="广州")
    issue_factory.article("03", region="区域", title="长三角")
    loaded = load_issue(issue_factory.dir)
    assert [region for region, _ in loaded.content.sections] == ["区域", "上海", "广东"]


def test_issue_level_editors_override_publication(issue_factory):
    issue_factory.write(
        "issue.yaml",
        "year: 2024\nnumber: 8\ncumulative: 282\nprint_date: 2024-04-25\neditors: [张三]\n",
    )
    assert load_issue(issue_factory.dir).content.editors == ["张三"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "issue.yaml",
            "year: 2024\nnumber: 0\ncumulative: 282\nprint_date: 2024-04-25\n",
            "2024-08/issue.yaml:2: number: expected a number greater than 0, got 0",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: 8\ncumulative: -3\nprint_date: 2024-04-25\n",
            "2024-08/issue.yaml:3: cumulative: expected a number greater than 0, got -3",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: eight\ncumulative: 282\nprint_date: 2024-04-25\n",
            "2024-08/issue.yaml:2: number: expected a whole number, got 'eight'",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: 8\ncumulative: 282\nprint_date: 2024-02-30\n",
            "2024-08/issue.yaml:4: print_date: there is no 30 February 2024; check the date",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: 8\ncumulative: 282\nprint_date: 20240425\n",
            "2024-08/issue.yaml:4: print_date: expected a date written YYYY-MM-DD, got "
            "'20240425'; write 2024-04-25",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: 8\ncumulative: 282\n",
            "2024-08/issue.yaml:1: print_date: required; expected a value",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: 8\ncumulative: 282\nprint_date: 2024-04-25\nnumbr: 9\n",
            "2024-08/issue.yaml:5: numbr: unknown field; did you mean number?",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: 8\ncumulative: 282\nprint_date: 2023-12-30\n",
            "2024-08/issue.yaml:4: print_date: expected a date in 2024, the issue's year",
        ),
        (
            "issue.yaml",
            "year: 2024\nnumber: [8\ncumulative: 282\n",
            '2024-08/issue.yaml:2: number: a bracket "[" that is never closed; remove it, or '
            'put the whole value in quotes: number: "[8"',
        ),
        (
            "issue.yaml",
            "- 2024\n- 8\n",
            "2024-08/issue.yaml:1: record: expected a mapping of fields (key: value lines)",
        ),
        (
            "../publication.yaml",
            "name: 双周决策观察\n",
            "publication.yaml:1: subtitle: required; expected a value",
        ),
    ],
)
def test_bad_record_is_one_located_line(issue_factory, name, text, expected):
    issue_factory.write(name, text)
    assert expected in problems_of(issue_factory.dir)


@pytest.mark.parametrize(
    ("fields", "body", "expected"),
    [
        (
            {"region": "上 海"},
            "正文。\n",
            "2024-08/articles/02.md:2: region: unknown region '上 海'; did you mean 上海?",
        ),
        ({"title": "''"}, "正文。\n", "2024-08/articles/02.md:3: title: must not be empty"),
        ({}, "   \n\n", "2024-08/articles/02.md:7: body: must not be empty"),
        (
            {"date": "2024-04-26"},
            "正文。\n",
            "2024-08/articles/02.md:5: date: source date 2024-04-26 is after the print date "
            "2024-04-25",
        ),
        (
            {"date": "2024-13-01"},
            "正文。\n",
            "2024-08/articles/02.md:5: date: there is no month 13; check the date (written "
            "YYYY-MM-DD)",
        ),
        (
            {"title": "上海支持八个区域打造股权投资集聚区"},
            "正文。\n",
            "2024-08/articles/02.md:3: title: duplicate article: same title as "
            "2024-08/articles/01.md",
        ),
        (
            {"author": "某人"},
            "正文。\n",
            "2024-08/articles/02.md:6: author: unknown field; expected one of: "
            "region, title, source, date, body",
        ),
    ],
)
def test_bad_article_is_one_located_line(issue_factory, fields, body, expected):
    issue_factory.article("02", body=body, **fields)
    assert expected in problems_of(issue_factory.dir)


def test_missing_front_matter(issue_factory):
    issue_factory.write("articles/02.md", "标题\n\n正文。\n")
    assert problems_of(issue_factory.dir) == [
        "2024-08/articles/02.md:1: front matter: expected the article to start with a '---' "
        "line, its fields, and a closing '---'"
    ]


def test_missing_source_field_points_at_front_matter(issue_factory):
    issue_factory.write(
        "articles/02.md", "---\nregion: 上海\ntitle: 标题\ndate: 2024-04-16\n---\n正文。\n"
    )
    assert problems_of(issue_factory.dir) == [
        "2024-08/articles/02.md:2: source: required; expected a value"
    ]


def test_not_utf8_names_the_line(issue_factory):
    issue_factory.write("articles/02.md", "---\nregion: 上海\n".encode() + "标题".encode("gbk"))
    assert problems_of(issue_factory.dir) == [
        "2024-08/articles/02.md:3: file: GBK (GB 18030) text, not UTF-8 (byte 0xB1); save it "
        "again as UTF-8 (Notepad: Save as, Encoding: UTF-8), or convert it in its folder: "
        "iconv -f GB18030 -t UTF-8 02.md > 02.utf8 && mv 02.utf8 02.md"
    ]
    issue_factory.write("articles/02.md", b"---\nregion: \xff\xfe\n")
    assert problems_of(issue_factory.dir) == [
        "2024-08/articles/02.md:2: file: not UTF-8 text (byte 0xFF); save the file as UTF-8"
    ]


def test_bom_and_crlf_are_accepted(issue_factory):
    text = (
        "\ufeff---\r\nregion: 广东\r\ntitle: 广州\r\nsource: 人民网\r\n"
        "date: 2024-04-18\r\n---\r\n正文。\r\n"
    )
    issue_factory.write("articles/02.md", text.encode("utf-8"))
    article = load_issue(issue_factory.dir).content.articles[1]
    assert (article.title, article.body) == ("广州", "正文。")


def test_all_problems_reported_together(issue_factory):
    issue_factory.write(
        "issue.yaml", "year: 2024\nnumber: 0\ncumulative: 282\nprint_date: 2024-04-25\n"
    )
    issue_factory.article("02", region="火星")
    issue_factory.article("03", title="''")
    assert len(problems_of(issue_factory.dir)) == 3


def test_no_articles(issue_factory):
    (issue_factory.dir / "articles" / "01.md").unlink()
    assert problems_of(issue_factory.dir) == [
        "2024-08/articles: articles: no articles; expected one or more .md files"
    ]


def test_missing_issue_file(issue_factory):
    (issue_factory.dir / "issue.yaml").unlink()
    assert problems_of(issue_factory.dir) == [
        "2024-08/issue.yaml: file: missing; expected a YAML file"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "e_edition_url: ftp://x/{year}",
            "publication.yaml:6: e_edition_url: expected an http:// or https:// address",
        ),
        (
            "e_edition_url: https://x/{issue}",
            "publication.yaml:6: e_edition_url: unknown placeholder {issue}; expected one of "
            "{cumulative}, {number}, {slug}, {year}",
        ),
        (
            "phone: call us",
            "publication.yaml:10: phone: unexpected value 'call us'; expected a number of at "
            "least 5 digits, spaces, +, ( ) and -",
        ),
        (
            "regions: [区域, 上海, 区域]",
            "publication.yaml:12: regions: region 区域 is listed twice",
        ),
        ("sponsors: []", "publication.yaml:7: sponsors: must not be empty"),
    ],
)
def test_bad_publication_field(issue_factory, line, expected):
    from tests.conftest import PUBLICATION

    key = line.split(":")[0]
    text = "\n".join(line if row.startswith(key + ":") else row for row in PUBLICATION.splitlines())
    issue_factory.write("../publication.yaml", text + "\n")
    assert expected in problems_of(issue_factory.dir)


def test_values_that_reach_the_page_are_kept_with_their_lines(issue_factory):
    issue_factory.write(
        "articles/02.md",
        '---\n# 备注\nregion: 上海\ntitle: "标题\\u4E00"\nsource: 人民网\ndate: 2024-04-18\n'
        "---\n正文&#x4E8C;。\n",
    )
    article = load_issue(issue_factory.dir).article_sources[1]
    assert (4, "标题一") in article.texts and (5, "人民网") in article.texts
    assert (8, "正文&#x4E8C;。") in article.texts and (8, "二") in article.texts
    assert not any("备注" in text for _, text in article.texts)


def test_messages_name_a_linked_file_as_the_editor_knows_it(issue_factory):
    real = issue_factory.write("drafts/02.md", "---\nregion: 上海\n---\n正文。\n")
    (issue_factory.dir / "articles" / "02.md").symlink_to(real)
    assert problems_of(issue_factory.dir) == [
        "2024-08/articles/02.md:2: title: required; expected a value",
        "2024-08/articles/02.md:2: source: required; expected a value",
        "2024-08/articles/02.md:2: date: required; expected a value",
    ]
