"""Korean for the charging UI, through Qt's translation system.

The charging package brings its own Korean so it arrives complete: ``KO`` below is the source of
the translations, compiled into ``translations/charging_ko.qm`` (a normal Qt translation file) by

    .venv/bin/python -m kpadmin.gui.charging.i18n      # writes charging_ko.ts, runs lrelease

which finds every ``tr()`` / ``self.tr()`` of the package with its context (the class name, or
the empty context of ``formatting.tr``). `install_charging_translator()` loads the ``.qm`` while
Korean is the UI language (`QLocale()`, set by `kpadmin.gui.i18n`) and removes it otherwise; strings
it does not know fall through to the app's own translators.

Why a compiled file and not a `QTranslator.translate` override in Python: PySide 6 mishandles the
``None`` such an override must return for "no translation" (a reference to ``None`` is dropped on
every call), and the table calls ``tr()`` for every cell — the process died with "deallocating
None" after a few thousand rows (seen in bench/ui_responsiveness.py).
"""

from __future__ import annotations

from pathlib import Path

from kpadmin.gui.i18n import KoreanPackageTranslator

HERE = Path(__file__).resolve().parent
QM = HERE / "translations" / "charging_ko.qm"
TS = HERE / "translations" / "charging_ko.ts"

KO: dict[str, str] = {
    # amount mismatch (paid, for another amount than was asked)
    "{n} payment(s) were charged for another amount than was asked. They are recorded as "
    "paid; check each one at i'mport (the subscriber's history shows both amounts).": (
        "결제 {n}건이 요청한 금액과 다른 금액으로 결제되었습니다. 결제 완료로 기록했으니 "
        "아임포트에서 하나씩 확인하세요 (구독자 결제 내역에 두 금액이 모두 나옵니다)."
    ),
    # confirmation
    "Confirm charge": "결제 확인",
    "Nobody can be charged": "결제할 구독자가 없습니다",
    "Each charge goes to the customer's Kakao Pay billing key once; you can stop the batch, "
    "but charges already sent cannot be recalled.": (
        "고객의 카카오페이 빌링키로 한 번씩 결제됩니다. 일괄 결제는 중간에 멈출 수 있지만, "
        "이미 보낸 결제는 되돌릴 수 없습니다."
    ),
    "Subscriber": "구독자",
    "Plan": "상품",
    "Period": "기간",
    "Amount": "금액",
    "Why": "사유",
    "Detail": "내용",
    "Don't charge": "결제하지 않기",
    "Charge {n} subscriber(s) now?": "구독자 {n}명을 지금 결제할까요?",
    "{total} in total": "합계 {total}",
    "{n} of them before their next charge date.": "그중 {n}명은 다음 결제일 전입니다.",
    "Skipped {n}: {counts}": "제외 {n}명: {counts}",
    "Charge {total}": "{total} 결제",
    # controller messages
    "A charge batch is running. Wait for it to finish, or stop it, first.": (
        "일괄 결제가 진행 중입니다. 끝나거나 멈춘 뒤에 다시 시도하세요."
    ),
    "A charge is being prepared; finish or close its confirmation first.": (
        "결제를 준비하는 중입니다. 먼저 확인 창을 마치거나 닫으세요."
    ),
    "Reconciling; try again in a moment.": "대사 중입니다. 잠시 후 다시 시도하세요.",
    "A charge batch is running.": "일괄 결제가 진행 중입니다.",
    "Reconciling: looking up charges whose outcome is unknown…": (
        "대사 중: 결과를 알 수 없는 결제를 조회하고 있습니다…"
    ),
    "Select the subscribers to charge first.": "먼저 결제할 구독자를 선택하세요.",
    "Stopping the batch: no new charges are sent.": (
        "일괄 결제를 멈추는 중: 새 결제는 보내지 않습니다."
    ),
    "Batch finished: {paid} paid ({amount}), {failed} not paid.": (
        "일괄 결제 완료: {paid}건 결제 ({amount}), {failed}건 미결제."
    ),
    "Batch stopped: {paid} paid ({amount}), {failed} not paid.": (
        "일괄 결제 중단: {paid}건 결제 ({amount}), {failed}건 미결제."
    ),
    "That charge cannot be refunded (not paid, or refunded already).": (
        "이 결제는 환불할 수 없습니다 (미결제 또는 이미 환불됨)."
    ),
    "A charge batch is still running.": "일괄 결제가 아직 진행 중입니다.",
    "Reconcile: nothing is in doubt.": "대사: 확인이 필요한 결제가 없습니다.",
    "Refunding {amount}…": "{amount} 환불 중…",
    "Reconcile: {checked} looked up — {paid} paid, {declined} declined, {resend} never reached "
    "i'mport (sent again next time), {unknown} still unknown.": (
        "대사: {checked}건 조회 — 결제 {paid}건, 거절 {declined}건, 아임포트 미도달 {resend}건 "
        "(다음에 다시 전송), 아직 알 수 없음 {unknown}건."
    ),
    "{name} has no paid charge left to refund.": "{name} 님에게 환불할 결제가 없습니다.",
    "{name} is not charged: {why} — {detail}": "{name} 님은 결제하지 않았습니다: {why} — {detail}",
    # batch window
    "Charging": "결제 중",
    "Looking up charges in doubt…": "확인이 필요한 결제를 조회하는 중…",
    "Paid": "결제됨",
    "Declined": "거절됨",
    "Outcome unknown": "결과 알 수 없음",
    "In flight": "처리 중",
    "Not paid": "결제되지 않음",
    "Stop sending": "전송 멈추기",
    "No new charges are sent; those in flight finish and are recorded.": (
        "새 결제는 보내지 않습니다. 처리 중인 결제는 끝까지 기록됩니다."
    ),
    "Close": "닫기",
    "Stopping: no new charges; waiting for those in flight…": (
        "멈추는 중: 새 결제 없음, 처리 중인 결제를 기다리는 중…"
    ),
    "Result": "결과",
    "Reason": "사유",
    "{n} subscriber(s), {total} in total": "구독자 {n}명, 합계 {total}",
    "Collected {amount}": "수납 {amount}",
    "The batch stopped: {why}": "일괄 결제가 멈췄습니다: {why}",
    "Stopped: {why}": "중단됨: {why}",
    "Stopped: the journal could not be written": "중단됨: 결제 기록을 저장할 수 없습니다",
    "Nothing was charged": "결제된 건이 없습니다",
    "{n} outcome(s) unknown: they are blocked until Reconcile settles them.": (
        "{n}건은 결과를 알 수 없어 대사로 확인될 때까지 결제가 막힙니다."
    ),
    "{n} never reached i'mport; the next batch sends them again.": (
        "{n}건은 아임포트에 도달하지 않았습니다. 다음 일괄 결제에서 다시 보냅니다."
    ),
    "Charging… {done} of {total}": "결제 중… {total}건 중 {done}건",
    "Stopped by you: {done} of {total} sent": "사용자가 멈춤: {total}건 중 {done}건 전송",
    "Done: all {n} paid": "완료: {n}건 모두 결제됨",
    "Done: {paid} paid, {failed} not paid": "완료: {paid}건 결제, {failed}건 미결제",
    # refunds
    "Refund": "환불",
    "Payment": "결제",
    "Part of it:": "일부 금액:",
    "Required: why the customer gets money back": "필수: 환불 사유",
    "Cancel": "취소",
    "Review…": "검토…",
    "A refund cannot be undone.": "환불은 되돌릴 수 없습니다.",
    "Back": "뒤로",
    "There is no paid charge left to refund.": "환불할 결제가 없습니다.",
    "That charge no longer exists.": "이 결제는 더 이상 존재하지 않습니다.",
    "i'mport shows no new refund for this payment; nothing more was recorded.": (
        "아임포트에 이 결제의 새 환불이 없습니다. 더 기록한 내용은 없습니다."
    ),
    "A reason is required.": "사유를 입력하세요.",
    "Refunded {amount} ({total} of {paid} refunded in total).": (
        "{amount} 환불 완료 ({paid} 중 누적 {total} 환불)."
    ),
    "Refund a payment of {name}": "{name} 님의 결제 환불",
    "{period} · {amount} paid {when}": "{period} · {amount} 결제 {when}",
    "Enter the amount to refund in whole won.": "환불 금액을 원 단위 정수로 입력하세요.",
    "the whole remaining {amount}": "남은 전액 {amount}",
    "Refund {what} of {name}'s {period} payment ({paid})?\nReason: {reason}": (
        "{name} 님의 {period} 결제({paid})에서 {what}을(를) 환불할까요?\n사유: {reason}"
    ),
    "Refund {amount}": "{amount} 환불",
    "The refundable balance changed to {balance} meanwhile; nothing was refunded.": (
        "그사이 환불 가능 잔액이 {balance}(으)로 바뀌었습니다. 환불하지 않았습니다."
    ),
    "i'mport refused the refund: {why} Nothing was refunded.": (
        "아임포트가 환불을 거절했습니다: {why} 환불된 금액은 없습니다."
    ),
    "i'mport's refundable balance differs from ours (was it refunded elsewhere?). Check the "
    "payment at i'mport before trying again.": (
        "아임포트의 환불 가능 잔액이 기록과 다릅니다 (다른 곳에서 환불했나요?). 다시 시도하기 "
        "전에 아임포트에서 결제를 확인하세요."
    ),
    "All that is left: {amount}": "남은 전액: {amount}",
    "The answer from i'mport was lost and the payment could not be looked up. Check it at "
    "i'mport before trying again.": (
        "아임포트의 응답이 유실되었고 결제를 조회하지 못했습니다. 다시 시도하기 전에 "
        "아임포트에서 확인하세요."
    ),
    "{left} left": "잔액 {left}",
    "At most {balance} can be refunded.": "최대 {balance}까지 환불할 수 있습니다.",
    # skip reasons and outcomes
    "Paused": "일시정지",
    "Subscription cancelled": "구독 해지됨",
    "Billing key missing": "빌링키 없음",
    "Not due yet": "아직 결제일 아님",
    "Already paid for this period": "이번 기간 결제 완료",
    "Earlier charge in doubt (reconcile first)": "이전 결제 확인 필요 (먼저 대사)",
    "Monthly cap reached": "월 한도 도달",
    "No such subscriber": "없는 구독자",
    "Declined earlier in this run": "이번 실행에서 이미 거절됨",
    "Changed since the confirmation": "확인 후 변경됨",
    "Rejected": "거부됨",
    "Not sent": "전송 안 됨",
    "Sending": "전송 중",
    "Sign the customer up again to get a new billing key.": (
        "새 빌링키를 받으려면 고객을 다시 가입시키세요."
    ),
    "Skipped: not sent to i'mport": "제외: 아임포트에 보내지 않음",
    "Not paid, and skipped": "결제되지 않음 · 제외",
}


