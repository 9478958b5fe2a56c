"""Seeded randomness for the sandbox: network faults and random declines.

`Faults` draws, per request, whether one of the four network faults hits (see `config.py` for
what each does). Every draw consumes exactly four numbers from its RNG whatever the rates are, so
a run with ``--seed`` is reproducible for the same request sequence, and changing one rate at run
time does not shift the others. Declines use a second RNG (same seed) so that turning faults on
does not change which charges are declined.

The rates are read from the live `SandboxConfig` at every draw: tests change them at run time
through `Faults.configure` (or the running server's `set_faults`).
"""

from __future__ import annotations

import enum
import random
import threading

from kpadmin.sandbox.config import FAULT_ENDPOINTS, SandboxConfig

#: Kakao Pay-like decline texts for ``--decline-rate`` (what the PG puts into ``fail_reason``).
DECLINE_REASONS = (
    "[CARD_DECLINED] 카드사 승인이 거절되었습니다. (한도초과)",
    "[CARD_DECLINED] 카드사 승인이 거절되었습니다. (잔액부족)",
    "[CARD_DECLINED] 정지 또는 분실 신고된 카드입니다.",
    "[MONEY_SHORTAGE] 카카오머니 잔액이 부족합니다.",
    "[PAYMENT_BLOCKED] 카카오페이 결제가 일시적으로 제한되었습니다.",
)


class Fault(enum.Enum):
    ERROR_BEFORE = "error_before"
    ERROR_AFTER = "error_after"
    DROP_AFTER = "drop_after"
    DELAY_AFTER = "delay_after"


_ORDER = (Fault.ERROR_BEFORE, Fault.ERROR_AFTER, Fault.DROP_AFTER, Fault.DELAY_AFTER)


class Faults:
    """The seeded fault and decline dice of one sandbox."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._fault_rng = random.Random(config.seed)
        self._decline_rng = random.Random(None if config.seed is None else config.seed + 1)

    def configure(
        self,
        *,
        error_before: float | None = None,
        error_after: float | None = None,
        drop_after: float | None = None,
        delay_after: float | None = None,
        delay_s: float | None = None,
        endpoints: frozenset[str] | set[str] | None = None,
        decline_rate: float | None = None,
    ) -> None:
        """Change rates at run time (None = keep). Validated like the config."""
        changes: dict[str, object] = {}
        rates: tuple[tuple[str, float | None], ...] = (
            ("fault_error_before", error_before),
            ("fault_error_after", error_after),
            ("fault_drop_after", drop_after),
            ("fault_delay_after", delay_after),
            ("fault_delay_s", delay_s),
            ("decline_rate", decline_rate),
        )
        for name, value in rates:
            if value is not None:
                changes[name] = value
        if endpoints is not None:
            unknown = set(endpoints) - set(FAULT_ENDPOINTS)
            if unknown:
                raise ValueError(f"unknown fault endpoints: {sorted(unknown)}")
            changes["fault_endpoints"] = frozenset(endpoints)
        self.config.replace(**changes)  # validates without touching the live config
        with self._lock:
            for name, change in changes.items():
                setattr(self.config, name, change)

    def clear(self) -> None:
        """No faults at all (declines unchanged)."""
        self.configure(error_before=0, error_after=0, drop_after=0, delay_after=0)

    def draw(self, endpoint: str) -> Fault | None:
        """The fault hitting this request to `endpoint`, if any."""
        with self._lock:
            rolls = [self._fault_rng.random() for _ in _ORDER]
            if endpoint not in self.config.fault_endpoints:
                return None
            for fault, roll in zip(_ORDER, rolls, strict=True):
                if roll < getattr(self.config, f"fault_{fault.value}"):
                    return fault
            return None

    def decline_reason(self) -> str | None:
        """A random decline text with probability ``decline_rate``, else None."""
        with self._lock:
            roll = self._decline_rng.random()
            pick = self._decline_rng.randrange(len(DECLINE_REASONS))
            if roll < self.config.decline_rate:
                return DECLINE_REASONS[pick]
            return None
