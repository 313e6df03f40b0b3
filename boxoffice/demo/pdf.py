"""A minimal hand-written PDF 1.4 writer for e-tickets (Helvetica text, one page per ticket)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketPage:
    """The text lines printed on one ticket page (first line is the title)."""

    title: str
    lines: list[str]


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(page: TicketPage) -> bytes:
    ops = [b"0.2 0.2 0.2 RG 2 w 30 30 535 330 re S",
           b"BT /F2 22 Tf 50 320 Td (" + _escape(page.title) + b") Tj ET"]
    y = 285
    for line in page.lines:
        ops.append(b"BT /F1 13 Tf 50 %d Td (" % y + _escape(line) + b") Tj ET")
        y -= 22
    return b"\n".join(ops) + b"\n"


def ticket_pdf(pages: list[TicketPage]) -> bytes:
    """A valid PDF: catalog, page tree, two standard fonts, one A4-landscape-ish page per ticket."""
    if not pages:
        pages = [TicketPage("No tickets", [])]
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font regular, 4 font bold, then per page: page obj + content obj
    page_ids = [5 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages)
    for base in (b"Helvetica", b"Helvetica-Bold"):
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /" + base +
                       b" /Encoding /WinAnsiEncoding >>")
    for i, page in enumerate(pages):
        content = _content(page)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 390] "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                       b"/Contents %d 0 R >>" % (page_ids[i] + 1))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
