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
# 刊物信息：各期相同的内容。
# 标有【待填写】的值都是占位内容，印刷前请逐一替换。
# 每一期是本文件旁边的一个文件夹（YYYY-NN/），内有 issue.yaml 和 articles/。
name: 刊物名称【待填写】              # 刊名，例如 双周决策观察
subtitle: 副标题【待填写】            # 例如 地方工作亮点追踪
short_name: KW                        # 封底简称，例如 BRI
slug: {slug}                          # 文件名用：out/{slug}-YYYY-NN-N.pdf（小写字母、数字和 -）
wechat_label: 微信公众号【待填写】     # 封面二维码下的说明
# 占位地址：封面二维码即此地址，请换成真实的微信链接。
wechat_url: https://example.org/wechat
# 占位地址：封底二维码，指向每期电子版。
# {{year}}、{{number}}（{{number:02d}} 得 08）、{{cumulative}} 和 {{slug}} 会自动填入。
e_edition_url: https://example.org/{{slug}}/{{year}}-{{number:02d}}/
sponsors: [主办单位【待填写】]
editors: [编辑姓名【待填写】]
coordinators: []
phone: 000-00000000                   # 占位号码
fax: 000-00000000                     # 占位号码；没有传真就删去这一行
# 各栏目按此顺序排列；每篇文章的 region 须是其中之一。
regions: [区域, 地方]
slogan: 刊物标语【待填写】
back_cover_caption: 扫描二维码，敬请详看电子版
layout: default                       # 版式；也可用本文件旁 layouts/NAME/ 中自己的版式
interval_days: 14                     # `bulletin new` 把下一期的日期排在这么多天之后
"""

ISSUE_TEMPLATE = """\
# 本期期号；`bulletin new` 从最近一期往后数。
year: {year}
number: 1            # 当年第几期
cumulative: 1        # 总第几期（总第 N 期）
print_date: {date}   # 印发日期，写作 YYYY-MM-DD
"""

ARTICLE_TEMPLATE = """\
---
# 一篇文章一个文件，按文件名顺序印出：01.md、02.md……
region: 地方                     # 地区：publication.yaml 中 regions 所列之一
title: 示例文章标题【待填写】
source: 来源报刊【待填写】        # 来源：消息出自的报刊，不写日期
date: {date}                   # 日期：写作 YYYY-MM-DD，不晚于印发日期
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
