"""The sandbox's browser side: ``/v1/iamport.js`` and the simulated Kakao Pay billing window.

Work in progress: the route list grows as the window lands. The signature is the agreed interface
with ``kpadmin.sandbox.app.create_app``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

if TYPE_CHECKING:
    from kpadmin.sandbox.config import SandboxConfig
    from kpadmin.sandbox.state import SandboxState


def browser_routes(state: SandboxState, config: SandboxConfig) -> list[BaseRoute]:
    """The routes that serve the SDK, the window pages and the demo page."""
    del state, config
    return []
