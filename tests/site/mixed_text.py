"""Two generated issues whose articles mix Chinese with Latin letters and digits, for search."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, SAMPLE_ISSUE

# (slug, region, title, body): Latin tokens beside Han with and without a space, digits that
# are not the token (5 个, 第 5 届, 3.5GHz, 4G), and the same token in other letter cases.
ISSUES: dict[str, list[tuple[str, str, str, str]]] = {
    "2024-09": [
        (
            "01",
            "广东",
            "广东5G基站突破30万个",
            "截至年底，全省建成5G基站30万个，5G用户突破5000万户。",
        ),
        (
            "02",
            "上海",
            "上海确定5个试点园区",
            "全市确定5个试点园区，每个园区补助500万元，分5 个批次实施。",
        ),
        (
            "03",
            "广东",
            "深圳支持低空经济发展",
            "深圳出台条例，支持eVTOL（电动垂直起降飞行器）开展试飞。",
        ),
        ("04", "北京", "北京鼓励企业风险投资", "鼓励龙头企业设立CVC基金，引导社会资本投早投小。"),
        ("05", "江苏", "江苏推进4G网络升级", "全省4G网络覆盖全部行政村，3.5GHz频段完成清频。"),
        ("06", "浙江", "浙江建设量子通信走廊", "杭州提出建设量子通信走廊，连接两大园区。"),
    ],
    "2024-10": [
        ("01", "北京", "北京发布5G-A行动计划", "推动5G-A网络规模部署，支持“5G+工业互联网”应用。"),
        ("02", "上海", "上海建设EVTOL起降场", "规划建设EVTOL 起降场10个，试点evtol城市航线。"),
        ("03", "浙江", "浙江举办第5届数字博览会", "第5届博览会将于5月举行，G 字头列车加密开行。"),
        ("04", "江苏", "江苏设立CVCA服务中心", "设立CVCA服务中心，为基金提供登记服务。"),
        ("05", "区域", "长三角共建算力网络", "三省一市共建算力调度平台，接入5 G 以外的多种网络。"),
    ],
}


def mixed_content(root: Path) -> Path:
    """A content folder: the sample issue and the two issues above."""
    content = root / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "publication.yaml", content)
    shutil.copytree(SAMPLE_ISSUE, content / "2024-08")
    for cumulative, (key, articles) in enumerate(ISSUES.items(), start=283):
        year, number = key.split("-")
        folder = content / key / "articles"
        folder.mkdir(parents=True)
        (folder.parent / "issue.yaml").write_text(
            f"year: {year}\nnumber: {int(number)}\ncumulative: {cumulative}\n"
            f"print_date: {year}-05-{int(number) + 1:02d}\n",
            encoding="utf-8",
        )
        for slug, region, title, body in articles:
            (folder / f"{slug}.md").write_text(
                f"---\nregion: {region}\ntitle: {title}\nsource: 测试日报\ndate: 2024-05-01\n"
                f"---\n{body}\n",
                encoding="utf-8",
            )
    return content
