"""`bulletin preflight` on hostile PDFs: one clear line and exit 1, within budgets, stoppable."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zlib

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.preflight import limits

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 60  # seconds; a bound for a hung process, not a timing assertion
runner = CliRunner()

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"


def pdf(*objects: bytes) -> bytes:
    """A PDF of these objects, numbered from 1 (the catalogue), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), entries, data)


def page(entries: bytes = b"", box: bytes = b"[0 0 595 842]") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox %s %s >>" % (box, entries)


def deflated_zeros(size: int) -> bytes:
    """A zlib stream of at least `size` zeros, written without making them: one literal 0,
    then 'copy 258 bytes from 1 back' over and over (fixed Huffman codes, 13 bits each, so
    every 8 copies are the same 13 bytes)."""

    def block(groups: int) -> bytes:
        value, count = 0, 0

        def put(code: int, bits: int, reverse: bool = True) -> None:
            nonlocal value, count
            if reverse:  # Huffman codes are packed from their most significant bit
                code = int(f"{code:0{bits}b}"[::-1], 2)
            value |= code << count
            count += bits

        put(0b011, 3, reverse=False)  # the final block, fixed codes
        put(0x30, 8)  # the literal 0
        for _ in range(8 * groups):
            put(0xC5, 8)  # length 258
            put(0, 5)  # distance 1
        put(0, 7)  # end of block
        return value.to_bytes((count + 7) // 8, "little")

    groups = size // (8 * 258) + 1
    two, three = block(2), block(3)
    period = three[2:15]
    assert three == two[:2] + period + two[2:]
    total = 1 + groups * 8 * 258
    adler = ((total % 65521) << 16) | 1  # of zeros: a = 1, b = the count
    return b"\x78\x01" + two[:2] + period * (groups - 2) + two[2:] + adler.to_bytes(4, "big")


def test_the_bomb_is_zeros():
    out = zlib.decompress(deflated_zeros(1 << 20))
    assert len(out) >= 1 << 20
    assert not out.strip(b"\0")


def font_page(*font: bytes) -> bytes:
    content = stream(TEXT)
    return pdf(CATALOG, ONE_PAGE, page(b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R"),
               content, *font)  # fmt: skip


def deep_tree(depth: int) -> bytes:
    nodes = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 3) for n in range(depth)]
    leaf = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (depth + 1)
    return pdf(CATALOG, *nodes, leaf)


