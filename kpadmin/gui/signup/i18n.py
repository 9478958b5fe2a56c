"""Korean for the sign-up dialog, through Qt's translation system.

The sign-up strings are translated here rather than in the app's ``kpadmin_ko.ts`` so the dialog
arrives complete with its texts. ``KO`` below is the source; it is compiled into
``translations/signup_ko.qm`` (a normal Qt translation file) by

    .venv/bin/python -m kpadmin.gui.signup.i18n      # writes signup_ko.ts, runs lrelease

with every entry under each sign-up context (the widgets' ``tr()`` contexts and ``"signup"`` for
the core's fixed messages). `install_signup_translator()` loads it while Korean is the UI language
(`QLocale()` — set by `kpadmin.gui.i18n`) and removes it otherwise; every other context falls
through to the app's own translators.

Why a compiled file and not a `QTranslator.translate` override in Python (as this module had
first): PySide 6 drops a reference to the ``None`` such an override returns for "no translation"
on every call, and once installed the override is asked for *every* ``tr()`` in the app — a few
thousand table cells later the process died with "Fatal Python error: deallocating None" (the
charging package hit the same; see `kpadmin.gui.charging.i18n`).
"""

from __future__ import annotations

import re
from pathlib import Path

from kpadmin.gui.i18n import KoreanPackageTranslator

HERE = Path(__file__).resolve().parent
QM = HERE / "translations" / "signup_ko.qm"
TS = HERE / "translations" / "signup_ko.ts"

CONTEXTS = frozenset({"SignupDialog", "SignupFormWidget", "PopupWindow", "signup"})

