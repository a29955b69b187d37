"""Hostile input (issue 11): files from outside, inputs over budget, characters that hide."""

from __future__ import annotations

import base64

from tests.conftest import ARTICLE, ISSUE
from tests.corpus.build import ART, ISSUE_FILE, PUB, Case, article, issue, jpeg, png, publication

LINKED = "copy the file itself into the issue folder instead of linking to it"
IMAGE = "正文。\n\n![图]({})"  # the image is on line 9 of the article
BOMB = png(13000, 13000)  # a 169-megapixel header over a few bytes of data
TOO_MANY_PIXELS = (
    "13000 × 13000 pixels (169 megapixels); expected at most 50 megapixels (save a smaller "
    "copy of the picture)"
)
DAMAGED = "the picture is incomplete or damaged; save it again from the original"
ESCAPE = "an invisible control character (U+001B) that cannot be printed; remove it"
RLO = (
    "an invisible direction mark (U+202E RIGHT-TO-LEFT OVERRIDE) that reorders the text; remove it"
)
NO_FONT = "is not in the bundled fonts; it would print from another font or as a blank box"
INLINE_BOMB = "data:image/png;base64," + base64.b64encode(BOMB).decode()
LONG_NAME = "图" * 90 + ".png"  # 274 bytes: longer than a file name may be

