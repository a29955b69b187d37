"""Rebuilds an issue whenever its files, layout or publication change, in one warm process."""

from __future__ import annotations

import contextlib
import errno
import mimetypes
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bulletin.content.loader import display_path, find_publication_file, issue_folder_problem
from bulletin.data import layouts_dir
from bulletin.errors import BuildError, BulletinError, ContentError
from bulletin.i18n import _
from bulletin.operations.build import BuildResult, build
from bulletin.outputs.base import DEFAULT_OUTPUT_DIR, folder_output, pdf_or_folder
from bulletin.render.layouts import USER_LAYOUTS

# Debounce: an editor's save often touches a file twice; wait for the writes to settle.
DEBOUNCE_MS = 300
# How often the loop wakes without changes (to start, and to notice a stop request).
WAKE_MS = 500
# The served e-edition asks every second whether a newer build exists, then reloads; the
# page carries the number of the build it shows, so no build is missed.
RELOAD_SCRIPT = b"""<script>
(() => { const seen = "{build}";
  setInterval(async () => {
    const now = await (await fetch("/__build", {cache: "no-store"})).text();
    if (now !== seen) location.reload();
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


def _relevant(change: object, path: str) -> bool:
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
    previous output stays in place, since every file is written atomically. An output
    inside a watched folder is refused (BuildError) before anything is built.
    """
    import watchfiles

    refuse_unwatchable(issue_dir, output)

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
    changes_seen = watchfiles.watch(
        *watched_paths(issue_dir),
        watch_filter=_relevant,
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        raise_interrupt=True,  # caught below: no "KeyboardInterrupt caught" line
        yield_on_timeout=True,
        rust_timeout=WAKE_MS,
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C, waiting or building, stops quietly
        for changes in changes_seen:
            if changes or not watching:
                watching = True
                once()


def watched_output(output: Path | None, serve: bool) -> tuple[str, Path | None]:
    """What `watch` keeps up to date: the e-edition folder when it serves one (default
    out/e-edition), else the office PDF (a .pdf file or a folder)."""
    if serve:
        return "web", folder_output(output or Path("out") / "e-edition")
    if output is not None and output.suffix.lower() != ".pdf":
        pdf_or_folder(output)
    return "office", output


def refuse_unwatchable(issue_dir: Path, output: Path | None) -> None:
    """Nothing to watch (no issue folder there), or an output inside a watched folder: it
    would start the next build each time it is written."""
    if wrong := issue_folder_problem(Path(issue_dir)):
        raise ContentError([wrong])
    target = Path(output) if output is not None else DEFAULT_OUTPUT_DIR
    resolved = target.resolve()
    for watched in watched_paths(Path(issue_dir)):
        if watched.is_dir() and resolved.is_relative_to(watched.resolve()):
            raise BuildError(
                display_path(target),
                "output",
                _(
                    "inside {folder}, which watch rebuilds from, so every build would start "
                    "another; write it outside, e.g. -o out/NAME.pdf"
                ).format(folder=display_path(watched)),
            )


def _first_build_page(number: int) -> bytes:
    return (
        b"<!DOCTYPE html><html lang=zh><meta charset=utf-8><title>bulletin watch</title>"
        b"<body><p>No e-edition yet: the first build is running, or it failed (the terminal "
        b"running `bulletin watch` says why). This page reloads after the next build.</p>"
        + _reload_script(number)
        + b"</body></html>"
    )


def _reload_script(number: int) -> bytes:
    return RELOAD_SCRIPT.replace(b"{build}", str(number).encode())


class _EditionServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser closing a connection early is nothing to report


def serve_folder(
    folder: Path, port: int, build_number: Callable[[], int] | None
) -> ThreadingHTTPServer:
    """Serve the e-edition on 127.0.0.1 in a thread, with a reload script added to the page
    (none, and no /__build, when `build_number` is None: the site, served as it is).

    Only regular files inside `folder` are served, symlinks resolved, none hidden (a name
    starting with a dot); a folder is served as its index.html or not at all (no listings).
    A request whose Host is not localhost, 127.0.0.1 or [::1] with this port gets 421.
    Until the first build has written index.html, / is a short page saying so. A port that
    is taken or not a port is one BuildError line.
    """
    root = Path(folder).resolve()
    where = f"--serve {port}"
    if not 0 <= port <= 65535:
        raise BuildError(where, "port", _("not a port number; choose one from 1024 to 65535"))

    class Handler(BaseHTTPRequestHandler):
        server_version = "bulletin"

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            # Only this machine's own names: a page elsewhere whose name was pointed at
            # 127.0.0.1 (DNS rebinding) sends its own Host, and is not answered.
            if (self.headers.get("Host") or "").lower() not in allowed_hosts(port_of(self)):
                return self._send(421, b"Misdirected request", "text/plain", with_body)
            path = urlsplit(self.path).path
            if path == "/__build" and build_number is not None:
                return self._send(200, str(build_number()).encode(), "text/plain", with_body)
            try:
                parts = unquote(path, errors="strict").split("/")
            except UnicodeDecodeError:
                parts = ["\x00"]
            if any("\x00" in p or "\\" in p or p in (".", "..") for p in parts):
                return self._send(400, b"Bad request", "text/plain", with_body)
            if any(p.startswith(".") for p in parts):  # hidden files are never served
                return self._send(404, b"Not found", "text/plain", with_body)
            found = _regular_file(root, [p for p in parts if p])
            if found is None:
                if path in ("/", "/index.html") and build_number is not None:
                    page = _first_build_page(build_number())
                    return self._send(200, page, "text/html; charset=utf-8", with_body)
                return self._send(404, b"Not found", "text/plain", with_body)
            try:
                body = found.read_bytes()
            except OSError:
                return self._send(404, b"Not found", "text/plain", with_body)
            if found.name == "index.html" and build_number is not None:
                script = _reload_script(build_number())
                body = (
                    body.replace(b"</body>", script + b"</body>")
                    if b"</body>" in body
                    else (body + script)
                )
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            return self._send(200, body, kind, with_body)

        def _send(self, status: int, body: bytes, content_type: str, with_body: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # quiet: the watch loop prints what matters
            pass

    try:
        server = _EditionServer(("127.0.0.1", port), Handler)
    except OSError as error:
        raise BuildError(where, "port", _port_problem(error, port)) from None
    threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
    return server


LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


def allowed_hosts(port: int) -> set[str]:
    """The Host headers the served e-edition answers: this machine's names with its port."""
    return {f"{name}:{port}" for name in LOCAL_NAMES} | (set(LOCAL_NAMES) if port == 80 else set())


def port_of(handler: BaseHTTPRequestHandler) -> int:
    address = handler.server.server_address
    return int(address[1]) if isinstance(address, tuple) else 0


def _regular_file(root: Path, parts: list[str]) -> Path | None:
    """The regular file `parts` names inside `root` (a folder: its index.html), or None;
    nothing hidden (a name starting with a dot) once links are resolved either."""
    try:
        found = root.joinpath(*parts).resolve()
        if found.is_dir():
            found = (found / "index.html").resolve()
        if not found.is_relative_to(root):
            return None
        if any(part.startswith(".") for part in found.relative_to(root).parts):
            return None
        return found if stat.S_ISREG(found.stat().st_mode) else None
    except (OSError, ValueError):
        return None


def _port_problem(error: OSError, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return _("already in use by another program; choose another, e.g. --serve {port}").format(
            port=port + 1
        )
    if error.errno == errno.EACCES:
        return _("not allowed for this user (ports below 1024 need root); choose 1024 to 65535")
    return _("cannot listen on {address}: {reason}").format(
        address=f"127.0.0.1:{port}", reason=error.strerror or error
    )
