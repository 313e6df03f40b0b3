#!/usr/bin/env python3
"""Render the app icon ``resources/icons/boxoffice.svg`` into the files the installers need.

    python packaging/make_icons.py            # (re)write the icons in resources/icons/
    python packaging/make_icons.py --check    # exit 1 when a committed icon is missing or stale

Writes ``boxoffice-<size>.png`` (16 … 1024 px, rendered by Qt's ``QSvgRenderer``; Linux .desktop
and the app's own window icon use these), ``boxoffice.ico`` (Windows: 16, 24, 32, 48, 64, 128,
256 px) and ``boxoffice.icns`` (macOS: 16 … 1024 px incl. @2x). Both container formats embed
PNG images, so the writers here are a few lines of ``struct`` and need no Pillow. The generated
files are small and committed; run this after changing the SVG. Rendering goes through Qt's
offscreen platform, so no display is needed.
"""
from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "boxoffice.svg"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (several names share a size: @2x).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64),
    (b"ic07", 128), (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512),
    (b"ic10", 1024),
)


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes of *svg* at each size (square, transparent background)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (fonts need it)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"PNG encoding failed at {size}px")
        buffer.close()
        out[size] = bytes(data.data())
    return out


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (supported since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))          # reserved, type 1 = icon, count
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size                      # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns of PNG elements (big-endian type + length headers)."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def outputs(svg: Path = SVG) -> dict[str, bytes]:
    pngs = render_pngs(svg, PNG_SIZES)
    files = {f"boxoffice-{size}.png": data for size, data in pngs.items()}
    files["boxoffice.ico"] = ico_bytes({s: pngs[s] for s in ICO_SIZES})
    files["boxoffice.icns"] = icns_bytes(pngs)
    return files


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the committed icons exist and are up to date")
    args = parser.parse_args(argv)
    files = outputs()
    if args.check:
        stale = [name for name, data in files.items()
                 if not (ICONS / name).is_file() or (ICONS / name).read_bytes() != data]
        if stale:
            print("stale or missing icons (run packaging/make_icons.py): " + ", ".join(stale),
                  file=sys.stderr)
            return 1
        return 0
    for name, data in files.items():
        (ICONS / name).write_bytes(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files)} icon files to {ICONS.relative_to(ROOT)} ({total // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
