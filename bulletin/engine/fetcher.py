"""What the engine may load: files inside the project's folders and small data: URLs only."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..content.resources import MAX_DATA_URL_BYTES, locate, locate_file
from ..data import fonts_dir
from ..i18n import N_, _

# Layouts name the bundled fonts as bulletin-fonts:FILE, so a layout copied anywhere (beside
# the content, or a folder named on the command line) still finds them.
FONTS_SCHEME = "bulletin-fonts"


class ProjectFetcher(URLFetcher):
    """Serves only files inside the allowed folders, and small data: URLs; refuses the rest."""

    def __init__(self, roots: list[Path]):
        super().__init__(fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str):
        message = _("refused to load {address}: {reason}").format(address=url[:120], reason=why)
        self.refused.append(message)
        raise PermissionError(message)

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme == FONTS_SCHEME:
            return self._bundled_font(url)
        path, refused = locate(url, self.roots, place=N_("the issue, layout and fonts folders"))
        if refused:
            self._refuse(url, refused)
        if not path.is_file():
            self._refuse(url, _("no such file"))
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    def _bundled_font(self, url: str):
        """`bulletin-fonts:NAME`: a bundled font, wherever the layout that asks lives."""
        path, refused = locate_file(fonts_dir() / unquote(urlsplit(url).path), [fonts_dir()])
        if refused or not path.is_file():
            self._refuse(url, _("no such bundled font; name one of the files in fonts/"))
        mime = mimetypes.guess_type(path.name)[0] or "font/otf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def _data(self, url: str):
        if len(url) > MAX_DATA_URL_BYTES * 4 // 3 + 100:
            self._refuse(
                url,
                _("data: URL larger than {limit} bytes; save it as a file instead").format(
                    limit=MAX_DATA_URL_BYTES
                ),
            )
        header, _comma, payload = url.partition(",")
        mime = header[5:].split(";")[0] or "text/plain"
        body = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
        return URLFetcherResponse(url, body, {"Content-Type": mime})
