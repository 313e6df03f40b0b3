"""A minimal hand-written PDF 1.4 writer for e-tickets (Helvetica text, one page per ticket).

A page may carry a QR code (``TicketPage.qr``, e.g. the order key, for scanning at the door): it
is drawn from segno's module matrix (medium error correction, a regular QR code, never a micro
one) as filled black squares — one rectangle per run of dark modules in a row — inside one
``q 0 0 0 rg … f Q`` block, with the 4-module quiet zone left white.
"""
from __future__ import annotations

from dataclasses import dataclass

import segno

QR_LEFT, QR_TOP, QR_SIZE = 395.0, 300.0, 140.0   # points; the frame is 30..565 × 30..360


@dataclass(frozen=True)
class TicketPage:
    """The text lines printed on one ticket page (first line is the title), and the text of the
    QR code printed on it (None: no code)."""

    title: str
    lines: list[str]
    qr: str | None = None


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
    if page.qr:
        ops.append(_qr_ops(page.qr))
    return b"\n".join(ops) + b"\n"


def _num(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


def _qr_ops(text: str) -> bytes:
    """Filled squares for the dark modules of the QR code of *text* (runs per row)."""
    matrix = segno.make(text, error="m", micro=False).matrix
    module = QR_SIZE / len(matrix)
    rects = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            x = QR_LEFT + start * module
            y = QR_TOP - (r + 1) * module
            rects.append(b"%s %s %s %s re" % (_num(x), _num(y), _num((c - start) * module),
                                              _num(module)))
    return b"q 0 0 0 rg\n" + b"\n".join(rects) + b"\nf Q"


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
