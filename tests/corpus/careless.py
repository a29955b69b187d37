"""Names, characters and sizes, and careless editors (issue 24): each slip with what to do."""

from __future__ import annotations

from tests.conftest import ISSUE
from tests.corpus.build import ART, ISSUE_FILE, PUB, Case, article, publication

INVISIBLE = "that prints as nothing and is lost from the PDF's text; remove it"
ZWSP = "U+200B ZERO WIDTH SPACE"
LONG = "characters; expected at most 200 (split it, or check for a paste gone wrong)"
ISO = "expected a date written YYYY-MM-DD, got"


def gbk(byte: str, name: str) -> str:
    """The message for a file saved as GBK: its byte, and how to save or convert it."""
    stem = name.rsplit(".", 1)[0]
    return (
        f"GBK (GB 18030) text, not UTF-8 (byte {byte}); save it again as UTF-8 (Notepad: Save "
        f"as, Encoding: UTF-8), or convert it in its folder: iconv -f GB18030 -t UTF-8 {name} "
        f"> {stem}.utf8 && mv {stem}.utf8 {name}"
    )


CARELESS = [
    # ---- file names and encodings
    Case(
        "article file name not UTF-8",
        {"articles/\udcff.md": article(title="标题二")},
        [
            "2024-08/articles/\\xff.md: file: the file's name is not UTF-8 text (written in "
            "another encoding); rename it, e.g. 02.md"
        ],
    ),
    Case(
        "issue file saved as GBK",
        {"issue.yaml": "# 第八期\n".encode("gbk") + ISSUE.encode()},
        [f"{ISSUE_FILE}:1: file: {gbk('0xB5', 'issue.yaml')}"],
    ),
    # ---- invisible characters: errors in fields, warnings in the body
    Case(
        "zero-width space typed into a title",
        {"articles/02.md": article(title="上海\u200b新政")},
        [f"{ART}:3: title: an invisible character ({ZWSP}) {INVISIBLE}"],
    ),
    Case(
        "soft hyphen in a source",
        {"articles/02.md": article(source="上海\u00ad证券报")},
        [f"{ART}:4: source: an invisible character (U+00AD SOFT HYPHEN) {INVISIBLE}"],
    ),
    Case(
        "byte order mark inside a region",
        {"articles/02.md": article(region="上\ufeff海")},
        [f"{ART}:2: region: an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE) {INVISIBLE}"],
    ),
    Case(
        "zero-width joiner in an editor's name",
        {"issue.yaml": ISSUE + "editors: [贺\u200d然]\n"},
        [f"{ISSUE_FILE}:5: editors: an invisible character (U+200D ZERO WIDTH JOINER) {INVISIBLE}"],
    ),
    Case(
        "title made only of a zero-width space",
        {"articles/02.md": article(title="\u200b")},
        [f"{ART}:3: title: only invisible characters ({ZWSP}), so it is empty; write the value"],
    ),
    Case(
        "title made only of zero-width spaces from a YAML escape",
        {"articles/02.md": article(title='"\\u200B\\u200B"')},
        [f"{ART}:3: title: only invisible characters ({ZWSP}), so it is empty; write the value"],
    ),
    Case(
        "body made only of a zero-width space",
        {"articles/02.md": article(body="\u200b")},
        [f"{ART}:7: body: must not be empty (it holds only invisible characters)"],
    ),
    Case(
        "soft hyphen in the body",
        {"articles/02.md": article(body="正文\u00ad。")},
        [f"{ART}:7: body: an invisible character (U+00AD SOFT HYPHEN) {INVISIBLE}"],
        strict=True,
    ),
    Case(
        "zero-width space from an HTML entity in the body",
        {"articles/02.md": article(body="正文。\n\n零宽&#x200B;空格。")},
        [f"{ART}:9: body: an invisible character ({ZWSP}) {INVISIBLE}"],
        strict=True,
    ),
    # ---- look-alike regions
    Case(
        "region with a compatibility ideograph",
        {"articles/02.md": article(region="上\ufa45")},
        [
            f"{ART}:2: region: unknown region: 上\ufa45 (U+4E0A U+FA45) is not 上海 (U+4E0A "
            "U+6D77); type 上海 again"
        ],
    ),
    Case(
        "listed region with a compatibility ideograph",
        {"../publication.yaml": publication("regions", "regions: [区域, 上\ufa45, 广东]")},
        [
            f"{PUB}:12: regions: region 上\ufa45 (U+4E0A U+FA45) is not 上海 (U+4E0A U+6D77); "
            "type 上海 again"
        ],
    ),
    # ---- name budgets
    Case(
        "region of 20,000 characters",
        {"articles/02.md": article(region="地" * 20_000)},
        [f"{ART}:2: region: 20000 {LONG}"],
    ),
    Case(
        "listed region of 300 characters",
        {"issue.yaml": ISSUE + "regions: [区域, " + "地" * 300 + "]\n"},
        [f"{ISSUE_FILE}:5: regions[1]: 300 {LONG}"],
    ),
    Case(
        "fifty-one listed regions",
        {"issue.yaml": ISSUE + "regions: [" + ", ".join(f"地区{n}" for n in range(51)) + "]\n"},
        [f"{ISSUE_FILE}:5: regions: 51 entries; expected at most 50"],
    ),
    Case(
        "coordinator name of 201 characters",
        {"../publication.yaml": publication("coordinators", "coordinators: [" + "长" * 201 + "]")},
        [f"{PUB}:9: coordinators[0]: 201 {LONG}"],
    ),
    Case(
        "source of 300 characters",
        {"articles/02.md": article(source="报" * 300)},
        [f"{ART}:4: source: 300 {LONG}"],
    ),
    # ---- dates written the Chinese way, and dates typed into the source
    Case(
        "source date in Chinese",
        {"articles/02.md": article(date="2024年4月9日")},
        [f"{ART}:5: date: {ISO} '2024年4月9日'; write 2024-04-09"],
    ),
    Case(
        "source date with slashes",
        {"articles/02.md": article(date="2024/4/9")},
        [f"{ART}:5: date: {ISO} '2024/4/9'; write 2024-04-09"],
    ),
    Case(
        "source date without leading zeros",
        {"articles/02.md": article(date="2024-4-9")},
        [f"{ART}:5: date: {ISO} '2024-4-9'; write 2024-04-09"],
    ),
    Case(
        "impossible date in Chinese",
        {"articles/02.md": article(date="2024年2月30日")},
        [f"{ART}:5: date: {ISO} '2024年2月30日'"],
    ),
    Case(
        "source ending in its own date",
        {"articles/02.md": article(source="上海证券报 20240416")},
        [
            f"{ART}:4: source: the source ends in its date (20240416), which is printed from "
            "date: as well; remove it from the source"
        ],
        strict=True,
    ),
    Case(
        "source ending in a date, date left empty",
        {"articles/02.md": article(source="上海证券报 2024年4月9日", date="")},
        [
            f"{ART}:4: source: the source ends in a date (2024年4月9日); move it to the date "
            "field: date: 2024-04-09"
        ],
        strict=True,
    ),
    Case(
        "source ending in another date",
        {"articles/02.md": article(source="上海证券报2024.4.9")},
        [
            f"{ART}:4: source: the source ends in a date (2024.4.9) that differs from date: "
            "2024-04-16; remove it from the source and keep the right one in date:"
        ],
        strict=True,
    ),
    # ---- a region marker and a title together, as a back issue prints them
    Case(
        "region and title in the region field",
        {"articles/02.md": article(region="【广东】深圳发布新政")},
        [
            f"{ART}:2: region: the region and the title are written together; write region: "
            "广东 and title: 深圳发布新政 on lines of their own"
        ],
    ),
    Case(
        "title starting with a region marker",
        {"articles/02.md": article(title="【上 海】八个区域打造集聚区")},
        [
            f"{ART}:3: title: the title starts with a region marker, and the section heading "
            "prints the region already; write region: 上海 and title: 八个区域打造集聚区"
        ],
    ),
    # ---- field names
    Case(
        "field name in Chinese",
        {"articles/02.md": article().replace("source:", "来源:")},
        [
            f"{ART}:2: source: required; expected a value",
            f"{ART}:4: 来源: unknown field; did you mean source?",
        ],
    ),
    Case(
        "field name with a capital",
        {"issue.yaml": ISSUE.replace("print_date", "Print_Date")},
        [
            f"{ISSUE_FILE}:1: print_date: required; expected a value",
            f"{ISSUE_FILE}:4: Print_Date: unknown field; did you mean print_date?",
        ],
    ),
]