def encrypted(user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password, "owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TYPE0 = b"<< /Type /Font /Subtype /Type0 /BaseFont /Bad /Encoding /Identity-H "
HOSTILE = {
    # An object that is a reference to itself: pdfminer followed it for ever, even after
    # SIGTERM (closing the file read the pages again).
    "reference to itself": (
        pdf(CATALOG, ONE_PAGE, page(b"/Resources 4 0 R"), b"4 0 R"),
        "a reference cycle: object 4 refers to itself, directly or through other objects",
    ),
    "references in a ring": (
        pdf(CATALOG, ONE_PAGE, b"4 0 R", b"3 0 R"),
        "a reference cycle: object 3 refers to itself, directly or through other objects",
    ),
    "cycle in /Kids": (
        pdf(CATALOG, ONE_PAGE, b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"),
        "the page tree has a cycle: object 2 is among its own descendants",
    ),
    "cycle in /Parent": (
        pdf(
            CATALOG,
            ONE_PAGE,
            page().replace(b"/Parent 2", b"/Parent 4"),
            b"<< /Type /Pages /Parent 3 0 R /Kids [3 0 R] /Count 1 >>",
        ),
        "the page tree's /Parent entries form a cycle (through object 4)",
    ),
    "self-containing page tree": (
        pdf(CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
        "the page tree contains itself: object 2 is among its own kids",
    ),
    "5,000-deep page tree": (deep_tree(5000), "the page tree is more than 64 levels deep"),
    "Flate bomb": (
        pdf(
            CATALOG,
            ONE_PAGE,
            page(b"/Contents 4 0 R"),
            stream(
                zlib.compress(deflated_zeros(2 << 30), 9), b"/Filter [/FlateDecode /FlateDecode] "
            ),
        ),
        "preflight stopped: reading the file needed more than its memory budget of 1024 MB "
        "(a compression bomb, or a file too large to check)",
    ),
    "font that is not a dictionary": (
        font_page(b"42"),
        "page 1: font F1 is not a font dictionary",
    ),
    "font without /DescendantFonts": (
        font_page(TYPE0 + b">>"),
        "page 1: font F1 (Type0) has no descendant font (/DescendantFonts)",
    ),
    "garbage FontFile3": (
        font_page(
            TYPE0 + b"/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Bad /FontDescriptor 7 0 R "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            b"<< /Type /FontDescriptor /FontName /Bad /Flags 4 /FontBBox [0 0 1000 1000] "
            b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 "
            b"/FontFile3 9 0 R >>",
            stream(b"beginbfchar <0041> <0041> endbfchar"),
            stream(b"\x01\x02garbage" * 20, b"/Subtype /CIDFontType0C "),
        ),
        "font Bad: its embedded program cannot be read (AssertionError: offSize too large: 97)",
    ),
    "MediaBox of 1e30": (
        pdf(CATALOG, ONE_PAGE, page(box=b"[0 0 1%s 1%s]" % (b"0" * 30, b"0" * 30))),
        "page 1: MediaBox [0 0 1000000000000000000000000000000 10000000000000000000… is "
        "1e+30 × 1e+30 pt; a page is 3 to 14,400 pt each way",
    ),
    "negative MediaBox": (
        pdf(CATALOG, ONE_PAGE, page(box=b"[0 0 -595 -842]")),
        "page 1: MediaBox [0 0 -595 -842] is -595 × -842 pt; a page is 3 to 14,400 pt each way",
    ),
    "MediaBox of strings": (
        pdf(CATALOG, ONE_PAGE, page(box=b"[0 0 (NaN) (inf)]")),
        "page 1: MediaBox [0 0 NaN inf] is not four numbers",
    ),
    "encrypted": (
        encrypted("secret"),
        "encrypted: preflight needs the unencrypted PDF (save a copy without a password)",
    ),
    "encrypted, no password to open": (
        encrypted(""),
        "encrypted: preflight needs the unencrypted PDF (save a copy without a password)",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_pdf_gets_one_clear_line(tmp_path, case):
    data, message = HOSTILE[case]
    target = tmp_path / "hostile.pdf"
    target.write_bytes(data)
    result = runner.invoke(app, ["preflight", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"{target}: pdf: {message}\n"
    assert "internal error" not in result.output


def slow_pdf(operations: int) -> bytes:
    """A sound one-page PDF whose page draws nothing, slowly: many empty q … Q pairs."""
    contents = stream(zlib.compress(b"q Q\n" * operations, 9), b"/Filter /FlateDecode ")
    return pdf(CATALOG, ONE_PAGE, page(b"/Contents 4 0 R"), contents)


def test_a_file_past_the_time_budget_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "TIME_BUDGET_SECONDS", 1)
    target = tmp_path / "slow.pdf"
    target.write_bytes(slow_pdf(2_000_000))  # some 15 s of reading
    result = runner.invoke(app, ["preflight", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{target}: pdf: preflight stopped: reading the file took longer than its time budget "
        "of 1 s\n"
    )


def test_the_report_comes_back_whole(sample_office):
    """Violations, warnings, empty lines and the page count cross from the reading process."""
    from bulletin.preflight.preflight import preflight, read

    report = preflight(sample_office.output, press=True)
    assert report == read(sample_office.output, True)
    assert report.pages == 8
    assert report.violations
    assert report.empty_lines


def child_of(pid: int) -> int | None:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return int(found.stdout.split()[0]) if found.stdout.split() else None


@pytest.mark.skipif(shutil.which("pgrep") is None, reason="needs pgrep to find the child")
def test_sigterm_stops_a_slow_preflight_and_its_reading_process(tmp_path):
    target = tmp_path / "slow.pdf"
    target.write_bytes(slow_pdf(10_000_000))  # a minute or more of reading
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "preflight", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        child = None
        while child is None and time.monotonic() < deadline and process.poll() is None:
            child = child_of(process.pid)
            time.sleep(0.05)
        assert child is not None, "the reading process never started"
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert stdout == ""
    assert "internal error" not in stderr
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
