"""Interrupts and leftovers: a stopped batch, killed writers' temporary files, watch's output."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin import atomic
from bulletin.cli import app
from bulletin.errors import BuildError
from bulletin.operations.watch import watch_issue

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds; a bound for a hung process, not a timing assertion
ISSUES = 5


def issue_series(issue_factory) -> list[Path]:
    """The factory's issue and the four after it, each numbered after the one before."""
    article = (issue_factory.dir / "articles" / "01.md").read_text(encoding="utf-8")
    folders = [issue_factory.dir]
    for number in range(9, 8 + ISSUES):
        folder = issue_factory.root / f"2024-{number:02d}"
        (folder / "articles").mkdir(parents=True)
        (folder / "issue.yaml").write_text(
            f"year: 2024\nnumber: {number}\ncumulative: {274 + number}\n"
            f"print_date: 2024-{number:02d}-01\n",
            encoding="utf-8",
        )
        (folder / "articles" / "01.md").write_text(article, encoding="utf-8")
        folders.append(folder)
    return folders


def first_pdf(folder: Path, process: subprocess.Popen) -> None:
    """Wait until the batch has put its first whole PDF into `folder`."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if folder.is_dir() and any(p.suffix == ".pdf" for p in folder.iterdir()):
            return
        time.sleep(0.02)
    pytest.fail(f"no PDF appeared; exit code {process.poll()}")


@pytest.mark.parametrize(("name", "jobs"), [("SIGTERM", 2), ("SIGINT", 1)])
def test_a_signal_stops_a_batch_and_leaves_only_whole_pdfs(issue_factory, tmp_path, name, jobs):
    # jobs 2: worker processes, terminated; jobs 1: the build in the command's own process.
    number = getattr(signal, name)
    out = tmp_path / "pdfs"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "bulletin", "build", *issue_series(issue_factory)]
    process = subprocess.Popen(
        [*map(str, command), "-o", str(out), "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    try:
        first_pdf(out, process)
        process.send_signal(number)
        sent = time.monotonic()
        stdout, stderr = process.communicate(timeout=TIMEOUT)
        took = time.monotonic() - sent
    finally:
        process.kill()
    assert process.returncode == 128 + number, stderr
    by = "Ctrl-C" if name == "SIGINT" else "SIGTERM"
    last = stderr.splitlines()[-1]
    stopped = re.fullmatch(
        rf"stopped by {by}: (\d) of {ISSUES} issues built, the other (\d) cancelled", last
    )
    assert stopped, stderr
    built, cancelled = map(int, stopped.groups())
    assert built + cancelled == ISSUES and cancelled >= 1
    assert "Traceback" not in stderr and "internal error" not in stderr
    left = sorted(p.name for p in out.iterdir())
    assert all(n.startswith("bri-2024-") and n.endswith(".pdf") for n in left), left
    assert built <= len(left) < ISSUES
    for pdf in out.iterdir():
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert stdout.count(".pdf: 4 pages") == built
    assert list(scratch.iterdir()) == []  # the engine's copies of the fonts are gone too
    assert took < 10  # generous for a loaded machine; the old code built every issue first


TERMINATED_MID_WRITE = """
import os, signal, sys
from pathlib import Path
from bulletin import atomic
from bulletin.operations import batch
batch._worker_started()
real_fsync = os.fsync
def fsync_then_terminated(fd):
    real_fsync(fd)
    print("written, not yet renamed", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGTERM)
os.fsync = fsync_then_terminated
atomic.write_atomically(Path(sys.argv[1]), b"%PDF- new" * 1000)
"""


def test_a_terminated_worker_removes_its_temporary_file(tmp_path):
    target = tmp_path / "issue.pdf"
    target.write_bytes(b"%PDF- previous")
    done = subprocess.run(
        [sys.executable, "-c", TERMINATED_MID_WRITE, str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert "written, not yet renamed" in done.stderr
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.pdf"]
    assert target.read_bytes() == b"%PDF- previous"


KILLED_MID_WRITE = """
import os, signal, sys
from pathlib import Path
from bulletin import atomic
real_fsync = os.fsync
def fsync_then_killed(fd):
    real_fsync(fd)
    os.kill(os.getpid(), signal.SIGKILL)
