"""The committed app icons (made by packaging/make_icons.py from resources/icons/boxoffice.svg):
every size exists, and the .ico / .icns containers are well-formed and hold PNGs of the right size."""
from __future__ import annotations

import importlib.util
import struct
import sys

from tests.support.packkit import ROOT

ICONS = ROOT / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _load_make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icons"] = module
    spec.loader.exec_module(module)
    return module


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_pngs_exist_at_every_size():
    mk = _load_make_icons()
    for size in mk.PNG_SIZES:
        assert _png_size((ICONS / f"boxoffice-{size}.png").read_bytes()) == (size, size)


def test_ico_holds_pngs_from_16_to_256():
    data = (ICONS / "boxoffice.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _c, _r, planes, bpp, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        png = data[offset:offset + length]
        real = _png_size(png)
        assert real == ((w or 256), (h or 256)) and (planes, bpp) == (1, 32)
        sizes.append(real[0])
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_icns_is_well_formed_with_retina_sizes():
    data = (ICONS / "boxoffice.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    pos, found = 8, {}
    while pos < len(data):
        kind, length = data[pos:pos + 4], struct.unpack(">I", data[pos + 4:pos + 8])[0]
        found[kind] = _png_size(data[pos + 8:pos + length])[0]
        pos += length
    assert pos == len(data)
    assert found[b"ic10"] == 1024 and found[b"ic07"] == 128 and found[b"ic14"] == 512


def test_the_writers_round_trip_rendered_pngs(qapp):
    mk = _load_make_icons()
    pngs = mk.render_pngs(ICONS / "boxoffice.svg", (16, 256))
    assert {s: _png_size(p)[0] for s, p in pngs.items()} == {16: 16, 256: 256}
    ico = mk.ico_bytes(pngs)
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 2) and ico.endswith(pngs[256])
