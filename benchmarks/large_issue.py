"""Makes large issues from the sample: its articles repeated with numbered titles."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "content" / "2024-08"


def make_large_issue(folder: Path, copies: int) -> Path:
    """An issue with `copies` times the sample's 11 articles (about 6 pages per copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content" / "publication.yaml", folder / "publication.yaml")
    issue = folder / "2024-08"
    (issue / "articles").mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE / "issue.yaml", issue / "issue.yaml")
    sources = sorted((SAMPLE / "articles").glob("*.md"))
    number = 0
    for copy in range(1, copies + 1):
        for source in sources:
            number += 1
            text = source.read_text(encoding="utf-8")
            if copy > 1:
                text = re.sub(
                    r"^title: (.*)$", rf"title: \1（之{copy}）", text, count=1, flags=re.MULTILINE
                )
            (issue / "articles" / f"{number:03d}.md").write_text(text, encoding="utf-8")
    return issue
