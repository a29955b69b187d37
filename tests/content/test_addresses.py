"""Placeholder addresses (example.org, localhost, private networks) are found and named."""

from __future__ import annotations

import pytest

from bulletin.content.addresses import placeholder_addresses, placeholder_host
from bulletin.content.loader import load_issue


@pytest.mark.parametrize(
    ("address", "host"),
    [
        ("https://example.org/bri/wechat", "example.org"),
        ("https://www.EXAMPLE.com./x", "www.example.com"),
        ("http://bri.example/", "bri.example"),
        ("http://site.test/", "site.test"),
        ("http://localhost:8000/", "localhost"),
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://10.1.2.3/", "10.1.2.3"),
        ("http://192.168.0.1/", "192.168.0.1"),
        ("http://[::1]/", "::1"),
        ("https://weixin.qq.com/r/abc", None),
        ("https://examples.org/", None),
        ("http://8.8.8.8/", None),
    ],
)
def test_placeholder_hosts(address, host):
    assert placeholder_host(address) == host


def test_the_factory_publication_names_both_addresses(issue_factory):
    problems = placeholder_addresses(load_issue(issue_factory.dir))  # paths as shown from cwd
    assert [str(problem) for problem in problems] == [
        "publication.yaml:5: wechat_url: example.org is a placeholder "
        "address that reaches no reader, and the QR code would print it; put the link of the "
        "institute's WeChat account (the cover's QR code) here",
        "publication.yaml:6: e_edition_url: example.org is a "
        "placeholder address that reaches no reader, and the QR code would print it; put the "
        "address of the issue's electronic edition (the back cover's QR code; {year}, "
        "{number:02d} and {cumulative} may stand for the issue) here",
    ]
