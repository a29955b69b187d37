"""Shared fixtures: the sample issue, the seed text, and a factory for small issues on disk."""

from __future__ import annotations

import logging
import os
import shutil
import textwrap
from pathlib import Path

import pytest

# Messages are compared word for word in English: a developer's Chinese locale must not change
# them (tests/test_messages.py sets the language it checks explicitly).
os.environ["BULLETIN_LANG"] = "en"

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ISSUE = REPO / "content" / "2024-08"
SEED = REPO / "tests" / "fixtures" / "bri-2024-08.txt"

PUBLICATION = """\
name: 双周决策观察
subtitle: 地方工作亮点追踪
short_name: BRI
wechat_label: 研究院微信
wechat_url: https://example.org/bri/wechat
e_edition_url: https://example.org/bri/{year}-{number:02d}/
sponsors: [天津滨海综合发展研究院, 泰达图书馆档案馆]
editors: [贺然, 金敏毓]
coordinators: [史继平]
phone: 022-66222942
fax: 022-66222940
regions: [区域, 上海, 广东]
slogan: 洞悉基层创新 启迪新政新思
back_cover_caption: 扫描二维码，敬请详看《BRI 双周决策观察》电子版
"""

ISSUE = """\
year: 2024
number: 8
cumulative: 282
print_date: 2024-04-25
"""

ARTICLE = """\
---
region: 上海
title: 上海支持八个区域打造股权投资集聚区
source: 上海证券报
date: 2024-04-16
---
近日，上海市委金融办发布通知，支持浦东新区等八个区域打造股权投资集聚区。

下一步，上海将支持股权投资集聚区加强综合服务。
"""


class IssueFactory:
    """Writes a small valid issue under tmp_path; tests then break one thing at a time."""

    def __init__(self, root: Path):
        self.root = root
        self.dir = root / "2024-08"
        (self.dir / "articles").mkdir(parents=True)
        self.write("../publication.yaml", PUBLICATION)
        self.write("issue.yaml", ISSUE)
        self.write("articles/01.md", ARTICLE)

    def write(self, name: str, text: str | bytes) -> Path:
        path = (self.dir / name).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def article(self, name: str, *, body: str = "正文一段。\n", **fields: str) -> Path:
        front = {
            "region": "上海",
            "title": f"标题{name}",
            "source": "上海证券报",
            "date": "2024-04-16",
        }
        front.update(fields)
        lines = ["---", *(f"{k}: {v}" for k, v in front.items()), "---", body]
        return self.write(f"articles/{name}.md", "\n".join(lines))


@pytest.fixture
def issue_factory(tmp_path, monkeypatch) -> IssueFactory:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder
    return IssueFactory(tmp_path)


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(f"the seed issue is missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_office(tmp_path_factory):
    """The sample issue's office PDF, built once (strictly) for every test that only reads it."""
    from bulletin.operations.build import build

    result = build(SAMPLE_ISSUE, tmp_path_factory.mktemp("sample") / "sample.pdf", strict=True)
    assert result.warnings == []
    return result


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample issue with its publication file."""
    shutil.copy(REPO / "content" / "publication.yaml", tmp_path / "publication.yaml")
    return Path(shutil.copytree(SAMPLE_ISSUE, tmp_path / SAMPLE_ISSUE.name))


def pytest_configure(config):
    # `pytest -m "not slow"` leaves out what builds wheels, many issues or whole sites (a few
    # seconds each); `make test` runs everything.
    config.addinivalue_line(
        "markers", "slow: a test that takes seconds (deselect with -m 'not slow')"
    )
    config.addinivalue_line(
        "markers", "engine_warnings: the test expects WeasyPrint to warn (e.g. refused loads)"
    )


@pytest.fixture(autouse=True)
def engine_stays_quiet(request, caplog):
    """Like WeasyPrint's own assert_no_logs: any engine warning fails the test."""
    caplog.set_level(logging.WARNING, logger="bulletin.engine")
    yield
    if request.node.get_closest_marker("engine_warnings"):
        return
    warnings = [r.getMessage() for r in caplog.records if r.name == "bulletin.engine"]
    assert warnings == [], "the engine warned"


@pytest.fixture(scope="session")
def browser() -> str:
    """Headless Chromium for the e-edition and site tests: skipped on a laptop without it,
    a failure in CI, where `make test` installs it."""
    names = (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome")
    found = next((shutil.which(name) for name in names if name and shutil.which(name)), None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make test` installs Debian's chromium")
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium)")
    return found
