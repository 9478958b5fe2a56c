"""`kpadmin sandbox`: run the i'mport simulator until SIGINT/SIGTERM.

The first line on stdout is the base URL (flushed at once, so a parent process can read it), then
the credentials to use::

    $ kpadmin sandbox --port 8712 --state sandbox.sqlite --monthly-limit 3
    http://127.0.0.1:8712
    imp_code   imp00000000
    imp_key    sandbox-key
    imp_secret sandbox-secret
    ...

The secret printed is the sandbox's own (a documented default or the one you passed), never a
real merchant secret. Exit status 0 after a clean stop; a second Ctrl+C/SIGTERM while stopping
leaves at once (status 0 too: stopping is how a sandbox ends).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from types import FrameType

from kpadmin.clock import default_clock
from kpadmin.sandbox.config import (
    ANSWER_STYLES,
    DEFAULT_FAULT_ENDPOINTS,
    DEFAULT_IMP_CODE,
    DEFAULT_IMP_KEY,
    DEFAULT_IMP_SECRET,
    FAULT_ENDPOINTS,
    SandboxConfig,
)
from kpadmin.sandbox.server import SandboxServer


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _endpoints(text: str) -> frozenset[str]:
    names = frozenset(n.strip() for n in text.split(",") if n.strip())
    unknown = names - set(FAULT_ENDPOINTS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown endpoint(s) {', '.join(sorted(unknown))}; known: {', '.join(FAULT_ENDPOINTS)}"
        )
    return names


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Run the i'mport V1 sandbox (REST API, iamport.js, Kakao Pay window)."
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (0 = pick a free one)"
    )
    parser.add_argument(
        "--state", metavar="FILE", default=None, help="keep the state in this SQLite file"
    )
    parser.add_argument("--imp-code", default=DEFAULT_IMP_CODE, help="merchant code for IMP.init")
    parser.add_argument("--imp-key", default=DEFAULT_IMP_KEY, help="REST API key")
    parser.add_argument("--imp-secret", default=DEFAULT_IMP_SECRET, help="REST API secret")
    parser.add_argument(
        "--monthly-limit",
        type=int,
        default=None,
        metavar="N",
        help="decline charges beyond N paid ones per billing key per month (Asia/Seoul)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed declines and faults")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay every REST answer")
    parser.add_argument("--decline-rate", type=_rate, default=0.0, help="random declines (0..1)")
    parser.add_argument(
        "--fault-error-before", type=_rate, default=0.0, help="HTTP 500 without processing (0..1)"
    )
    parser.add_argument(
        "--fault-error-after", type=_rate, default=0.0, help="process, then HTTP 500 (0..1)"
    )
    parser.add_argument(
        "--fault-drop-after", type=_rate, default=0.0, help="process, then drop the connection"
    )
    parser.add_argument(
        "--fault-delay-after", type=_rate, default=0.0, help="process, then answer late (0..1)"
    )
    parser.add_argument(
        "--fault-delay-s", type=float, default=90.0, help="how late a delayed answer is (seconds)"
    )
    parser.add_argument(
        "--fault-endpoints",
        type=_endpoints,
        default=DEFAULT_FAULT_ENDPOINTS,
        metavar="NAMES",
        help="comma-separated endpoints faults apply to (default: all but token); known: "
        + ", ".join(FAULT_ENDPOINTS),
    )
    parser.add_argument(
        "--window-timeout-s",
        type=float,
        default=300.0,
        help="how long the simulated Kakao Pay window waits",
    )
    parser.add_argument(
        "--answer-style",
        choices=ANSWER_STYLES,
        default="live",
        help="live: records shaped like the live service's captured answers (no `sandbox` field,"
        " a Kakao Money key without card fields); spec: the shape v1.openapi.yml demands",
    )


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(
        imp_code=args.imp_code,
        imp_key=args.imp_key,
        imp_secret=args.imp_secret,
        monthly_limit=args.monthly_limit,
        seed=args.seed,
        latency_ms=args.latency_ms,
        decline_rate=args.decline_rate,
        fault_error_before=args.fault_error_before,
        fault_error_after=args.fault_error_after,
        fault_drop_after=args.fault_drop_after,
        fault_delay_after=args.fault_delay_after,
        fault_delay_s=args.fault_delay_s,
        fault_endpoints=args.fault_endpoints,
        window_timeout_s=args.window_timeout_s,
        answer_style=args.answer_style,
        # The process's clock: the system's, or KPADMIN_NOW's when a test or a trainer set it.
        clock=default_clock(),
    )


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ValueError as exc:
        print(f"kpadmin sandbox: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        if stop.is_set():
            # A second Ctrl+C while stopping (a delayed answer can hold the shutdown for
            # seconds): leave now. The state is SQLite; what it committed stays.
            print("sandbox stopped at once", file=sys.stderr, flush=True)
            os._exit(0)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server = SandboxServer(config, args.state, port=args.port)
    try:
        base_url = server.start()
    except (OSError, RuntimeError) as exc:
        print(f"kpadmin sandbox: could not start: {exc}", file=sys.stderr)
        server.state.close()
        return 1
    print(base_url, flush=True)
    print(f"imp_code   {config.imp_code}")
    print(f"imp_key    {config.imp_key}")
    print(f"imp_secret {config.imp_secret}")
    print(f"state      {args.state or '(in memory)'}")
    print(f"iamport.js {base_url}/v1/iamport.js")
    print("Ctrl+C stops the sandbox.", flush=True)
    while not stop.wait(0.5):
        pass
    server.close()
    print("sandbox stopped", flush=True)
    return 0
