"""Editors' slips (issue 16): each named on its true line with the fix, never in parser words."""

from __future__ import annotations

from tests.conftest import ISSUE
from tests.corpus.build import ART, ISSUE_FILE, Case, article

FIELDS = "region: 上海\ntitle: 标题\nsource: 上海证券报\ndate: 2024-04-16"
QUOTE_IT = "put the whole value in quotes"

SLIPS = [
    Case(
        "full-width colon after a field name",
        {"articles/02.md": article().replace("region: ", "region：")},
        [f'{ART}:2: region: a full-width colon "：" after "region"; type a plain colon ":"'],
    ),
    Case(
        "full-width colon in issue.yaml",
        {"issue.yaml": ISSUE.replace("number: ", "number：")},
        [f'{ISSUE_FILE}:2: number: a full-width colon "：" after "number"; type a plain colon ":"'],
    ),
    Case(
        "full-width space after the colon",
        {"articles/02.md": article().replace("source: ", "source:\u3000")},
        [f'{ART}:4: source: a full-width space "\u3000" after "source:"; type a plain space " "'],
    ),
    Case(
        "full-width space before the colon",
        {"articles/02.md": article().replace("title: ", "title\u3000: ")},
        [f'{ART}:3: title: a full-width space "\u3000" after "title"; delete it'],
    ),
    Case(
        "full-width quotes around a value",
        {"articles/02.md": article(title="＂专访：北京＂")},
        [
            f'{ART}:3: title: a full-width quote "＂" around the value; to quote a value type '
            'plain quotes "…", or leave the quotes out'
        ],
    ),
    Case(
        "colon inside an unquoted title",
        {"articles/02.md": article(title="专访: 北京市长谈营商环境")},
        [
            f'{ART}:3: title: a colon and a space ": " inside the value; {QUOTE_IT}: '
            'title: "专访: 北京市长谈营商环境"'
        ],
    ),
    Case(
        "bracket at the start of an unquoted title",
        {"articles/02.md": article(title="[快讯] 深圳发布新政")},
        [
            f'{ART}:3: title: a value starting with a bracket "[" is read as a list; '
            f'{QUOTE_IT}: title: "[快讯] 深圳发布新政"'
        ],
    ),
    Case(
        "curly quotes around a title with a colon",
        {"articles/02.md": article(title="“专访: 北京”")},
        [
            f"{ART}:3: title: curly quotes “ ” do not protect a colon in the value; type plain "
            'quotes "…" instead: title: "专访: 北京"'
        ],
    ),
    Case(
        "title starting with an asterisk",
        {"articles/02.md": article(title="*重要* 北京发布新政")},
        [
            f'{ART}:3: title: a value starting with "*" has a special meaning here; '
            f'{QUOTE_IT}: title: "*重要* 北京发布新政"'
        ],
    ),
    Case(
        "quote never closed",
        {"articles/02.md": article(title='"北京发布新政')},
        [f'{ART}:3: title: the quote " before the value is never closed; add one after it'],
    ),
    Case(
        "tab after the colon",
        {"articles/02.md": article().replace("title: ", "title:\t")},
        [f'{ART}:3: title: a tab after "title:"; type a plain space " "'],
    ),
    Case(
        "tab indentation in front matter",
        {"articles/02.md": article().replace("source:", "\tsource:")},
        [
            f"{ART}:4: source: a tab at the start of the line; remove it (indent with spaces, "
            "never tabs)"
        ],
    ),
    Case(
        "closing line typed with Chinese dashes",
        {"articles/02.md": f"---\n{FIELDS}\n———\n正文。\n"},
        [
            f"{ART}:6: front matter: the line '———' should be three plain hyphens '---' (typed "
            "with the input method in English mode)"
        ],
    ),
    Case(
        "opening line of four hyphens",
        {"articles/02.md": f"----\n{FIELDS}\n---\n正文。\n"},
        [
            f"{ART}:1: front matter: the line '----' should be three plain hyphens '---' (typed "
            "with the input method in English mode)"
        ],
    ),
    Case(
        "closing line missing, no text",
        {"articles/02.md": f"---\n{FIELDS}\n"},
        [
            f"{ART}:1: front matter: the fields are not closed; add a line '---' after the last "
            "field"
        ],
    ),
    Case(
        "control character typed into the front matter",
        {"articles/02.md": article(title="标题\x1b")},
        [
            f"{ART}:3: title: an invisible control character (U+001B) that cannot be printed; "
            "remove it"
        ],
    ),
    Case(
        "month 13",
        {"articles/02.md": article(date="2024-13-01")},
        [f"{ART}:5: date: there is no month 13; check the date (written YYYY-MM-DD)"],
    ),
    Case(
        "29 February in a common year",
        {"articles/02.md": article(date="2023-02-29")},
        [f"{ART}:5: date: there is no 29 February 2023; check the date"],
    ),
    Case(
        "a second set of fields",
        {"issue.yaml": ISSUE + "---\nnumber: 9\n"},
        [
            f"{ISSUE_FILE}:5: yaml: a second '---' line starts another set of fields; keep one "
            "set per file"
        ],
    ),
]
