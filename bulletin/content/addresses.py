"""Placeholder addresses the QR codes would print: example.org, localhost, private networks."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from bulletin.content.loader import LoadedIssue, display_path, find_publication_file
from bulletin.errors import Problem
from bulletin.i18n import N_, _

# Names reserved for examples and tests, never a real site (RFC 2606, RFC 6761; .local is
# multicast DNS, RFC 6762): the name itself and everything under it.
RESERVED_NAMES = ("example", "example.com", "example.net", "example.org", "test", "invalid")
RESERVED_NAMES += ("localhost", "local")
# What each address the publication prints is, to say what to put there instead.
PRINTED_ADDRESSES = {
    "wechat_url": N_("the link of the institute's WeChat account (the cover's QR code)"),
    "e_edition_url": N_(
        "the address of the issue's electronic edition (the back cover's QR code; {year}, "
        "{number:02d} and {cumulative} may stand for the issue)"
    ),
}


def placeholder_host(address: str) -> str | None:
    """The host of an address that reaches no real reader (a reserved name, a loopback,
    private or otherwise reserved IP address), else None."""
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return None
    host = host.rstrip(".").lower()
    if not host:
        return None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if any(host == name or host.endswith("." + name) for name in RESERVED_NAMES):
            return host
        return None
    if not ip.is_global or ip.is_multicast:
        return host
    return None


def placeholder_addresses(loaded: LoadedIssue) -> list[Problem]:
    """A warning (an error with --strict) for each printed address that is a placeholder."""
    publication = loaded.content.publication
    path = find_publication_file(loaded.issue_dir)
    source = next((s for s in loaded.sources if s.path == path), None)
    values = {"wechat_url": publication.wechat_url, "e_edition_url": loaded.content.e_edition_url}
    found = []
    for field, what in PRINTED_ADDRESSES.items():
        host = placeholder_host(values[field])
        if host is None:
            continue
        message = _(
            "{host} is a placeholder address that reaches no reader, and the QR code would "
            "print it; put {what} here"
        ).format(host=host, what=_(what))
        line = source.line_of((field,)) if source else None
        found.append(Problem(display_path(path), line, field, message))
    return found
