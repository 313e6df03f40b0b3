"""The demo's ticket PDF names the section of every seat (row 8 seat 11 exists in Parket and in
Balkon) and carries a scannable QR code of the order key, drawn as filled squares; the test reads
the text back and rebuilds the code's modules from the drawing commands."""
from __future__ import annotations

import re
import zlib

import httpx
import segno


def _pages(pdf: bytes) -> list[bytes]:
    """The content streams, in page order (the writer stores them uncompressed)."""
    streams = re.findall(rb"stream\n(.*?)endstream", pdf, re.S)
    return [zlib.decompress(s) if s[:2] == b"x\x9c" else s for s in streams]


def _text(content: bytes) -> list[str]:
    out = []
    for raw in re.findall(rb"\((.*?)(?<!\\)\) Tj", content, re.S):
        out.append(raw.replace(b"\\(", b"(").replace(b"\\)", b")").replace(b"\\\\", b"\\")
                   .decode("cp1252"))
    return out


def _qr_from_drawing(content: bytes) -> list[list[int]]:
    """Rebuild the module matrix from the filled rectangles of the QR block."""
    block = re.search(rb"q 0 0 0 rg\n(.*?)\nf Q", content, re.S)
    assert block is not None, "no filled QR block on the page"
    rects = [tuple(float(v) for v in m) for m in
             re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", block.group(1))]
    assert rects
    module = min(min(w, h) for _x, _y, w, h in rects)
    left = min(x for x, _y, _w, _h in rects)
    top = max(y + h for _x, y, _w, h in rects)
    right = max(x + w for x, _y, w, _h in rects)
    bottom = min(y for _x, y, _w, _h in rects)
    cols, rows = round((right - left) / module), round((top - bottom) / module)
    grid = [[0] * cols for _ in range(rows)]
    for x, y, w, h in rects:
        c0, r0 = round((x - left) / module), round((top - (y + h)) / module)
        for r in range(r0, r0 + round(h / module)):
            for c in range(c0, c0 + round(w / module)):
                grid[r][c] = 1
    return grid


def test_every_ticket_names_its_section_and_has_a_qr_of_the_order_key(sim, api, shop):
    perf = sim.catalog.find("seated")
    key = shop.order(perf.event_id, 2)
    sim.settle(key, "paid")
    status = api.get(f"/order/{key}").json()
    pdf = httpx.get(status["order_tickets_url"]).content
    pages = _pages(pdf)
    order = sim.state.orders[key]
    layout = sim.catalog.hall_of(perf).layout()
    assert len(pages) == len(order.tickets) == 2

    expected = [[1 if dark else 0 for dark in row]
                for row in segno.make(key, error="m", micro=False).matrix]
    for content, ticket in zip(pages, order.tickets):
        lines = _text(content)
        section = layout.section_of(ticket.seat_index).name
        place = f"{section}  Row {ticket.row_nr}  Seat {ticket.seat_nr}"
        assert place in lines, lines
        assert f"Order {key}" in lines
        assert _qr_from_drawing(content) == expected


def test_sections_tell_equal_row_and_seat_numbers_apart(sim):
    """In a hall with a balcony the same row/seat numbers exist twice: only the section tells them
    apart, and it is what the ticket prints."""
    from boxoffice.demo.pdf import TicketPage, ticket_pdf

    pdf = ticket_pdf([TicketPage("Show", ["Parket  Row 8  Seat 11"], qr="K1"),
                      TicketPage("Show", ["Balkon  Row 8  Seat 11"], qr="K1")])
    first, second = (_text(p) for p in _pages(pdf))
    assert "Parket  Row 8  Seat 11" in first and "Balkon  Row 8  Seat 11" in second
