"""QR codes as inline SVG, so a printed worksheet leads back to its page online."""

from __future__ import annotations

import io

import segno

from .cache import memo


@memo("qr")  # a pure function, and slow
def qr_svg(url: str, title: str) -> str:
    """An accessible inline <svg> QR code of url, sized by CSS."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, svgclass="qr", lineclass=None,
              omitsize=True, border=2, title=title)
    return out.getvalue().decode("ascii" if url.isascii() else "utf-8")