HOSTILE = [
    # ---- one file policy: what the loader opens lies inside the issue (or publication) folder
    Case(
        "article linked from outside the issue",
        {"../outside.md": article(title="外部文章")},
        [f"{ART}: file: a link to a file outside the issue folder; {LINKED}"],
        links={ART: "outside.md"},
    ),
    Case(
        "articles folder linked from outside the issue",
        {"articles": None, "../elsewhere/01.md": ARTICLE},
        [
            "2024-08/articles: articles: a link to a folder outside the issue folder; copy the "
            "folder itself into the issue folder instead of linking to it"
        ],
        links={"2024-08/articles": "elsewhere"},
    ),
    Case(
        "issue file linked from outside the issue",
        {"issue.yaml": None, "../other/issue.yaml": ISSUE},
        [f"{ISSUE_FILE}: file: a link to a file outside the issue folder; {LINKED}"],
        links={ISSUE_FILE: "other/issue.yaml"},
    ),
    Case(
        "issue's own publication file linked from outside the issue",
        {},
        [f"2024-08/{PUB}: file: a link to a file outside the issue folder; {LINKED}"],
        links={f"2024-08/{PUB}": PUB},
    ),
    Case(
        "publication file linked from outside its folder",
        {"../nested/2024-08/issue.yaml": ISSUE, "../nested/2024-08/articles/01.md": ARTICLE},
        [
            f"nested/{PUB}: file: a link to a file outside the publication folder; copy the "
            "file itself into the publication folder instead of linking to it"
        ],
        links={f"nested/{PUB}": PUB},
        check="nested/2024-08",
    ),
    # ---- budgets
    Case(
        "YAML nested 600 deep",
        {"issue.yaml": ISSUE + "editors: " + "[" * 600 + "]" * 600 + "\n"},
        [
            f"{ISSUE_FILE}:5: editors: values nested more than 20 levels deep (brackets inside "
            'brackets, or ever deeper indenting); write each field as "name: value"'
        ],
    ),
    Case(
        "YAML file over 100 KB",
        {"issue.yaml": ISSUE + "# " + "x" * 200_000 + "\n"},
        [
            f"{ISSUE_FILE}: yaml: 195 KB of fields; expected at most 100 KB (is this the right "
            "file, and are the '---' lines in place?)"
        ],
    ),
    Case(
        "front matter over 100 KB",
        {"articles/02.md": article(title="长" * 40_000)},
        [
            f"{ART}: front matter: 117 KB of fields; expected at most 100 KB (is this the "
            "right file, and are the '---' lines in place?)"
        ],
    ),
    Case(
        "article file over 10 MB",
        {"articles/02.md": article(body="字" * 3_600_000)},
        [
            f"{ART}: file: larger than 10 MB; a content file is far smaller (is this the right "
            "file?)"
        ],
    ),
    Case(
        "WeChat address of 4,000 characters",
        {
            "../publication.yaml": publication(
                "wechat_url", "wechat_url: https://x.org/" + "w" * 3986
            )
        },
        [
            f"{PUB}:5: wechat_url: an address of 4000 characters; expected at most 500 (check "
            "for a paste gone wrong)"
        ],
    ),
    Case(
        "e-edition address with a padding format",
        {
            "../publication.yaml": publication(
                "e_edition_url", "e_edition_url: https://x.org/{number:>100000000}/"
            )
        },
        [
            f"{PUB}:6: e_edition_url: {{number:>100000000}}: only zero padding may follow the "
            "name, as in {number:02d}"
        ],
    ),
    Case(
        "e-edition address with a conversion",
        {"../publication.yaml": publication("e_edition_url", "e_edition_url: https://x/{slug!r}")},
        [f"{PUB}:6: e_edition_url: {{slug!r}}: write {{slug}}, with nothing after the name"],
    ),
    Case(
        "e-edition address with a lone brace",
        {"../publication.yaml": publication("e_edition_url", "e_edition_url: https://x/{year")},
        [
            f'{PUB}:6: e_edition_url: a brace "{{" or "}}" without its partner; placeholders '
            "are written like {year} (type {{ or }} for a brace itself)"
        ],
    ),
    Case(
        "e-edition address that grows past 500 characters",
        {
            "../publication.yaml": publication(
                "e_edition_url", "e_edition_url: https://x/" + "{slug}" * 20
            )
        },
        [
            f"{PUB}:6: e_edition_url: the address can grow to 810 characters once the "
            "placeholders are filled in; expected at most 500"
        ],
    ),
    Case(
        "sponsor name of 300 characters",
        {"../publication.yaml": publication("sponsors", "sponsors: [" + "长" * 300 + "]")},
        [
            f"{PUB}:7: sponsors[0]: 300 characters; expected at most 200 (split it, or check "
            "for a paste gone wrong)"
        ],
    ),
    Case(
        "cumulative number past the budget",
        {"issue.yaml": issue(cumulative="10000000")},
        [f"{ISSUE_FILE}:3: cumulative: expected a number at most 999999, got 10000000"],
    ),
    # ---- images: measured before decoding, read to the end, and only pictures
    Case(
        "image of 13000 × 13000 pixels",
        {"articles/02.md": article(body=IMAGE.format("big.png")), "big.png": BOMB},
        [f"{ART}:9: image: big.png: {TOO_MANY_PIXELS}"],
    ),
    Case(
        "inline image of 13000 × 13000 pixels",
        {"articles/02.md": article(body=IMAGE.format(INLINE_BOMB))},
        [f"{ART}:9: image: {INLINE_BOMB[:77]}…: {TOO_MANY_PIXELS}"],
    ),
    Case(
        "truncated PNG",
        {"articles/02.md": article(body=IMAGE.format("cut.png")), "cut.png": png()[:-20]},
        [f"{ART}:9: image: cut.png: {DAMAGED}"],
    ),
    Case(
        "truncated JPEG",
        {"articles/02.md": article(body=IMAGE.format("cut.jpg")), "cut.jpg": jpeg()[:400]},
        [f"{ART}:9: image: cut.jpg: {DAMAGED}"],
    ),
    Case(
        "HTML saved as PNG",
        {
            "articles/02.md": article(body=IMAGE.format("page.png")),
            "page.png": b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            b"<body><p>hi</p></body></html>\n",
        },
        [
            f"{ART}:9: image: page.png: a web page (HTML), not a picture; save the picture "
            "itself as PNG or JPEG"
        ],
    ),
    Case(
        "image name with %00",
        {"articles/02.md": article(body=IMAGE.format("chart%00.png"))},
        [
            f"{ART}:9: image: chart%00.png: the name contains a NUL character (%00); write "
            "the file's own name"
        ],
    ),
    Case(
        "image name longer than a file name may be",
        {"articles/02.md": article(body=IMAGE.format(LONG_NAME))},
        [
            f"{ART}:9: image: {LONG_NAME[:77]}…: a file name longer than 255 bytes; give the "
            "file a shorter name"
        ],
    ),
    # ---- characters, checked on what reaches the page: after YAML escapes and entities
    Case(
        "escape character from a YAML escape",
        {"articles/02.md": article(title='"标题\\e[31m"')},
        [f"{ART}:3: title: {ESCAPE}"],
    ),
    Case(
        "C1 control character from a YAML escape",
        {"articles/02.md": article(source='"上海\\x9b证券报"')},
        [
            f"{ART}:4: source: an invisible control character (U+009B) that cannot be "
            "printed; remove it"
        ],
    ),
    Case(
        "tab from a YAML escape in a title",
        {"articles/02.md": article(title='"标\\t题"')},
        [
            f"{ART}:3: title: an invisible control character (U+0009) that cannot be printed; "
            "remove it"
        ],
    ),
    Case(
        "direction override typed into a source",
        {"articles/02.md": article(source="上海\u202e证券报")},
        [f"{ART}:4: source: {RLO}"],
    ),
    Case(
        "direction mark from a YAML escape",
        {"articles/02.md": article(title='"标题\\u200F"')},
        [
            f"{ART}:3: title: an invisible direction mark (U+200F RIGHT-TO-LEFT MARK) that "
            "reorders the text; remove it"
        ],
    ),
    Case(
        "direction override from an HTML entity",
        {"articles/02.md": article(body="正文。\n\n倒序&#x202E;文字。")},
        [f"{ART}:9: body: {RLO}"],
    ),
    Case(
        "line separator pasted into a title",
        {"articles/02.md": article(title="标题\u2028续")},
        [
            f"{ART}:3: title: an invisible line break (U+2028 LINE SEPARATOR); remove it, or "
            "start a new line instead"
        ],
    ),
    Case(
        "control character typed into the body",
        {"articles/02.md": article(body="正文\x07。")},
        [
            f"{ART}:7: body: an invisible control character (U+0007) that cannot be "
            "printed; remove it"
        ],
    ),
    Case(
        "emoji from a YAML escape",
        {"articles/02.md": article(title='"标题\\U0001F600"')},
        [f"{ART}:3: text: '😀' (U+1F600 GRINNING FACE) {NO_FONT}"],
        strict=True,
    ),
    Case(
        "emoji from an HTML entity",
        {"articles/02.md": article(body="正文。\n\n表情&#x1F600;。")},
        [f"{ART}:9: text: '😀' (U+1F600 GRINNING FACE) {NO_FONT}"],
        strict=True,
    ),
    # ---- duplicate keys
    Case(
        "field written twice in an article",
        {"articles/02.md": article(title="标题").replace("date:", "title: 另一个\ndate:")},
        [f"{ART}:5: title: written twice, on lines 3 and 5; keep one of them"],
    ),
    Case(
        "field written twice in issue.yaml",
        {"issue.yaml": ISSUE + "number: 9\n"},
        [f"{ISSUE_FILE}:5: number: written twice, on lines 2 and 5; keep one of them"],
    ),
]
