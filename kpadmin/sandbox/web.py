"""The sandbox's browser side: ``/v1/iamport.js``, the simulated Kakao Pay window, the demo page.

Routes (all mounted by `create_app` through `browser_routes`):

``GET /v1/iamport.js``
    A stand-in for ``https://cdn.iamport.kr/v1/iamport.js`` (``window.IMP``: ``init``, ``agency``,
    ``request_pay``). It finds its own origin from ``document.currentScript.src``.
``POST /sandbox/kakaopay/checkout``  (CORS, any origin)
    What ``IMP.request_pay`` calls first: ``{"imp_code", "params"}`` as JSON (sent as text/plain
    so no preflight is needed). Answers ``{"session_id", "window_url"}`` or a pre-validation
    failure ``{"rsp": {imp_uid: null, error_code, error_msg, …}}``. The caller's ``Origin``
    header becomes the only origin the window will post its result to.
``GET /sandbox/kakaopay/window/{session_id}``
    The billing window page (framed by the SDK's overlay; ``frame-ancestors`` = that origin).
``POST /sandbox/kakaopay/window/{session_id}/outcome``  (same origin only)
    The window reports what happened on the customer's phone; the server applies it
    (`checkout.CheckoutSessions.finish`) and answers ``{"rsp": …}``. A second POST is refused
    with 409 and the first result, so a retried request still learns what was recorded.
``GET /sandbox/`` (``/`` redirects here)
    The demo / staff training page: a form that runs ``IMP.init`` + ``IMP.request_pay``.

Every page is static HTML with external scripts under a strict CSP (no inline script or style);
values are HTML-escaped when the template is filled (`render`).

A host page that embeds the SDK needs the SDK's origin in its own CSP ``script-src``,
``connect-src`` and ``frame-src``.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kpadmin.sandbox.checkout import (
    CARDS,
    DECLINE_REASONS,
    CheckoutSession,
    CheckoutSessions,
    ChoiceError,
    PrevalidationError,
    parse_choice,
    prevalidation_rsp,
    valid_origin,
)
from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.state import SandboxState

STATIC_DIR = Path(__file__).with_name("static")
MESSAGE_TYPE = "kpadmin-sandbox:kakaopay-result"
MAX_BODY = 64 * 1024

_CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
}
#: Only these files are served from static/ (the HTML templates are rendered, never served raw).
_PUBLIC_STATIC = frozenset(
    {
        "kakaopay-window.js",
        "kakaopay-window.css",
        "kakaopay-gone.js",
        "demo.js",
        "demo.css",
        "kakaopay-mark.svg",
    }
)
_PLACEHOLDER = re.compile(r"\{\{(\{?)\s*([a-z_]+)\s*\}?\}\}")

_BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
    # Chromium's Private Network Access: a page on a public origin may call the loopback sandbox.
    "Access-Control-Allow-Private-Network": "true",
    "Vary": "Origin",
}


@cache
def _static_text(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def render(template: str, values: dict[str, object], raw: dict[str, str] | None = None) -> str:
    """Fill ``{{name}}`` with HTML-escaped values and ``{{{name}}}`` with trusted server markup.

    A placeholder with no value is a programming error (KeyError), never silently empty.
    """
    raw = raw or {}

    def fill(match: re.Match[str]) -> str:
        is_raw, key = match.group(1), match.group(2)
        if is_raw:
            return raw[key]
        return html.escape(str(values[key]), quote=True)

    return _PLACEHOLDER.sub(fill, template)


def format_won(amount: int) -> str:
    return f"₩{amount:,}"


def _csp(frame_ancestors: str) -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; frame-src 'self'; frame-ancestors {frame_ancestors}; "
        "base-uri 'none'; form-action 'none'"
    )


def _html(body: str, *, frame_ancestors: str = "'none'", status: int = 200) -> Response:
    headers = {**_BASE_HEADERS, "Content-Security-Policy": _csp(frame_ancestors)}
    return Response(
        body, status_code=status, media_type="text/html; charset=utf-8", headers=headers
    )


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def _json_body(request: Request) -> Any:
    data = await request.body()
    if len(data) > MAX_BODY:
        raise ValueError("body too large")
    return json.loads(data.decode("utf-8"))


# ---------------------------------------------------------------------- QR picture
def qr_svg(seed: str, modules: int = 29) -> str:
    """A QR-code-looking SVG drawn from `seed` (finder and timing patterns, hashed data).

    Not a real QR encoder: nothing scans it. It only has to look like the code a customer would
    scan with KakaoTalk, and differ per session.
    """
    bits: list[int] = []
    counter = 0
    while len(bits) < modules * modules:
        digest = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        bits.extend((byte >> i) & 1 for byte in digest for i in range(8))
        counter += 1

    def finder(r: int, c: int) -> bool | None:
        for top, left in ((0, 0), (0, modules - 7), (modules - 7, 0)):
            if top - 1 <= r <= top + 7 and left - 1 <= c <= left + 7:
                dr, dc = r - top, c - left
                if not (0 <= dr <= 6 and 0 <= dc <= 6):
                    return False  # the quiet ring around a finder
                ring = max(abs(dr - 3), abs(dc - 3))
                return ring != 2
        return None

    path: list[str] = []
    for r in range(modules):
        for c in range(modules):
            fixed = finder(r, c)
            if fixed is None and (r == 6 or c == 6):
                fixed = (r + c) % 2 == 0  # timing patterns
            dark = fixed if fixed is not None else bits[r * modules + c] == 1
            if dark:
                path.append(f"M{c + 2} {r + 2}h1v1h-1z")
    size = modules + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'class="qr-code" id="qr-code" role="img" aria-label="QR code" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#191919" d="{"".join(path)}"/></svg>'
    )


# ---------------------------------------------------------------------- route handlers
class BrowserSide:
    """The handlers, sharing one `CheckoutSessions` (see the module docstring for routes)."""

    def __init__(self, state: SandboxState, config: SandboxConfig) -> None:
        self.state = state
        self.config = config
        self.sessions = CheckoutSessions(state, config)

    async def iamport_js(self, request: Request) -> Response:
        headers = {**_BASE_HEADERS, "Access-Control-Allow-Origin": "*"}
        return Response(
            _static_text("iamport.js"), media_type=_CONTENT_TYPES[".js"], headers=headers
        )

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _PUBLIC_STATIC:
            return Response("not found", status_code=404, headers=_BASE_HEADERS)
        content_type = _CONTENT_TYPES[Path(name).suffix]
        return Response(_static_text(name), media_type=content_type, headers=_BASE_HEADERS)

    async def checkout_preflight(self, request: Request) -> Response:
        return Response(status_code=204, headers=_CORS)

    async def checkout(self, request: Request) -> Response:
        try:
            body = await _json_body(request)
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": "bad request body"}, status_code=400, headers=_CORS)
        if not isinstance(body, dict):
            return JSONResponse({"error": "bad request body"}, status_code=400, headers=_CORS)
        params = body.get("params")
        # The browser sets Origin itself; a page cannot lie about it. Tools without one (curl)
        # may name it in the body; without either the result goes to any parent ("*").
        origin = valid_origin(request.headers.get("origin")) or valid_origin(
            body.get("parent_origin")
        )
        try:
            session = self.sessions.open(
                body.get("imp_code"),
                params,
                parent_origin=origin or "null",
                user_agent=request.headers.get("user-agent"),
            )
        except PrevalidationError as exc:
            return JSONResponse({"rsp": prevalidation_rsp(params, exc)}, headers=_CORS)
        window_url = str(request.url_for("kakaopay_window", session_id=session.session_id))
        return JSONResponse(
            {"session_id": session.session_id, "window_url": window_url}, headers=_CORS
        )

    def _window_values(self, session: CheckoutSession, request: Request) -> dict[str, Any]:
        p = session.params
        is_issue_only = p.amount == 0
        return {
            "order_name": p.name,
            "amount_text": "정기결제 등록" if is_issue_only else format_won(p.amount),
            "amount_note": (
                "카드·카카오머니를 등록하고 다음 결제부터 자동으로 결제돼요"
                if is_issue_only
                else "첫 결제와 함께 정기결제가 등록돼요"
            ),
            "amount_class": "issue-only" if is_issue_only else "with-payment",
            "merchant_uid": p.merchant_uid,
            "session_json": json.dumps(
                {
                    "session_id": session.session_id,
                    "window_token": session.window_token,
                    "parent_origin": session.parent_origin,
                    "seconds_left": self.sessions.seconds_left(session),
                    "timeout_s": self.config.window_timeout_s,
                    "outcome_url": str(
                        request.url_for("kakaopay_outcome", session_id=session.session_id)
                    ),
                    "message_type": MESSAGE_TYPE,
                    "finished_rsp": session.rsp,
                },
                ensure_ascii=False,
            ),
        }

    async def window(self, request: Request) -> Response:
        session_id = request.path_params["session_id"]
        session = self.sessions.get(session_id)
        if session is None:
            # Expired long ago, or the sandbox restarted (sessions live in memory). The page
            # still tells a waiting SDK, so its overlay does not hang forever.
            page = render(
                _static_text("kakaopay-gone.html"),
                {
                    "message": "결제 요청을 찾을 수 없습니다.",
                    "gone_json": json.dumps(
                        {"session_id": session_id, "message_type": MESSAGE_TYPE},
                        ensure_ascii=False,
                    ),
                },
            )
            return _html(page, frame_ancestors="*", status=404)
        ancestors = "*" if session.parent_origin == "null" else session.parent_origin
        card_options = "".join(
            f'<option value="{c.key}">{html.escape(c.company)}</option>' for c in CARDS
        )
        reason_options = "".join(
            f'<option value="{key}">{html.escape(text)}</option>'
            for key, text in DECLINE_REASONS.items()
        )
        page = render(
            _static_text("kakaopay-window.html"),
            self._window_values(session, request),
            raw={
                "qr_svg": qr_svg(session.session_id),
                "card_options": card_options,
                "reason_options": reason_options,
            },
        )
        return _html(page, frame_ancestors=ancestors)

    async def outcome(self, request: Request) -> Response:
        session = self.sessions.get(request.path_params["session_id"])
        if session is None:
            return JSONResponse({"error": "unknown session"}, status_code=404)
        origin = request.headers.get("origin")
        if origin is not None and origin != _own_origin(request):
            return JSONResponse({"error": "cross-origin outcome refused"}, status_code=403)
        if request.headers.get("x-window-token") != session.window_token:
            return JSONResponse({"error": "bad window token"}, status_code=403)
        try:
            choice = parse_choice(await _json_body(request))
        except (ValueError, UnicodeDecodeError) as exc:
            # ChoiceError is a ValueError: its message is ours, safe to show.
            detail = str(exc) if isinstance(exc, ChoiceError) else "bad request body"
            return JSONResponse({"error": detail}, status_code=400)
        # Checked after the last await: from here to finish() nothing else runs on this loop,
        # so two racing POSTs cannot both get past it.
        if session.rsp is not None:
            return JSONResponse(
                {"error": "this window already has an outcome", "rsp": session.rsp},
                status_code=409,
            )
        rsp = self.sessions.finish(session, choice)
        return JSONResponse({"rsp": rsp, "outcome": session.outcome})

    async def demo(self, request: Request) -> Response:
        page = render(
            _static_text("demo.html"),
            {"imp_code": self.config.imp_code, "origin": _own_origin(request)},
        )
        return _html(page)

    async def root(self, request: Request) -> Response:
        return RedirectResponse(request.url_for("sandbox_demo"), status_code=307)


def browser_routes(state: SandboxState, config: SandboxConfig) -> list[BaseRoute]:
    """The routes that serve the SDK, the window pages and the demo page."""
    side = BrowserSide(state, config)
    return [
        Route("/v1/iamport.js", side.iamport_js, methods=["GET"], name="iamport_js"),
        Route("/sandbox/static/{name}", side.static, methods=["GET"], name="sandbox_static"),
        Route(
            "/sandbox/kakaopay/checkout",
            side.checkout_preflight,
            methods=["OPTIONS"],
            name="kakaopay_checkout_preflight",
        ),
        Route(
            "/sandbox/kakaopay/checkout", side.checkout, methods=["POST"], name="kakaopay_checkout"
        ),
        Route(
            "/sandbox/kakaopay/window/{session_id}",
            side.window,
            methods=["GET"],
            name="kakaopay_window",
        ),
        Route(
            "/sandbox/kakaopay/window/{session_id}/outcome",
            side.outcome,
            methods=["POST"],
            name="kakaopay_outcome",
        ),
        Route("/sandbox/", side.demo, methods=["GET"], name="sandbox_demo"),
        Route("/", side.root, methods=["GET"], name="sandbox_root"),
    ]
