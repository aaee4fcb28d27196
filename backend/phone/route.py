"""`GET /order/{store}`: the phone order page, and its hashed static files.

The page itself carries no per-request data: the store comes from its path and the code from
its query string, both read by the page's script, so a missing, expired or used-up code
still gets the page, which says so in plain words when the code is refused.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.phone.assets import PageAssets, load_assets
from backend.problems import problem_response
from core.config import Settings
from core.errors import ErrorCode

YEAR_S = 365 * 24 * 3600

# The page loads nothing from elsewhere and runs no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

NOT_FOUND_HTML = (
    b"<!doctype html><html lang=en><meta charset=utf-8>"
    b'<meta name=viewport content="width=device-width,initial-scale=1">'
    b"<title>Not found</title><h1>Not found</h1>"
    b"<p>There is no coffee stall here. Please scan the QR code on the booth screen again.</p>"
)

PAGE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "The order page", "content": {"text/html": {}}},
    404: {
        "description": "Unknown store (an HTML page for browsers, problem+json otherwise)",
        "content": {"text/html": {}, "application/problem+json": {}},
    },
}


def phone_router(settings: Settings) -> APIRouter:
    """The routes of the phone page for the stores in `settings`."""
    router = APIRouter(tags=["phone page"])
    page = load_assets()

    @router.get(
        "/order/{store}",
        summary="The phone order page",
        response_class=Response,
        responses=PAGE_RESPONSES,
    )
    def order_page(store: str, request: Request, code: str | None = None) -> Response:
        """The mobile order page of `store`; the code from the QR code is in `code`."""
        if settings.store(store) is None:
            return _not_found(request, f"There is no store {store!r}.")
        return _maybe_gzipped(request, page.html, page.html_gzipped, "text/html; charset=utf-8", PAGE_HEADERS)

    @router.get("/order/assets/{name}", include_in_schema=False)
    def order_asset(name: str, request: Request) -> Response:
        return _asset_response(page, name, request)

    return router


def _asset_response(page: PageAssets, name: str, request: Request) -> Response:
    found = page.find(name)
    if found is None:
        return _not_found(request, "No such file.")
    asset, current = found
    headers = {
        "Cache-Control": f"public, max-age={YEAR_S}, immutable" if current else "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    return _maybe_gzipped(request, asset.body, asset.gzipped, asset.media_type, headers)


def _maybe_gzipped(
    request: Request, body: bytes, gzipped: bytes, media_type: str, headers: dict[str, str]
) -> Response:
    headers = {**headers, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media_type, headers=headers)


def _not_found(request: Request, detail: str) -> Response:
    if "text/html" in request.headers.get("accept", ""):
        return Response(NOT_FOUND_HTML, status_code=404, media_type="text/html; charset=utf-8")
    return problem_response(ErrorCode.NOT_FOUND, detail)