os.fsync = fsync_then_killed
atomic.write_atomically(Path(sys.argv[1]), b"%PDF- new" * 1000)
"""


def test_the_next_write_removes_what_a_killed_writer_left(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE, str(folder / "a.pdf")], cwd=REPO, timeout=TIMEOUT
    )
    assert done.returncode == -signal.SIGKILL
    (left,) = folder.iterdir()
    assert left.name.startswith(".a.pdf.") and left.name.endswith(".tmp")
    # Ours but still being written (this process is alive), old litter, and others' files.
    busy = folder / f".b.pdf.{os.getpid()}_{atomic._HOST}_0123abcd.tmp"
    old = folder / ".c.pdf.k3x9q2ab.tmp"  # the earlier naming, an hour and more ago
    fresh = folder / ".d.pdf.k3x9q2ab.tmp"  # the earlier naming, just now: may be in use
    others = [folder / ".notes.tmp", folder / "e.pdf", folder / ".f.pdf.1_zzzz_0123abcd.tmp"]
    for path in [busy, old, fresh, *others]:
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    atomic.write_atomically(folder / "a.pdf", b"%PDF- whole")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["a.pdf", busy.name, fresh.name, *(p.name for p in others)]
    )


def test_stale_means_ours_and_abandoned():
    now = time.time()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    name = f".x.pdf.{gone.pid}_{atomic._HOST}_0123abcd.tmp"
    assert atomic.is_stale(name, now, now)
    assert not atomic.is_stale(f".x.pdf.{os.getpid()}_{atomic._HOST}_0123abcd.tmp", now, now)
    other_host = "0000" if atomic._HOST != "0000" else "ffff"
    assert not atomic.is_stale(f".x.pdf.{gone.pid}_{other_host}_0123abcd.tmp", now, now)
    assert atomic.is_stale(f".x.pdf.{gone.pid}_{other_host}_0123abcd.tmp", now - 3601, now)
    assert not atomic.is_stale("x.pdf", now - 99999, now)
    assert not atomic.is_stale(".x.pdf.tmp", now - 99999, now)


# ---------------------------------------------------------------- watch and its output

runner = CliRunner()


def test_watch_refuses_an_output_inside_the_issue_folder(issue_factory):
    stop = threading.Event()
    stop.set()  # the old code watched (and stopped at once) instead of refusing
    with pytest.raises(BuildError) as refused:
        watch_issue(issue_factory.dir, issue_factory.dir / "x.pdf", stop=stop)
    assert str(refused.value) == (
        "2024-08/x.pdf: output: inside 2024-08, which watch rebuilds from, so every build "
        "would start another; write it outside, e.g. -o out/NAME.pdf"
    )
    assert not (issue_factory.dir / "x.pdf").exists()


def test_watch_command_refuses_it_in_one_line(issue_factory):
    outcome = {}

    def invoke():
        outcome["result"] = runner.invoke(
            app, ["watch", "2024-08", "-o", "2024-08/out/x.pdf"], prog_name="bulletin"
        )

    thread = threading.Thread(target=invoke, daemon=True)  # the old code never returned
    thread.start()
    thread.join(TIMEOUT)
    result = outcome["result"]
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "2024-08/out/x.pdf: output: inside 2024-08, which watch rebuilds from, so every build "
        "would start another; write it outside, e.g. -o out/NAME.pdf"
    ]


# ---------------------------------------------------------------- engine warnings

ENGINE_WARNS = """
import sys
from pathlib import Path
from bulletin.engine.typeset import typeset
folder = Path(sys.argv[1])
html = '<p style="colour: red">正文</p><img src="cut.png"><img src="text.png"><img src="https://example.org/x.png">'
for warning in typeset(html, folder, [folder]).warnings:
    print(warning)
"""


def test_engine_warnings_are_said_once_each_with_a_reason(tmp_path):
    # A PNG cut short and text named .png: WeasyPrint's own messages end in an empty reason.
    (tmp_path / "cut.png").write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d49484452"))
    (tmp_path / "text.png").write_text("no image here", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", ENGINE_WARNS, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the old code also printed each one raw
    unreadable = "not an image the engine can read (damaged, cut short, or another file)"
    assert done.stdout.splitlines() == [
        "refused to load https://example.org/x.png: only files in the issue, layout and fonts "
        "folders are used, nothing from the network; save the image into the issue, layout "
        "and fonts folders and refer to it by name",
        "Ignored `colour: red` at 1:1, unknown property.",
        f"Failed to load image at '{(tmp_path / 'cut.png').as_uri()}': {unreadable}: "
        "Truncated File Read",
        f"Failed to load image at '{(tmp_path / 'text.png').as_uri()}': {unreadable}",
    ]


def test_watch_of_a_missing_issue_folder_says_so_at_once(issue_factory):
    result = runner.invoke(app, ["watch", "2024-99"], prog_name="bulletin")
    assert result.exit_code == 1
    assert result.stdout == ""  # not "watching …" first
    assert result.stderr.splitlines() == [
        "2024-99: issue: no such folder; expected an issue folder such as content/2024-08"
    ]


def test_watch_stopped_by_sigterm_says_so_in_its_exit_status(issue_factory, tmp_path):
    # Ctrl-C is the way to end watch (0); SIGTERM from a supervisor is a stop (143).
    out = tmp_path / "pdfs"
    command = [sys.executable, "-m", "bulletin", "watch", str(issue_factory.dir), "-o", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first_pdf(out, process)
        time.sleep(0.5)  # now waiting for changes, inside the file watcher
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM
