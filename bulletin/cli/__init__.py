"""The `bulletin` command: parses options, calls the library, prints, maps errors to exit codes."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from . import editing, inspecting, publishing, site  # noqa: F401  (each registers its commands)
from .app import app

__all__ = ["app", "main"]


def exit_on_signal(number, frame) -> None:
    # SystemExit unwinds like Ctrl-C does: temporary files are removed, outputs kept whole.
    raise SystemExit(128 + number)


def main() -> None:
    """Entry point of the `bulletin` script."""
    import signal

    # No pydantic plugins are used; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), exit_on_signal)
    # The engine's scratch files (its copies of the fonts) go in one folder of this run,
    # removed on the way out whatever happens.
    scratch = tempfile.mkdtemp(prefix="bulletin-")
    tempfile.tempdir = scratch
    code: int | str | None = 0
    try:
        app(prog_name="bulletin")
    except SystemExit as done:
        code = done.code
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    leave(code)


def leave(code: int | str | None) -> None:
    """End the process now: every output is written, synced and closed, every message flushed.

    Python's own shutdown would then only tear down the laid-out documents and the engine,
    a tenth of a second for nothing.
    """
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    main()
