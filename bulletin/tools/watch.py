"""Rebuilds an issue whenever its files, layout or publication change, in one warm process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..build import BuildResult, build
from ..content.loader import find_publication_file
from ..data import layouts_dir
from ..errors import BulletinError
from ..render.layouts import USER_LAYOUTS

# Debounce: an editor's save often touches a file twice; wait for the writes to settle.
DEBOUNCE_MS = 300
# How often the loop wakes without changes (to start, and to notice a stop request).
WAKE_MS = 500
# The served e-edition asks every second whether a newer build exists, then reloads.
RELOAD_SCRIPT = b"""<script>
(() => { let seen = null;
  setInterval(async () => {
    const now = await (await fetch("/__build", {cache: "no-store"})).text();
    if (seen !== null && now !== seen) location.reload();
    seen = now;
  }, 1000); })();
</script>"""


@dataclass
class Rebuild:
    """One build of the watch loop: its result, or the error lines that replaced it."""

    number: int
    result: BuildResult | None
    errors: list[str]


def watched_paths(issue_dir: Path) -> list[Path]:
    """What a rebuild depends on: the issue folder, the layouts and the publication file."""
    paths = [Path(issue_dir), layouts_dir()]
    publication = find_publication_file(Path(issue_dir))
    if publication.is_file() and not publication.is_relative_to(Path(issue_dir)):
        paths.append(publication)
    own_layouts = publication.parent / USER_LAYOUTS
    if own_layouts.is_dir() and own_layouts.resolve() != layouts_dir().resolve():
        paths.append(own_layouts)
    return paths


def _relevant(change, path: str) -> bool:
    # Our own atomic writes leave .NAME.tmp files for an instant; they are not edits.
    name = Path(path).name
    return not (name.startswith(".") and name.endswith(".tmp")) and not name.endswith("~")


def watch_issue(
    issue_dir: Path,
    output: Path | None = None,
    *,
    kind: str = "office",
    on_rebuild: Callable[[Rebuild], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Build now, then again after every change, until `stop` is set or Ctrl-C.

    A build that fails reports its errors through `on_rebuild` and the loop goes on; the
    previous output stays in place, since every file is written atomically.
    """
    import watchfiles

    number = 0

    def once() -> None:
        nonlocal number
        number += 1
        try:
            rebuild = Rebuild(number, build(issue_dir, output, kind=kind), [])
        except BulletinError as error:
            rebuild = Rebuild(number, None, error.lines())
        if on_rebuild:
            on_rebuild(rebuild)

    # The first build runs once the watcher is in place (its first, empty, yield), so an
    # edit saved while that build runs is seen and rebuilt too.
    watching = False
    for changes in watchfiles.watch(
        *watched_paths(issue_dir),
        watch_filter=_relevant,
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        raise_interrupt=False,
        yield_on_timeout=True,
        rust_timeout=WAKE_MS,
    ):
        if changes or not watching:
            watching = True
            once()


def serve_folder(folder: Path, port: int, build_number: Callable[[], int]) -> ThreadingHTTPServer:
    """Serve the e-edition on localhost, with a reload script added to the page."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self):
            if self.path == "/__build":
                return self._send(str(build_number()).encode(), "text/plain")
            if self.path in ("/", "/index.html"):
                page = (folder / "index.html").read_bytes()
                return self._send(
                    page.replace(b"</body>", RELOAD_SCRIPT + b"</body>"), "text/html; charset=utf-8"
                )
            return super().do_GET()

        def _send(self, body: bytes, content_type: str):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet: the watch loop prints what matters
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
