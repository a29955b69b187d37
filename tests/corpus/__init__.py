"""Bad inputs, each with the exact lines `bulletin check` must print for it."""

# Every case starts from the small valid issue of tests/conftest.py (2024-08 with one
# article, and publication.yaml beside it) and changes some files: a str or bytes value
# writes that file (relative to the issue folder), None deletes it (a file or a folder);
# `links` makes symbolic links (relative to the folder holding publication.yaml). `expected`
# are the exact stderr lines, paths as the user sees them from that folder. The cases of
# hostile input (issue 11) are in hostile.py, editors' slips (issue 16) in slips.py.

from __future__ import annotations

from tests.conftest import ARTICLE, ISSUE
from tests.corpus.build import (
    ART,
    ISSUE_FILE,
    NOT_EMPTY,
    PUB,
    Case,
    article,
    issue,
    publication,
)
from tests.corpus.careless import CARELESS, gbk
from tests.corpus.hostile import HOSTILE
from tests.corpus.slips import SLIPS

__all__ = ["CASES", "Case"]

CASES = [
    # ---- issue.yaml
    Case(
        "number zero",
        {"issue.yaml": issue(number="0")},
        [f"{ISSUE_FILE}:2: number: expected a number greater than 0, got 0"],
    ),
    Case(
        "negative cumulative",
        {"issue.yaml": issue(cumulative="-3")},
        [f"{ISSUE_FILE}:3: cumulative: expected a number greater than 0, got -3"],
    ),
    Case(
        "number in words",
        {"issue.yaml": issue(number="第八")},
        [f"{ISSUE_FILE}:2: number: expected a whole number, got '第八'"],
    ),
    Case(
        "number with a fraction",
        {"issue.yaml": issue(number="8.5")},
        [f"{ISSUE_FILE}:2: number: expected a whole number, got '8.5'"],
    ),
    Case(
        "impossible date",
        {"issue.yaml": issue(print_date="2024-02-30")},
        [f"{ISSUE_FILE}:4: print_date: there is no 30 February 2024; check the date"],
    ),
    Case(
        "date without dashes",
        {"issue.yaml": issue(print_date="20240425")},
        [
            f"{ISSUE_FILE}:4: print_date: expected a date written YYYY-MM-DD, got '20240425'; "
            "write 2024-04-25"
        ],
    ),
    Case(
        "date in Chinese",
        {"issue.yaml": issue(print_date="2024年4月25日")},
        [
            f"{ISSUE_FILE}:4: print_date: expected a date written YYYY-MM-DD, got '2024年4月25日'; "
            "write 2024-04-25"
        ],
    ),
    Case(
        "missing print date",
        {"issue.yaml": "year: 2024\nnumber: 8\ncumulative: 282\n"},
        [f"{ISSUE_FILE}:1: print_date: required; expected a value"],
    ),
    Case(
        "misspelt field",
        {"issue.yaml": ISSUE + "numbr: 9\n"},
        [f"{ISSUE_FILE}:5: numbr: unknown field; did you mean number?"],
    ),
    Case(
        "print date in another year",
        {"issue.yaml": issue(print_date="2023-12-30")},
        # File then line: articles/ sorts before issue.yaml.
        [
            "2024-08/articles/01.md:5: date: source date 2024-04-16 is after the print date "
            "2023-12-30",
            f"{ISSUE_FILE}:4: print_date: expected a date in 2024, the issue's year",
        ],
    ),
    Case(
        "year out of range",
        {"issue.yaml": issue(year="1024", print_date="1024-04-25")},
        [f"{ISSUE_FILE}:1: year: expected a number at least 1900, got 1024"],
    ),
    Case(
        "unclosed bracket",
        {"issue.yaml": "year: 2024\nnumber: [8\ncumulative: 282\n"},
        [
            f'{ISSUE_FILE}:2: number: a bracket "[" that is never closed; remove it, or put '
            'the whole value in quotes: number: "[8"'
        ],
    ),
    Case(
        "tab indentation",
        {"issue.yaml": "year: 2024\n\tnumber: 8\n"},
        [
            f"{ISSUE_FILE}:2: number: a tab at the start of the line; remove it (indent with "
            "spaces, never tabs)"
        ],
    ),
    Case(
        "list instead of fields",
        {"issue.yaml": "- 2024\n- 8\n"},
        [f"{ISSUE_FILE}:1: record: expected a mapping of fields (key: value lines)"],
    ),
    Case(
        "empty issue file",
        {"issue.yaml": ""},
        [
            f"{ISSUE_FILE}:1: year: required; expected a value",
            f"{ISSUE_FILE}:1: number: required; expected a value",
            f"{ISSUE_FILE}:1: cumulative: required; expected a value",
            f"{ISSUE_FILE}:1: print_date: required; expected a value",
        ],
    ),
    Case(
        "issue file missing",
        {"issue.yaml": None},
        [f"{ISSUE_FILE}: file: missing; expected a YAML file"],
    ),
    Case(
        "alias bomb",
        {"issue.yaml": ISSUE + "editors: &a [x, x]\nmore: [*a, *a, *a]\n"},
        [
            f"{ISSUE_FILE}:5: yaml: anchors and aliases (&name, *name) are not used in content "
            "files; write the value out"
        ],
    ),
    Case(
        "numbering gap",
        {
            "../2024-09/issue.yaml": issue(number="9", cumulative="284", print_date="2024-05-09"),
            "../2024-09/articles/01.md": ARTICLE,
        },
        [
            "2024-09/issue.yaml:3: cumulative: 2024 年第 9 期, 总第 284 期 does not follow "
            "2024-08 (2024 年第 8 期, 总第 282 期); expected 第 9 期, 总第 283 期"
        ],
        check="2024-09",
    ),
    # ---- publication.yaml
    Case(
        "publication without subtitle",
        {"../publication.yaml": "name: 双周决策观察\n"},
        [
            f"{PUB}:1: {field}: required; expected a value"
            for field in (
                "subtitle",
                "short_name",
                "wechat_label",
                "wechat_url",
                "e_edition_url",
                "sponsors",
                "editors",
                "phone",
                "regions",
                "slogan",
                "back_cover_caption",
            )
        ],
    ),
    Case(
        "e-edition address not http",
        {"../publication.yaml": publication("e_edition_url", "e_edition_url: ftp://x/{year}")},
        [f"{PUB}:6: e_edition_url: expected an http:// or https:// address"],
    ),
    Case(
        "unknown placeholder",
        {"../publication.yaml": publication("e_edition_url", "e_edition_url: https://x/{issue}")},
        [
            f"{PUB}:6: e_edition_url: unknown placeholder {{issue}}; expected one of "
            "{cumulative}, {number}, {slug}, {year}"
        ],
    ),
    Case(
        "phone in words",
        {"../publication.yaml": publication("phone", "phone: 请致电")},
        [
            f"{PUB}:10: phone: unexpected value '请致电'; expected a number of at least 5 digits, "
            "spaces, +, ( ) and -"
        ],
    ),
    Case(
        "region twice",
        {"../publication.yaml": publication("regions", "regions: [区域, 上海, 区域]")},
        [f"{PUB}:12: regions: region 区域 is listed twice"],
    ),
    Case(
        "no sponsors",
        {"../publication.yaml": publication("sponsors", "sponsors: []")},
        [f"{PUB}:7: sponsors: {NOT_EMPTY}"],
    ),
    Case(
        "sponsors not a list",
        {"../publication.yaml": publication("sponsors", "sponsors: 天津滨海综合发展研究院")},
        [f"{PUB}:7: sponsors: expected a list"],
    ),
    Case(
        "publication not UTF-8",
        {"../publication.yaml": "name: 双周决策观察\n".encode("gbk")},
        [f"{PUB}:1: file: {gbk('0xD6', PUB)}"],
    ),
    # ---- articles
    Case(
        "unknown region",
        {"articles/02.md": article(region="上 海")},
        [f"{ART}:2: region: unknown region '上 海'; did you mean 上海?"],
    ),
    Case("empty title", {"articles/02.md": article(title="''")}, [f"{ART}:3: title: {NOT_EMPTY}"]),
    Case(
        "title too long",
        {"articles/02.md": article(title="长" * 250)},
        [
            f"{ART}:3: title: 250 characters; expected at most 200 (split it, or check for a "
            "paste gone wrong)"
        ],
    ),
    Case(
        "title is a list",
        {"articles/02.md": article(title="[甲, 乙]")},
        [
            f'{ART}:3: title: a value starting with a bracket "[" is read as a list; put the '
            'whole value in quotes: title: "[甲, 乙]"'
        ],
    ),
    Case("empty body", {"articles/02.md": article(body="  \n\n")}, [f"{ART}:7: body: {NOT_EMPTY}"]),
    Case(
        "two-megabyte paragraph",
        {"articles/02.md": article(body="字" * 2_000_000)},
        [
            f"{ART}:7: body: 2000000 characters; expected at most 100000 (split it, or check "
            "for a paste gone wrong)"
        ],
    ),
    Case(
        "source after print date",
        {"articles/02.md": article(date="2024-04-26")},
        [f"{ART}:5: date: source date 2024-04-26 is after the print date 2024-04-25"],
    ),
    Case(
        "impossible source date",
        {"articles/02.md": article(date="2024-04-31")},
        [f"{ART}:5: date: there is no 31 April 2024; check the date"],
    ),
    Case(
        "source date as a number",
        {"articles/02.md": article(date="20240416")},
        [f"{ART}:5: date: expected a date written YYYY-MM-DD, got '20240416'; write 2024-04-16"],
    ),
    Case(
        "duplicate title",
        {"articles/02.md": article(title="上海支持八个区域打造股权投资集聚区")},
        [f"{ART}:3: title: duplicate article: same title as 2024-08/articles/01.md"],
    ),
    Case(
        "unknown field",
        {"articles/02.md": article(author="某人")},
        [f"{ART}:6: author: unknown field; expected one of: region, title, source, date, body"],
    ),
    Case(
        "body as a field",
        {"articles/02.md": article(body="x").replace("date:", "body: 正文\ndate:")},
        [f"{ART}:5: body: the body is the text after the front matter, not a field"],
    ),
    Case(
        "no front matter",
        {"articles/02.md": "标题\n\n正文。\n"},
        [
            f"{ART}:1: front matter: expected the article to start with a '---' line, its "
            "fields, and a closing '---'"
        ],
    ),
    Case(
        "front matter not closed",
        {"articles/02.md": "---\nregion: 上海\ntitle: 标题\n正文。\n"},
        [
            f"{ART}:4: front matter: the fields above are not closed; add a line '---' before "
            "this line, where the text begins"
        ],
    ),
    Case(
        "front matter is a list",
        {"articles/02.md": "---\n- 上海\n- 标题\n---\n正文。\n"},
        [f"{ART}:1: record: expected a mapping of fields (key: value lines)"],
    ),
    Case(
        "missing source",
        {"articles/02.md": "---\nregion: 上海\ntitle: 标题\ndate: 2024-04-16\n---\n正文。\n"},
        [f"{ART}:2: source: required; expected a value"],
    ),
    Case(
        "GBK file",
        {"articles/02.md": article(title="标题").encode("gbk")},
        [f"{ART}:2: file: {gbk('0xC9', '02.md')}"],
    ),
    Case(
        "binary garbage",
        {"articles/02.md": b"\x7fELF\x02\x01\x01\x00\x00\x00garbage"},
        [f"{ART}:1: file: binary data; expected text"],
    ),
    Case(
        "CRLF keeps line numbers",
        {"articles/02.md": article(region="火星").replace("\n", "\r\n").encode()},
        [
            f"{ART}:2: region: unknown region '火星'; expected a provincial-level division "
            "(北京, 上海, …, 澳门), 区域, or a region listed under regions: in publication.yaml or "
            "issue.yaml"
        ],
    ),
    Case(
        "BOM keeps line numbers",
        {"articles/02.md": ("\ufeff" + article(title="''")).encode()},
        [f"{ART}:3: title: {NOT_EMPTY}"],
    ),
    Case(
        "no articles",
        {"articles/01.md": None},
        ["2024-08/articles: articles: no articles; expected one or more .md files"],
    ),
    Case(
        "image from the network",
        {"articles/02.md": article(body="正文。\n\n![图](https://example.org/chart.png)")},
        [
            f"{ART}:9: image: https://example.org/chart.png: only files in the issue folder are "
            "used, nothing from the network; save the image into the issue folder and refer to it "
            "by name"
        ],
    ),
    Case(
        "image outside the issue",
        {"articles/02.md": article(body="正文。\n\n![图](../../secret.png)")},
        [f"{ART}:9: image: ../../secret.png: outside the issue folder; expected a file inside it"],
    ),
    Case(
        "image link leaving the issue",
        {"articles/02.md": article(body="正文。\n\n![图](escape.png)")},
        [
            f"{ART}:9: image: escape.png: a link to a file outside the issue folder; copy the "
            "file itself into the issue folder instead of linking to it"
        ],
        links={"2024-08/escape.png": "publication.yaml"},
    ),
    Case(
        "missing image",
        {"articles/02.md": article(body="正文。\n\n![图](images/chart.png)")},
        [f"{ART}:9: image: images/chart.png: no such file in the issue folder"],
    ),
    Case(
        "corrupt image",
        {
            "articles/02.md": article(body="正文。\n\n![图](chart.png)"),
            "chart.png": b"this is no image",
        },
        [
            f"{ART}:9: image: chart.png: not a PNG, JPEG, GIF, WebP or SVG image (corrupt, or "
            "another kind of file)"
        ],
    ),
    Case(
        "character no font has",
        {"articles/02.md": article(body="正文含有𠀀字。")},
        [
            f"{ART}:7: text: '𠀀' (U+20000 CJK UNIFIED IDEOGRAPH-20000) is not in the bundled "
            "fonts; it would print from another font or as a blank box"
        ],
        strict=True,
    ),
]

CASES += HOSTILE + SLIPS + CARELESS
