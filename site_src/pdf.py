"""Worksheet PDFs: the printed form of a worksheet page, made by WeasyPrint.

WeasyPrint is an optional extra (pip install -e '.[pdf]'). It reads the
rendered page and its stylesheet from memory, not from disk or the network,
so the PDF is exactly the page the build is about to write.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from . import urls
from .errors import SiteError

INSTALL_HINT = "install the PDF extra with: python -m pip install -e '.[pdf]'"

# WeasyPrint balances a worksheet's card columns by laying them out again and again
# (a third of a minute per build); filled in order, its sheets come out the same length.
PDF_CSS = ".ws-flow { column-fill: auto; }"


class PdfUnavailable(SiteError):
    pass


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the system's Pango library is missing
        return False
    return True


def render_pdfs(pages: Mapping[str, str], files: Mapping[str, bytes],
                base: urls.Base) -> dict[str, bytes]:
    """{output path of a PDF: route of its HTML page} -> {output path: PDF bytes}."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(f"--pdf needs WeasyPrint ({exc}); {INSTALL_HINT}") from None

    class SiteFetcher(URLFetcher):
        """Serves the site's own files from memory and nothing else."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            route = base.route_of(url)
            if route is None:
                raise ValueError(f"{url} is not part of the site")
            path = urls.output_path(unquote(urlsplit(route).path))
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=files[path], headers={"Content-Type": kind})

    fetcher = SiteFetcher()
    extra = [weasyprint.CSS(string=PDF_CSS)]
    out = {}
    for pdf_path, route in sorted(pages.items()):
        html = files[urls.output_path(route)].decode("utf-8")
        document = weasyprint.HTML(string=html, base_url=base.absolute(route),
                                   url_fetcher=fetcher)
        out[pdf_path] = document.write_pdf(stylesheets=extra)
    return out
