"""`bulletin watch`: an edit rebuilds the PDF in the same process; a broken edit is reported."""

from __future__ import annotations

import queue
import threading
import urllib.request

import pytest

from bulletin.tools.watch import serve_folder, watch_issue

TIMEOUT = 60  # seconds; generous for a loaded 2-core machine, not a timing assertion


@pytest.fixture
def watching(sample_copy, tmp_path):
    """Start the watch loop in a thread; yields (next rebuild, target PDF)."""
    rebuilds: queue.Queue = queue.Queue()
    stop = threading.Event()
    target = tmp_path / "watched.pdf"
    thread = threading.Thread(
        target=watch_issue,
        args=(sample_copy, target),
        kwargs={"on_rebuild": rebuilds.put, "stop": stop},
        daemon=True,
    )
    thread.start()
    yield (lambda: rebuilds.get(timeout=TIMEOUT)), target
    stop.set()
    thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()


def test_an_edit_rebuilds_the_pdf(watching, sample_copy):
    next_rebuild, target = watching
    first = next_rebuild()
    assert first.errors == [] and first.number == 1
    before = target.read_bytes()
    article = sample_copy / "articles" / "11.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增的一段话。\n", encoding="utf-8")
    second = next_rebuild()
    assert second.errors == [] and second.number == 2
    assert target.read_bytes() != before


def test_a_broken_edit_is_reported_and_the_last_pdf_stays(watching, sample_copy):
    next_rebuild, target = watching
    assert next_rebuild().errors == []
    good = target.read_bytes()
    issue = sample_copy / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("number: 8", "number: [8"), encoding="utf-8")
    broken = next_rebuild()
    assert broken.result is None
    assert any("issue.yaml:3: yaml: malformed YAML" in line for line in broken.errors)
    assert target.read_bytes() == good
    issue.write_text(text, encoding="utf-8")
    assert next_rebuild().errors == []


def test_served_edition_carries_the_reload_script(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>版</body></html>", encoding="utf-8")
    server = serve_folder(tmp_path, 0, lambda: 7)
    port = server.server_address[1]
    try:
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/").read().decode()
        assert "版" in page and 'fetch("/__build"' in page
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/__build").read() == b"7"
    finally:
        server.shutdown()
