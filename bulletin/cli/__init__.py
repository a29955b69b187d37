"""The `bulletin` command: parses options, calls the library, prints, maps errors to exit codes."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile

from bulletin.cli import editing, inspecting, publishing, site  # noqa: F401  (each registers its commands)
from bulletin.cli.app import app
from bulletin.i18n import _

__all__ = ["app", "main"]


# The signal that stopped this run, if one did: a library that catches the SystemExit
# below (watch's file watcher turns it into a quiet stop) must not turn it into success.
stopped_by: list[int] = []


def exit_on_signal(number, frame) -> None:
    # SystemExit unwinds like Ctrl-C does: temporary files are removed, outputs kept whole.
    stopped_by.append(number)
    raise SystemExit(128 + number)


def main() -> None:
    """Entry point of the `bulletin` script."""
    import signal

    # No pydantic plugins are used; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), exit_on_signal)
    code: int | str | None = 0
    scratch = None
    try:
        # The engine's scratch files (its copies of the fonts) go in one folder of this
        # run, removed on the way out whatever happens; without a usable temporary
        # folder, commands that need none still run.
        with contextlib.suppress(OSError):
            scratch = tempfile.mkdtemp(prefix="bulletin-")
            tempfile.tempdir = scratch
        app(prog_name="bulletin")
    except SystemExit as done:
        code = done.code
    except OSError as error:
        if error.errno not in UNWRITABLE:
            raise
        # Help or a report written to a full disk or a closed pipe: outside any command.
        code = _("cannot write the output: {reason}").format(reason=error.strerror or error)
    finally:
        # A second signal must not interrupt the clean-up: the run is ending anyway.
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if stopped_by and not code:
        code = 128 + stopped_by[0]
    leave(code)


# Why standard output or error cannot take what is written to them.
UNWRITABLE = {errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EDQUOT, errno.EFBIG}
# The exit status Python itself gives when it cannot flush standard output at exit.
UNFLUSHED_EXIT = 120


def leave(code: int | str | None) -> None:
    """End the process now: every output is written, synced and closed, every message flushed.

    Python's own shutdown would then only tear down the laid-out documents and the engine,
    a tenth of a second for nothing. A closed stream (`>&-`) is not an error; one that
    cannot take what was written to it (a full disk) is, as Python would have it.
    """
    if isinstance(code, str):
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or UNFLUSHED_EXIT
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    main()