_translator = KoreanPackageTranslator(QM)


def install_charging_translator() -> None:
    """Load the Korean charging strings when Korean is the UI language; unload them otherwise."""
    _translator.sync()


def collect_sources() -> dict[str, list[str]]:
    """Every literal passed to ``tr`` in this package, by translation context."""
    import ast

    found: dict[str, list[str]] = {}

    def visit(node: ast.AST, cls: str) -> None:
        for child in ast.iter_child_nodes(node):
            context = child.name if isinstance(child, ast.ClassDef) else cls
            if isinstance(child, ast.Call) and child.args:
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                first = child.args[0]
                if (
                    name == "tr"
                    and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                ):
                    key = cls if isinstance(func, ast.Attribute) else ""
                    texts = found.setdefault(key, [])
                    if first.value not in texts:
                        texts.append(first.value)
            visit(child, context)

    for path in sorted(HERE.glob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def write_ts(path: Path = TS) -> list[str]:
    """Write the .ts for lrelease; returns the source texts that have no Korean yet."""
    from xml.sax.saxutils import escape

    missing: list[str] = []
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        '<TS version="2.1" language="ko_KR">',
    ]
    for context, texts in sorted(collect_sources().items()):
        parts.append(f"<context><name>{escape(context)}</name>")
        for text in texts:
            korean = KO.get(text)
            if korean is None:
                missing.append(text)
                translation = '<translation type="unfinished"></translation>'
            else:
                translation = f"<translation>{escape(korean)}</translation>"
            parts.append(f"<message><source>{escape(text)}</source>{translation}</message>")
        parts.append("</context>")
    parts.append("</TS>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return missing


if __name__ == "__main__":
    import shutil
    import subprocess
    import sys

    gaps = write_ts()
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).parent / "pyside6-lrelease"
    )
    subprocess.run([lrelease, str(TS), "-qm", str(QM)], check=True)
    print(f"{QM}: {len(gaps)} untranslated")
    for text in gaps:
        print(f"  {text!r}")
