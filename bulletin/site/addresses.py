"""The site's own address (--base-url): parsed, and refused unless a clean http(s) URL."""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

from bulletin.content.loader import display_path
from bulletin.content.models import Publication
from bulletin.errors import BuildError
from bulletin.i18n import _
from bulletin.site.records import E_EDITION_SUFFIX

# What an address may hold as typed (RFC 3986: unreserved, reserved and %); letters of
# other scripts are allowed too, and percent-encoded (or IDNA-encoded in the host name).
ADDRESS_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/[]@!$&'()*+,;=%")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_IP6 = re.compile(r"\[[0-9a-f:.]+\]")
EXAMPLE = "https://example.org/bri/"


def site_base_url(publication: Publication, given: str | None, publication_file: Path) -> str:
    """The site's address: --base-url, or e_edition_url without its /YYYY-NN/ ending."""
    if given is not None:
        address, problem = clean_address(given)
        if problem:
            raise BuildError("--base-url", "base_url", problem)
        return address
    pattern = publication.e_edition_url
    # The publication's own placeholder is known here; the ones are the ending.
    prefix = pattern[: -len(E_EDITION_SUFFIX)].replace("{slug}", publication.slug)
    where = display_path(publication_file)
    if pattern.endswith(E_EDITION_SUFFIX) and prefix.endswith("/"):
        address, problem = clean_address(prefix)
        if problem:
            raise BuildError(where, "e_edition_url", problem + _("; or pass --base-url"))
        return address
    raise BuildError(
        where,
        "e_edition_url",
        _(
            "the site's address cannot be taken from {pattern} (expected it to end in "
            "/{suffix}); pass --base-url"
        ).format(pattern=repr(pattern), suffix=E_EDITION_SUFFIX),
    )


def clean_address(given: str) -> tuple[str, str]:
    """The address as the site writes it (ending in /, letters of other scripts encoded),
    and "" — or "" and why it is refused.

    Refused: whitespace, control and invisible characters (bidi controls among them)
    anywhere; a scheme other than http or https; no host name; a user name or password; a
    port that is not one; a ?query or #fragment (the site's pages are appended to it).
    """
    for char in given:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            name = unicodedata.name(char, "")
            code = f"U+{ord(char):04X} {name}".rstrip()
            return "", _(
                "{code} in the address: no spaces, line breaks or invisible characters; "
                "expected a clean address such as {example}"
            ).format(code=code, example=EXAMPLE)
        if char.isascii() and char not in ADDRESS_CHARACTERS and char not in "?#":
            return "", _(
                "{char} in the address, which an address cannot carry; expected a clean "
                "address such as {example}"
            ).format(char=repr(char), example=EXAMPLE)
    try:
        parts = urlsplit(given)
        port = parts.port
    except ValueError:
        message = _("not an address (a port or [host] that is not one); expected e.g. {example}")
        return "", message.format(example=EXAMPLE)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not given[len(scheme) :].startswith("://"):
        return "", _("expected an http:// or https:// address")
    if "#" in given:
        return "", _("a #fragment in the address; the site's pages follow it, so leave it out")
    if "?" in given:
        return "", _("a ?query in the address; the site's pages follow it, so leave it out")
    if "@" in parts.netloc:
        return "", _("a user name or password (before @) in the address; leave them out")
    host = parts.hostname or ""
    if not host:
        return "", _("no host name in the address; expected e.g. {example}").format(example=EXAMPLE)
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = ""
    if not (_HOST.fullmatch(ascii_host) or _IP6.fullmatch(f"[{ascii_host}]")):
        return "", _("{host} is not a host name; expected e.g. {example}").format(
            host=repr(host), example=EXAMPLE
        )
    if _BAD_ESCAPE.search(parts.path):
        return "", _("a % in the address that is not an escape such as %20; expected a clean one")
    shown_host = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    path = quote(parts.path, safe="".join(sorted(ADDRESS_CHARACTERS)))
    path = path if path.endswith("/") else path + "/"
    return f"{scheme}://{shown_host}{f':{port}' if port is not None else ''}{path}", ""