KO: dict[str, str] = {
    # dialog
    "New sign-up": "새 구독 가입",
    "Enter the customer's details. The customer then approves in Kakao Pay; "
    "nothing is saved until i'mport confirms the card.": (
        "고객 정보를 입력하세요. 고객이 카카오페이에서 승인하고, 아임포트가 카드를 확인한 뒤에만 "
        "저장됩니다."
    ),
    "Cancel": "취소",
    "Open Kakao Pay": "카카오페이 열기",
    "Show on second screen": "보조 화면에 표시",
    "Cancel sign-up": "가입 취소",
    "Check again": "다시 확인",
    "Try again": "다시 시도",
    "Close": "닫기",
    "Connecting to i'mport… The window opens once the connection is up.": (
        "아임포트에 연결하는 중… 연결되면 결제창을 열 수 있습니다."
    ),
    "Not connected to i'mport: %1": "아임포트에 연결되지 않았습니다: %1",
    "Set the merchant code (imp_code) in Settings first.": (
        "먼저 설정에서 가맹점 식별코드(imp_code)를 입력하세요."
    ),
    "Only one screen is connected; connect a screen facing the customer.": (
        "화면이 하나뿐입니다. 고객용 화면을 연결하세요."
    ),
    "Kakao Pay": "카카오페이",
    "Opening the Kakao Pay window…": "카카오페이 결제창을 여는 중…",
    "Waiting for the customer to approve in Kakao Pay…": "고객의 카카오페이 승인을 기다리는 중…",
    "Waiting for the customer to approve in Kakao Pay (QR code or phone).": (
        "고객이 카카오페이에서 승인하기를 기다리고 있습니다 (QR 코드 또는 휴대폰)."
    ),
    "Checking with i'mport…": "아임포트에서 확인하는 중…",
    "The Kakao Pay window could not be loaded.": "카카오페이 결제창을 불러오지 못했습니다.",
    " (first payment now)": " (첫 결제 포함)",
    " (card only, ₩0 now)": " (카드 등록만, 지금 ₩0)",
    "First payment of %1 received.": "첫 결제 %1 완료.",
    "Card registered; nothing was charged yet.": (
        "카드가 등록되었습니다. 아직 결제된 금액은 없습니다."
    ),
    "%1 is signed up": "%1 님 가입 완료",
    "Card": "카드",
    "Next charge: %1 (%2)": "다음 결제일: %1 (%2)",
    "Sign-up cancelled": "가입이 취소되었습니다",
    "Kakao Pay declined": "카카오페이 승인 거절",
    "The request timed out": "요청 시간이 초과되었습니다",
    "Not verified": "확인되지 않음",
    "Could not verify": "확인할 수 없음",
    "Payment to look at: %1": "확인이 필요한 결제: %1",
    "Kakao Pay says: %1": "카카오페이 응답: %1",
    # what an unfinished attempt left at i'mport
    "Save subscriber": "구독자 저장",
    "Checking with i'mport that nothing was taken…": (
        "아임포트에서 결제된 금액이 없는지 확인하는 중…"
    ),
    "i'mport confirms that nothing was taken.": "아임포트 확인 결과 결제된 금액은 없습니다.",
    "i'mport could not be asked whether the customer approved meanwhile (order %1). "
    "Check again before starting over.": (
        "그 사이 고객이 승인했는지 아임포트에 확인하지 못했습니다 (주문 %1). "
        "다시 시작하기 전에 다시 확인하세요."
    ),
    "The customer approved after all": "고객이 결국 승인했습니다",
    "The window ended without a sign-up, but the approval reached i'mport.": (
        "결제창은 가입 없이 끝났지만, 승인은 아임포트에 도달했습니다."
    ),
    "i'mport confirms the card and the first payment. Save the subscriber, or refund the "
    "payment; leaving without saving removes the card.": (
        "아임포트에서 카드와 첫 결제가 확인되었습니다. 구독자를 저장하거나 결제를 환불하세요. "
        "저장하지 않고 나가면 카드 등록이 삭제됩니다."
    ),
    "i'mport confirms the card. Save the subscriber; leaving without saving removes the card.": (
        "아임포트에서 카드가 확인되었습니다. 구독자를 저장하세요. "
        "저장하지 않고 나가면 카드 등록이 삭제됩니다."
    ),
    "%1 was taken (imp_uid %2) and no subscriber was saved.": (
        "%1이 결제되었지만 (imp_uid %2) 구독자는 저장되지 않았습니다."
    ),
    "The card was registered; it is deleted when you leave this attempt.": (
        "카드가 등록되었습니다. 이 시도를 떠나면 카드 등록이 삭제됩니다."
    ),
    "Refund %1 now": "지금 %1 환불",
    "Sign-up not completed": "가입이 완료되지 않았습니다",
    "Refund it in the i'mport console; the audit log has the details.": (
        "아임포트 관리자 콘솔에서 환불하세요. 자세한 내용은 감사 기록에 있습니다."
    ),
    "Confirm: refund %1": "확인: %1 환불",
    "The refund was not confirmed: %1": "환불이 확인되지 않았습니다: %1",
    "Refunded %1.": "%1 환불 완료.",
    # form
    "Name": "이름",
    "Mobile": "휴대폰",
    "E-mail": "이메일",
    "Plan": "상품",
    "Monthly amount (₩)": "월 금액 (₩)",
    "Billing day": "결제일",
    "Channel": "가입 경로",
    "Phone": "전화",
    "In person": "대면",
    "e.g. 김하늘": "예: 김하늘",
    "e.g. 프리미엄 월 구독": "예: 프리미엄 월 구독",
    "optional": "선택",
    " of each month": "일 (매월)",
    "Take the first payment now": "첫 결제를 지금 받기",
    "The customer pays ₩%1 now; the next charge is next month.": (
        "고객이 지금 ₩%1을 결제하고, 다음 결제는 다음 달입니다."
    ),
    "The customer pays the first month now.": "고객이 첫 달 요금을 지금 결제합니다.",
    "Only the card is registered now (₩0); the first charge is on the billing day.": (
        "지금은 카드만 등록합니다 (₩0). 첫 결제는 결제일에 이루어집니다."
    ),
    # kpadmin.billing.signup messages
    "Enter the customer's name.": "고객 이름을 입력하세요.",
    "The name is too long (50 characters at most).": "이름이 너무 깁니다 (최대 50자).",
    "The name contains characters that cannot be used.": "사용할 수 없는 문자가 있습니다.",
    "Enter a mobile number.": "휴대폰 번호를 입력하세요.",
    "Enter a Korean mobile number, e.g. 010-1234-5678.": (
        "휴대폰 번호 형식을 확인하세요 (예: 010-1234-5678)."
    ),
    "Enter a valid e-mail address, or leave it empty.": (
        "올바른 이메일 주소를 입력하거나 비워 두세요."
    ),
    "The plan name contains characters that cannot be used.": (
        "상품명에 사용할 수 없는 문자가 있습니다."
    ),
    "The plan name is too long (40 characters at most).": "상품명이 너무 깁니다 (최대 40자).",
    "Enter the monthly amount in won.": "월 금액을 원 단위로 입력하세요.",
    "The amount must be a whole number of won, e.g. 9,900.": (
        "금액은 원 단위 정수로 입력하세요 (예: 9,900)."
    ),
    "The amount must be more than ₩0.": "금액은 ₩0보다 커야 합니다.",
    "The amount is above ₩10,000,000; check it.": "금액이 ₩10,000,000을 넘습니다. 확인하세요.",
    "The billing day must be between 1 and 31.": "결제일은 1일에서 31일 사이여야 합니다.",
    "Choose phone or in person.": "전화 또는 대면을 선택하세요.",
    "The Kakao Pay window was closed before approval. Nothing was saved.": (
        "승인 전에 카카오페이 결제창이 닫혔습니다. 저장된 내용은 없습니다."
    ),
    "Kakao Pay declined the request. Nothing was saved.": (
        "카카오페이가 요청을 거절했습니다. 저장된 내용은 없습니다."
    ),
    "Nobody approved in time; the request expired. Nothing was saved.": (
        "제한 시간 안에 승인되지 않아 요청이 만료되었습니다. 저장된 내용은 없습니다."
    ),
    "i'mport does not confirm this sign-up. Nothing was saved.": (
        "아임포트에서 이 가입을 확인할 수 없습니다. 저장된 내용은 없습니다."
    ),
    "A first payment was taken but the sign-up could not be verified. Nothing was saved; "
    "check the payment in the i'mport console and refund it if needed.": (
        "첫 결제는 이루어졌지만 가입을 확인할 수 없습니다. 저장된 내용은 없습니다. "
        "아임포트 관리자 콘솔에서 결제를 확인하고 필요하면 환불하세요."
    ),
    "i'mport could not be reached to verify the sign-up. Nothing was saved yet.": (
        "가입 확인을 위해 아임포트에 연결하지 못했습니다. 아직 저장된 내용은 없습니다."
    ),
    "The Kakao Pay window could not be loaded. Nothing was saved.": (
        "카카오페이 결제창을 불러오지 못했습니다. 저장된 내용은 없습니다."
    ),
    "The sign-up could not be verified. Nothing was saved.": (
        "가입을 확인할 수 없습니다. 저장된 내용은 없습니다."
    ),
}


