"""The site checks each issue as `build` does: its warnings are said, and `strict` stops it."""

from __future__ import annotations

import pytest

from bulletin.errors import ContentError
from bulletin.operations.site import build_site

# An Extension B ideograph the bundled fonts lack: `check` warns, `check --strict` refuses.
MISSING = "\U00020000"


def test_a_character_the_fonts_lack_is_said_by_the_site_and_refused_when_strict(
    issue_factory, tmp_path_factory
):
    issue_factory.article("02", title="标题", body=f"正文里有{MISSING}一个字。\n")
    content = issue_factory.root
    sites = tmp_path_factory.mktemp("sites")
    result = build_site(content, sites / "site", build_pdfs=False)
    assert any("U+20000" in line for line in result.warnings), result.warnings
    with pytest.raises(ContentError) as refused:
        build_site(content, sites / "strict", build_pdfs=False, strict=True)
    assert any("U+20000" in line for line in refused.value.lines())
