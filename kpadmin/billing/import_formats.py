"""What Korean Excel makes of a subscriber file, read back: Korean column headers (the ones the
app's own Korean exports write) and the date formats Korean Excel writes.

Amounts (``\\9,900``, ``￦9,900``, ``9,900 원``) and mobile numbers whose leading 0 Excel dropped
are field rules: `kpadmin.billing.fields` (sign-up and the edit dialog take them too).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Final

#: Korean headers → the file's column names. Spaces and case do not matter (`column_key`).
HEADER_ALIASES: Final[dict[str, str]] = {
    "고객uid": "customer_uid",
    "빌링키id": "customer_uid",
    "빌링키": "customer_uid",
    "이름": "name",
    "고객명": "name",
    "성명": "name",
    "휴대폰번호": "phone",
    "휴대폰": "phone",
    "휴대전화": "phone",
    "전화번호": "phone",
    "연락처": "phone",
    "금액": "amount",
    "월금액": "amount",
    "결제금액": "amount",
    "이메일": "email",
    "이메일주소": "email",
    "상품": "plan",
    "상품명": "plan",
    "요금제": "plan",
    "다음결제일": "next_charge_date",
    # The subscriber export's other columns: accepted and ignored on import.
    "결제일": "billing_day",
    "상태": "state",
    "카드": "card_name",
    "카드사": "card_name",
    "카드번호": "card_number",
    "가입경로": "channel",
    "메모": "memo",
    "등록일시": "created_at",
    "수정일시": "updated_at",
}

#: The Korean header our export would write for each column (the first alias listed above).
KOREAN_HEADERS: Final[dict[str, str]] = {
    "customer_uid": "고객 UID",
    "name": "이름",
    "phone": "휴대폰 번호",
    "amount": "금액",
    "email": "이메일",
    "plan": "상품",
    "next_charge_date": "다음 결제일",
    "billing_day": "결제일",
    "state": "상태",
    "card_name": "카드",
    "card_number": "카드 번호",
    "channel": "가입 경로",
    "memo": "메모",
    "created_at": "등록일시",
    "updated_at": "수정일시",
}


def column_key(header: str) -> str:
    """A header cell as a column name: English names lower-cased, Korean ones by their alias."""
    text = unicodedata.normalize("NFC", header).strip().lstrip("\ufeff")
    folded = "".join(text.split()).lower()
    return HEADER_ALIASES.get(folded, text.lower())


#: 2026-12-06, 2026.12.06, 2026. 12. 6., 2026/12/06 (Korean Excel's date cells saved as CSV).
_DAY = re.compile(r"(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})\s*\.?")


class NotADate(ValueError):
    """Text that is not written as a date in any accepted format."""


def parse_day(raw: str) -> date:
    """A day from ``YYYY-MM-DD``, ``YYYY.MM.DD``, ``YYYY. M. D.`` or ``YYYY/MM/DD``.

    Raises `NotADate` for another shape and ValueError (from `date`) for one that is not a real
    day (2026-02-30)."""
    m = _DAY.fullmatch(raw.strip())
    if m is None or (m.group(2) == "-" and raw.strip().endswith(".")):
        raise NotADate(raw)
    return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
