"""A new publication in any folder: a commented publication.yaml and a first issue that builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bulletin.atomic import write_atomically
from bulletin.content.loader import ARTICLES_DIR, ISSUE_FILE, PUBLICATION_FILE, display_path
from bulletin.errors import ContentError, Problem
from bulletin.i18n import _

# Every value marked 【待填写】 is a placeholder: valid, so the first issue builds at once,
# and plain to see in the PDF until someone replaces it.
PUBLICATION_TEMPLATE = """\
# The publication: what stays the same from issue to issue.
# Every value marked 【待填写】 (to fill in) is a placeholder; replace it before printing.
# Each issue is a folder beside this file (YYYY-NN/) with issue.yaml and articles/.
name: 刊物名称【待填写】              # masthead, e.g. 双周决策观察
subtitle: 副标题【待填写】            # e.g. 地方工作亮点追踪
short_name: KW                        # short name on the back cover, e.g. BRI
slug: {slug}                          # file names: out/{slug}-YYYY-NN-N.pdf
wechat_label: 微信公众号【待填写】     # caption under the cover QR code
# Placeholder: the cover QR code encodes this address; put the real WeChat link here.
wechat_url: https://example.org/wechat
# Placeholder: the back-cover QR code, each issue's e-edition.
# {{year}}, {{number}} ({{number:02d}} gives 08), {{cumulative}} and {{slug}} are filled in.
e_edition_url: https://example.org/{{slug}}/{{year}}-{{number:02d}}/
sponsors: [主办单位【待填写】]
editors: [编辑姓名【待填写】]
coordinators: []
phone: 000-00000000                   # placeholder
fax: 000-00000000                     # placeholder; delete the line if there is none
# Sections appear in this order; every article names one of these regions.
regions: [区域, 地方]
slogan: 刊物标语【待填写】
back_cover_caption: 扫描二维码，敬请详看电子版
layout: default                       # or a folder of your own: layouts/NAME/ beside this file
interval_days: 14                     # `bulletin new` dates the next issue this many days on
"""

ISSUE_TEMPLATE = """\
# Numbers of this issue; `bulletin new` counts on from the latest issue.
year: {year}
number: 1            # number within the year
cumulative: 1        # number since the first issue (总第 N 期)
print_date: {date}   # YYYY-MM-DD
"""

ARTICLE_TEMPLATE = """\
---
# One article per file, printed in file-name order: 01.md, 02.md, …
region: 地方                     # one of the regions in publication.yaml
title: 示例文章标题【待填写】
source: 来源报刊【待填写】        # the outlet the news comes from
date: {date}                   # its date, YYYY-MM-DD, not after the print date
---
这是一篇示例文章。每段一行，段落之间空一行。把这里换成正文。

## 小标题（可选）

正文第二段。**加粗** 和 [链接](https://example.org/) 照常书写。
"""


def init_publication(folder: Path, today: dt.date | None = None) -> tuple[Path, Path]:
    """Create `folder`/publication.yaml and a first issue; refuse to touch an existing one."""
    folder = Path(folder)
    today = today or dt.date.today()
    publication = folder / PUBLICATION_FILE
    issue_dir = folder / f"{today.year}-01"
    taken = [path for path in (publication, issue_dir) if path.exists()]
    if taken:
        raise ContentError(
            [
                Problem(
                    display_path(p),
                    None,
                    "init",
                    _("already exists; nothing was changed (choose a new folder)"),
                )
                for p in taken
            ]
        )
    slug = "".join(c for c in folder.resolve().name.lower() if c.isascii() and c.isalnum())
    try:
        (issue_dir / ARTICLES_DIR).mkdir(parents=True)
        write_atomically(publication, PUBLICATION_TEMPLATE.format(slug=slug or "bulletin"))
        write_atomically(issue_dir / ISSUE_FILE, ISSUE_TEMPLATE.format(year=today.year, date=today))
        write_atomically(issue_dir / ARTICLES_DIR / "01.md", ARTICLE_TEMPLATE.format(date=today))
    except OSError as error:
        where = error.filename or folder
        raise ContentError(
            [
                Problem(
                    display_path(Path(where)),
                    None,
                    "init",
                    _("cannot write: {reason}").format(reason=error.strerror),
                )
            ]
        ) from None
    return publication, issue_dir
