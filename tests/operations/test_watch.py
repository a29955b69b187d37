"""`bulletin watch`: an edit rebuilds the PDF in the same process; a broken edit is reported."""

from __future__ import annotations

import http.client
import queue
import socket
import threading
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BuildError
from bulletin.operations.watch import serve_folder, watch_issue

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
    # (the wording of YAML errors is the loader's; here only that the file is named)
    assert any(line.startswith(f"{issue}:") for line in broken.errors), broken.errors
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


@pytest.fixture
def served(tmp_path):
    """An edition folder served on a free port; yields (folder, GET → (status, body))."""
    folder = tmp_path / "edition"
    folder.mkdir()
    server = serve_folder(folder, 0, lambda: 3)
    port = server.server_address[1]

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=TIMEOUT) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    yield folder, get
    server.shutdown()
    server.server_close()


def test_before_the_first_build_the_page_says_so(served, capfd):
    _, get = served
    status, page = get("/")
    assert status == 200
    assert b"the first build is running" in page and b'const seen = "3"' in page
    assert capfd.readouterr().err == ""


def test_only_regular_files_inside_the_folder_are_served(served, tmp_path, capfd):
    folder, get = served
    (folder / "index.html").write_text("<html><body>版</body></html>", encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets" / "web.css").write_text("p {}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (folder / "secret.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "up").symlink_to(tmp_path)
    assert get("/assets/web.css") == (200, b"p {}")
    assert get("/index.html")[0] == 200
    assert get("/secret.txt")[0] == 404
    assert get("/up/secret.txt")[0] == 404
    assert get("/assets/")[0] == 404  # no listing
    assert get("/assets")[0] == 404
    assert get("/%00")[0] == 400
    assert get("/%2e%2e/secret.txt")[0] == 400
    assert get("/%ff")[0] == 400
    assert capfd.readouterr().err == ""


def test_a_taken_or_impossible_port_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BuildError) as busy:
            serve_folder(tmp_path, port, lambda: 0)
    assert str(busy.value) == (
        f"--serve {port}: port: already in use by another program; "
        f"choose another, e.g. --serve {port + 1}"
    )
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--serve", "70000"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "--serve 70000: port: not a port number; choose one from 1024 to 65535"
    ]


def ask(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    """GET `path` from 127.0.0.1 with the Host header a browser elsewhere would send."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_only_this_machines_names_with_its_port_are_answered(served, tmp_path):
    folder, _get = served
    (folder / "index.html").write_text("<html><body>版</body></html>", encoding="utf-8")
    server = serve_folder(folder, 0, lambda: 5)
    port = server.server_address[1]
    try:
        for host in (
            f"localhost:{port}",
            f"127.0.0.1:{port}",
            f"[::1]:{port}",
            f"LOCALHOST:{port}",
        ):
            assert ask(port, "/", host)[0] == 200, host
        refused = (
            "evil.example",
            f"evil.example:{port}",
            f"attacker.example.com:{port}",
            "localhost",
            f"localhost:{port + 1}",
            f"127.0.0.1.nip.io:{port}",
            "",
            None,
        )
        for host in refused:
            for path in ("/", "/index.html", "/__build"):
                assert ask(port, path, host)[0] == 421, (host, path)
    finally:
        server.shutdown()
        server.server_close()


def test_hidden_files_are_never_served(served, tmp_path):
    folder, get = served
    (folder / "index.html").write_text("<html><body>版</body></html>", encoding="utf-8")
    (folder / ".env").write_text("SECRET=1", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]", encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets" / ".web.css.1_abcd_12345678.tmp").write_text("p {}", encoding="utf-8")
    (folder / "plain.txt").symlink_to(folder / ".env")
    (folder / ".hidden-folder").mkdir()
    (folder / ".hidden-folder" / "index.html").write_text("x", encoding="utf-8")
    for path in (
        "/.env",
        "/.git/config",
        "/assets/.web.css.1_abcd_12345678.tmp",
        "/plain.txt",
        "/.hidden-folder/",
        "/%2eenv",
    ):
        status, body = get(path)
        assert status == 404 and b"SECRET" not in body, path
    assert get("/index.html")[0] == 200
