"""The search index: Pagefind (its extended build segments Chinese) run over the article pages."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bulletin.errors import BuildError
from bulletin.i18n import _

SEARCH_FOLDER = "pagefind"
TIMEOUT_SECONDS = 600
INSTALL = "pip install 'pagefind[extended]' (in a clone: make setup)"


def pagefind_binary() -> Path:
    """Pagefind's extended build, from its Python package; never downloaded at run time."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError(
            "pagefind", "search", _("not installed; {fix}").format(fix=INSTALL)
        ) from None
    try:
        return Path(get_executable())
    except FileNotFoundError as error:
        raise BuildError("pagefind", "search", f"{error}; {INSTALL}") from None


def index_search(site_dir: Path) -> None:
    """Index the pages marked data-pagefind-body into `site_dir`/pagefind/.

    Pagefind runs inside the site folder with no configuration of its own (no pagefind.yml
    there, no PAGEFIND_ variables), so the index depends on the pages alone.
    """
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    command = [str(pagefind_binary()), "--site", ".", "--output-subdir", SEARCH_FOLDER, "--silent"]
    try:
        done = subprocess.run(
            command,
            cwd=site_dir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildError(
            "pagefind", "search", _("could not run Pagefind: {reason}").format(reason=error)
        ) from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no message"]
        raise BuildError(
            "pagefind", "search", _("Pagefind failed: {reason}").format(reason=lines[-1])
        )