def arg(text: str, *values: object) -> str:
    """Qt-style placeholders: ``%1``, ``%2`` … replaced in one pass (never raises, unlike ``%``,
    when a translation drops or repeats a placeholder)."""
    return re.sub(
        r"%([1-9])",
        lambda m: (
            str(values[int(m.group(1)) - 1]) if int(m.group(1)) <= len(values) else m.group(0)
        ),
        text,
    )


_translator = KoreanPackageTranslator(QM)


def install_signup_translator() -> None:
    """Load the Korean file while Korean is the UI language, remove it otherwise (idempotent)."""
    _translator.sync()


def write_ts(path: Path = TS) -> None:
    """The ``.ts`` source for lrelease: every ``KO`` entry under every sign-up context."""
    from xml.sax.saxutils import escape

    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<TS version="2.1" language="ko_KR">']
    for context in sorted(CONTEXTS):
        parts.append(f"<context><name>{escape(context)}</name>")
        for source, korean in KO.items():
            parts.append(
                f"<message><source>{escape(source)}</source>"
                f"<translation>{escape(korean)}</translation></message>"
            )
        parts.append("</context>")
    parts.append("</TS>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import shutil
    import subprocess
    import sys

    write_ts()
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).parent / "pyside6-lrelease"
    )
    subprocess.run([lrelease, str(TS), "-qm", str(QM)], check=True)
    print(f"{QM}: {len(KO)} strings")
