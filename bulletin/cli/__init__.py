"""The `bulletin` command: parses options, calls the library, prints, maps errors to exit codes."""

from __future__ import annotations

import os
import sys

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
    app(prog_name="bulletin")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
