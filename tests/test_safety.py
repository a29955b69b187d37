"""Safety: nothing read outside the project, nothing fetched, no partial files, ever."""

from __future__ import annotations

import base64
import signal
import subprocess
import sys
import threading

import pytest

from bulletin.build import build
from bulletin.content.resources import MAX_DATA_URL_BYTES
from bulletin.engine.fetcher import ProjectFetcher
from bulletin.engine.typeset import pdf_bytes, typeset
from tests.conftest import REPO, SAMPLE_ISSUE


@pytest.fixture
def project(tmp_path):
    """An issue folder, a layout folder and a secret file beside them."""
    issue = tmp_path / "issue"
    layout = tmp_path / "layout"
    issue.mkdir()
    layout.mkdir()
    (issue / "ok.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("secret")
    (issue / "escape.css").symlink_to(tmp_path / "secret.txt")
    return tmp_path, ProjectFetcher([issue, layout])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "outside the issue, layout and fonts folders"),
        ("file://{root}/issue/../secret.txt", "outside the issue, layout and fonts folders"),
        ("file://{root}/issue/escape.css", "outside the issue, layout and fonts folders"),
        ("http://example.org/x.css", "nothing from the network"),
        ("https://example.org/x.css", "nothing from the network"),
        ("ftp://example.org/x.css", "nothing from the network"),
        ("file://{root}/issue/missing.css", "no such file"),
    ],
)
def test_fetcher_refuses_every_escape(project, url, reason):
    root, fetcher = project
    url = url.format(root=root)
    with pytest.raises(PermissionError, match=reason):
        fetcher.fetch(url)
    (message,) = fetcher.refused
    assert message.startswith(f"refused to load {url}: ") and reason in message


def test_fetcher_serves_project_files_and_small_data(project):
    root, fetcher = project
    response = fetcher.fetch((root / "issue" / "ok.css").as_uri())
    assert response.read() == b"p { color: red }"
    small = "data:text/plain;base64," + base64.b64encode(b"hi").decode()
    assert fetcher.fetch(small).read() == b"hi"
    big = "data:text/plain;base64," + "A" * (MAX_DATA_URL_BYTES * 4 // 3 + 200)
    with pytest.raises(PermissionError, match="data: URL larger than"):
        fetcher.fetch(big)


@pytest.mark.engine_warnings
def test_refused_loads_never_reach_the_page(project):
    root, _ = project
    html = (
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<img src="https://example.org/x.png"><img src="../secret.txt"><p>正文</p>'
    )
    document = typeset(html, root / "issue", [root / "issue"])
    assert len(document.warnings) >= 3
    assert all("refused to load" in w or "Failed to load" in w for w in document.warnings)
    assert b"secret" not in pdf_bytes(document)


KILL_DURING_WRITE = """
import os, signal, sys
from pathlib import Path
from bulletin import cli
from bulletin.outputs.office import write_pdf
signal.signal(signal.SIGTERM, cli._exit_on_signal)
real_fsync = os.fsync
def fsync_then_die(fd):
    real_fsync(fd)
    os.kill(os.getpid(), signal.{name})
os.fsync = fsync_then_die
write_pdf(Path(sys.argv[1]), b"%PDF- new and longer content" * 1000)
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_build_killed_mid_write_leaves_the_old_pdf_and_no_temporary_file(tmp_path, name):
    target = tmp_path / "issue.pdf"
    target.write_bytes(b"%PDF- previous")
    script = KILL_DURING_WRITE.replace("{name}", name)
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert target.read_bytes() == b"%PDF- previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.pdf"]


def test_sigterm_during_a_real_build_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF- previous")
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "build", str(SAMPLE_ISSUE), "-o", str(target)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    threading.Event().wait(1.5)  # somewhere in the middle of loading or typesetting
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]
    data = target.read_bytes()
    whole_new_pdf = data.startswith(b"%PDF-1") and data.rstrip().endswith(b"%%EOF")
    assert data == b"%PDF- previous" or whole_new_pdf


def test_two_builds_of_the_same_issue_at_once_give_one_whole_pdf(tmp_path):
    target = tmp_path / "same.pdf"
    command = [sys.executable, "-m", "bulletin", "build", str(SAMPLE_ISSUE), "-o", str(target)]
    processes = [
        subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    reference = build(SAMPLE_ISSUE, tmp_path / "reference.pdf").output.read_bytes()
    assert target.read_bytes() == reference
    assert not list(tmp_path.glob(".*.tmp"))


def test_jinja_and_html_in_content_print_as_text(issue_factory):
    from bulletin.content.loader import load_issue
    from bulletin.render.html import render_issue

    issue_factory.article(
        "02",
        title="'{{ config }}<script>x</script>'",
        body="{% for x in range(9) %}{{ x }}{% endfor %} <iframe src=x>\n",
    )
    html = render_issue(load_issue(issue_factory.dir).content).html
    assert "{{ config }}&lt;script&gt;x&lt;/script&gt;" in html
    assert "{% for x in range(9) %}{{ x }}{% endfor %} &lt;iframe src=x&gt;" in html
    assert "<script>" not in html and "<iframe" not in html


def test_nothing_in_the_package_opens_a_network_connection():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "bulletin").rglob("*.py"))
    for forbidden in ("urllib.request", "http.client", "requests", "socket.create_connection"):
        assert forbidden not in source, forbidden
