"""Safety: nothing read outside the project, nothing fetched, no partial files, ever."""

from __future__ import annotations

import base64
import re
import signal
import socket
import subprocess
import sys

import pytest

from bulletin.content.resources import MAX_DATA_URL_BYTES
from bulletin.engine.fetcher import ProjectFetcher
from bulletin.engine.typeset import pdf_bytes, typeset
from bulletin.operations.build import build
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
from bulletin.outputs.base import write_pdf
signal.signal(signal.SIGTERM, cli.exit_on_signal)
real_fsync = os.fsync
def fsync_then_die(fd):
    real_fsync(fd)
    print("written, not yet renamed", file=sys.stderr, flush=True)
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
    assert "written, not yet renamed" in done.stderr
    expected = "KeyboardInterrupt" if name == "SIGINT" else ""
    # An uncaught KeyboardInterrupt ends Python as if killed by SIGINT.
    expected_code = -signal.SIGINT if name == "SIGINT" else 128 + signal.SIGTERM
    assert done.returncode == expected_code, done.stderr
    assert expected in done.stderr
    assert target.read_bytes() == b"%PDF- previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.pdf"]


KILL_DURING_BUILD = """
import os, signal, sys
from bulletin import cli
from bulletin.engine import typeset
real_pdf_bytes = typeset.pdf_bytes
def pdf_bytes_then_terminated(*args, **kwargs):
    data = real_pdf_bytes(*args, **kwargs)
    print("typeset, not yet written", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGTERM)
    return data
typeset.pdf_bytes = pdf_bytes_then_terminated
sys.argv = ["bulletin", "build", sys.argv[1], "-o", sys.argv[2]]
cli.main()
"""


def test_sigterm_during_a_real_build_leaves_the_old_pdf_and_no_temporary_file(tmp_path):
    # The signal is sent from inside the build, after typesetting and before writing: it
    # cannot arrive too early or after the build has finished.
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF- previous")
    done = subprocess.run(
        [sys.executable, "-c", KILL_DURING_BUILD, str(SAMPLE_ISSUE), str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "typeset, not yet written" in done.stderr
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert target.read_bytes() == b"%PDF- previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


@pytest.mark.slow
def test_two_builds_of_the_same_issue_at_once_give_one_whole_pdf(tmp_path, sample_office):
    target = tmp_path / "same.pdf"
    command = [sys.executable, "-m", "bulletin", "build", str(SAMPLE_ISSUE), "-o", str(target)]
    processes = [
        subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    reference = sample_office.output.read_bytes()
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
    # Latin words are marked for hyphenation (<span lang="en">range</span>); the text is
    # what the editor typed, escaped.
    text = re.sub(r'<span lang="en">([^<]*)</span>', r"\1", html)
    assert "{{ config }}&lt;script&gt;x&lt;/script&gt;" in text
    assert "{% for x in range(9) %}{{ x }}{% endfor %} &lt;iframe src=x&gt;" in text
    assert "<script>" not in html and "<iframe" not in html


@pytest.mark.engine_warnings
def test_a_build_opens_no_network_connection(sample_copy, monkeypatch):
    # A layout of the user's that asks for addresses on the network, and the sample issue:
    # no socket may be opened or name looked up, whatever is refused on the way.
    from bulletin.data import layouts_dir

    own = sample_copy.parent / "layouts" / "net"
    own.mkdir(parents=True)
    for path in (layouts_dir() / "default").glob("*.*"):
        (own / path.name).write_bytes(path.read_bytes())
    with (own / "style.css").open("a", encoding="utf-8") as css:
        css.write(
            "\n@import url(http://127.0.0.1:9/x.css);\n"
            "body { background: url(https://example.org/x.png) }\n"
        )
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = build(sample_copy, sample_copy.parent / "net.pdf", layout="net")
    assert attempts == []
    assert any("http://127.0.0.1:9/x.css" in w for w in result.warnings)
    assert any("https://example.org/x.png" in w for w in result.warnings)
