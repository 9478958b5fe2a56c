<?xml version="1.0" encoding="utf-8"?>
<TS version="2.1" language="ko_KR">
<context><name>PopupWindow</name>
<message><source>New sign-up</source><translation>새 구독 가입</translation></message>
<message><source>Enter the customer's details. The customer then approves in Kakao Pay; nothing is saved until i'mport confirms the card.</source><translation>고객 정보를 입력하세요. 고객이 카카오페이에서 승인하고, 아임포트가 카드를 확인한 뒤에만 저장됩니다.</translation></message>
<message><source>Cancel</source><translation>취소</translation></message>
<message><source>Open Kakao Pay</source><translation>카카오페이 열기</translation></message>
<message><source>Show on second screen</source><translation>보조 화면에 표시</translation></message>
<message><source>Cancel sign-up</source><translation>가입 취소</translation></message>
<message><source>Check again</source><translation>다시 확인</translation></message>
<message><source>Try again</source><translation>다시 시도</translation></message>
<message><source>Close</source><translation>닫기</translation></message>
<message><source>Connecting to i'mport… The window opens once the connection is up.</source><translation>아임포트에 연결하는 중… 연결되면 결제창을 열 수 있습니다.</translation></message>
<message><source>Not connected to i'mport: %1</source><translation>아임포트에 연결되지 않았습니다: %1</translation></message>
<message><source>Set the merchant code (imp_code) in Settings first.</source><translation>먼저 설정에서 가맹점 식별코드(imp_code)를 입력하세요.</translation></message>
<message><source>Only one screen is connected; connect a screen facing the customer.</source><translation>화면이 하나뿐입니다. 고객용 화면을 연결하세요.</translation></message>
<message><source>Kakao Pay</source><translation>카카오페이</translation></message>
<message><source>Opening the Kakao Pay window…</source><translation>카카오페이 결제창을 여는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay…</source><translation>고객의 카카오페이 승인을 기다리는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay (QR code or phone).</source><translation>고객이 카카오페이에서 승인하기를 기다리고 있습니다 (QR 코드 또는 휴대폰).</translation></message>
<message><source>Checking with i'mport…</source><translation>아임포트에서 확인하는 중…</translation></message>
<message><source>The Kakao Pay window could not be loaded.</source><translation>카카오페이 결제창을 불러오지 못했습니다.</translation></message>
<message><source> (first payment now)</source><translation> (첫 결제 포함)</translation></message>
<message><source> (card only, ₩0 now)</source><translation> (카드 등록만, 지금 ₩0)</translation></message>
<message><source>First payment of %1 received.</source><translation>첫 결제 %1 완료.</translation></message>
<message><source>Card registered; nothing was charged yet.</source><translation>카드가 등록되었습니다. 아직 결제된 금액은 없습니다.</translation></message>
<message><source>%1 is signed up</source><translation>%1 님 가입 완료</translation></message>
<message><source>Card</source><translation>카드</translation></message>
<message><source>Next charge: %1 (%2)</source><translation>다음 결제일: %1 (%2)</translation></message>
<message><source>Sign-up cancelled</source><translation>가입이 취소되었습니다</translation></message>
<message><source>Kakao Pay declined</source><translation>카카오페이 승인 거절</translation></message>
<message><source>The request timed out</source><translation>요청 시간이 초과되었습니다</translation></message>
<message><source>Not verified</source><translation>확인되지 않음</translation></message>
<message><source>Could not verify</source><translation>확인할 수 없음</translation></message>
<message><source>Payment to look at: %1</source><translation>확인이 필요한 결제: %1</translation></message>
<message><source>Kakao Pay says: %1</source><translation>카카오페이 응답: %1</translation></message>
<message><source>Save subscriber</source><translation>구독자 저장</translation></message>
<message><source>Checking with i'mport that nothing was taken…</source><translation>아임포트에서 결제된 금액이 없는지 확인하는 중…</translation></message>
<message><source>i'mport confirms that nothing was taken.</source><translation>아임포트 확인 결과 결제된 금액은 없습니다.</translation></message>
<message><source>i'mport could not be asked whether the customer approved meanwhile (order %1). Check again before starting over.</source><translation>그 사이 고객이 승인했는지 아임포트에 확인하지 못했습니다 (주문 %1). 다시 시작하기 전에 다시 확인하세요.</translation></message>
<message><source>The customer approved after all</source><translation>고객이 결국 승인했습니다</translation></message>
<message><source>The window ended without a sign-up, but the approval reached i'mport.</source><translation>결제창은 가입 없이 끝났지만, 승인은 아임포트에 도달했습니다.</translation></message>
<message><source>i'mport confirms the card and the first payment. Save the subscriber, or refund the payment; leaving without saving removes the card.</source><translation>아임포트에서 카드와 첫 결제가 확인되었습니다. 구독자를 저장하거나 결제를 환불하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>i'mport confirms the card. Save the subscriber; leaving without saving removes the card.</source><translation>아임포트에서 카드가 확인되었습니다. 구독자를 저장하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>%1 was taken (imp_uid %2) and no subscriber was saved.</source><translation>%1이 결제되었지만 (imp_uid %2) 구독자는 저장되지 않았습니다.</translation></message>
<message><source>The card was registered; it is deleted when you leave this attempt.</source><translation>카드가 등록되었습니다. 이 시도를 떠나면 카드 등록이 삭제됩니다.</translation></message>
<message><source>Refund %1 now</source><translation>지금 %1 환불</translation></message>
<message><source>Sign-up not completed</source><translation>가입이 완료되지 않았습니다</translation></message>
<message><source>Refund it in the i'mport console; the audit log has the details.</source><translation>아임포트 관리자 콘솔에서 환불하세요. 자세한 내용은 감사 기록에 있습니다.</translation></message>
<message><source>Confirm: refund %1</source><translation>확인: %1 환불</translation></message>
<message><source>The refund was not confirmed: %1</source><translation>환불이 확인되지 않았습니다: %1</translation></message>
<message><source>Refunded %1.</source><translation>%1 환불 완료.</translation></message>
<message><source>Name</source><translation>이름</translation></message>
<message><source>Mobile</source><translation>휴대폰</translation></message>
<message><source>E-mail</source><translation>이메일</translation></message>
<message><source>Plan</source><translation>상품</translation></message>
<message><source>Monthly amount (₩)</source><translation>월 금액 (₩)</translation></message>
<message><source>Billing day</source><translation>결제일</translation></message>
<message><source>Channel</source><translation>가입 경로</translation></message>
<message><source>Phone</source><translation>전화</translation></message>
<message><source>In person</source><translation>대면</translation></message>
<message><source>e.g. 김하늘</source><translation>예: 김하늘</translation></message>
<message><source>e.g. 프리미엄 월 구독</source><translation>예: 프리미엄 월 구독</translation></message>
<message><source>optional</source><translation>선택</translation></message>
<message><source> of each month</source><translation>일 (매월)</translation></message>
<message><source>Take the first payment now</source><translation>첫 결제를 지금 받기</translation></message>
<message><source>The customer pays ₩%1 now; the next charge is next month.</source><translation>고객이 지금 ₩%1을 결제하고, 다음 결제는 다음 달입니다.</translation></message>
<message><source>The customer pays the first month now.</source><translation>고객이 첫 달 요금을 지금 결제합니다.</translation></message>
<message><source>Only the card is registered now (₩0); the first charge is on the billing day.</source><translation>지금은 카드만 등록합니다 (₩0). 첫 결제는 결제일에 이루어집니다.</translation></message>
<message><source>Enter the customer's name.</source><translation>고객 이름을 입력하세요.</translation></message>
<message><source>The name is too long (50 characters at most).</source><translation>이름이 너무 깁니다 (최대 50자).</translation></message>
<message><source>The name contains characters that cannot be used.</source><translation>사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>Enter a mobile number.</source><translation>휴대폰 번호를 입력하세요.</translation></message>
<message><source>Enter a Korean mobile number, e.g. 010-1234-5678.</source><translation>휴대폰 번호 형식을 확인하세요 (예: 010-1234-5678).</translation></message>
<message><source>Enter a valid e-mail address, or leave it empty.</source><translation>올바른 이메일 주소를 입력하거나 비워 두세요.</translation></message>
<message><source>The plan name contains characters that cannot be used.</source><translation>상품명에 사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>The plan name is too long (40 characters at most).</source><translation>상품명이 너무 깁니다 (최대 40자).</translation></message>
<message><source>Enter the monthly amount in won.</source><translation>월 금액을 원 단위로 입력하세요.</translation></message>
<message><source>The amount must be a whole number of won, e.g. 9,900.</source><translation>금액은 원 단위 정수로 입력하세요 (예: 9,900).</translation></message>
<message><source>The amount must be more than ₩0.</source><translation>금액은 ₩0보다 커야 합니다.</translation></message>
<message><source>The amount is above ₩10,000,000; check it.</source><translation>금액이 ₩10,000,000을 넘습니다. 확인하세요.</translation></message>
<message><source>The billing day must be between 1 and 31.</source><translation>결제일은 1일에서 31일 사이여야 합니다.</translation></message>
<message><source>Choose phone or in person.</source><translation>전화 또는 대면을 선택하세요.</translation></message>
<message><source>The Kakao Pay window was closed before approval. Nothing was saved.</source><translation>승인 전에 카카오페이 결제창이 닫혔습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Kakao Pay declined the request. Nothing was saved.</source><translation>카카오페이가 요청을 거절했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Nobody approved in time; the request expired. Nothing was saved.</source><translation>제한 시간 안에 승인되지 않아 요청이 만료되었습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>i'mport does not confirm this sign-up. Nothing was saved.</source><translation>아임포트에서 이 가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>A first payment was taken but the sign-up could not be verified. Nothing was saved; check the payment in the i'mport console and refund it if needed.</source><translation>첫 결제는 이루어졌지만 가입을 확인할 수 없습니다. 저장된 내용은 없습니다. 아임포트 관리자 콘솔에서 결제를 확인하고 필요하면 환불하세요.</translation></message>
<message><source>i'mport could not be reached to verify the sign-up. Nothing was saved yet.</source><translation>가입 확인을 위해 아임포트에 연결하지 못했습니다. 아직 저장된 내용은 없습니다.</translation></message>
<message><source>The Kakao Pay window could not be loaded. Nothing was saved.</source><translation>카카오페이 결제창을 불러오지 못했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>The sign-up could not be verified. Nothing was saved.</source><translation>가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
</context>
<context><name>SignupDialog</name>
<message><source>New sign-up</source><translation>새 구독 가입</translation></message>
<message><source>Enter the customer's details. The customer then approves in Kakao Pay; nothing is saved until i'mport confirms the card.</source><translation>고객 정보를 입력하세요. 고객이 카카오페이에서 승인하고, 아임포트가 카드를 확인한 뒤에만 저장됩니다.</translation></message>
<message><source>Cancel</source><translation>취소</translation></message>
<message><source>Open Kakao Pay</source><translation>카카오페이 열기</translation></message>
<message><source>Show on second screen</source><translation>보조 화면에 표시</translation></message>
<message><source>Cancel sign-up</source><translation>가입 취소</translation></message>
<message><source>Check again</source><translation>다시 확인</translation></message>
<message><source>Try again</source><translation>다시 시도</translation></message>
<message><source>Close</source><translation>닫기</translation></message>
<message><source>Connecting to i'mport… The window opens once the connection is up.</source><translation>아임포트에 연결하는 중… 연결되면 결제창을 열 수 있습니다.</translation></message>
<message><source>Not connected to i'mport: %1</source><translation>아임포트에 연결되지 않았습니다: %1</translation></message>
<message><source>Set the merchant code (imp_code) in Settings first.</source><translation>먼저 설정에서 가맹점 식별코드(imp_code)를 입력하세요.</translation></message>
<message><source>Only one screen is connected; connect a screen facing the customer.</source><translation>화면이 하나뿐입니다. 고객용 화면을 연결하세요.</translation></message>
<message><source>Kakao Pay</source><translation>카카오페이</translation></message>
<message><source>Opening the Kakao Pay window…</source><translation>카카오페이 결제창을 여는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay…</source><translation>고객의 카카오페이 승인을 기다리는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay (QR code or phone).</source><translation>고객이 카카오페이에서 승인하기를 기다리고 있습니다 (QR 코드 또는 휴대폰).</translation></message>
<message><source>Checking with i'mport…</source><translation>아임포트에서 확인하는 중…</translation></message>
<message><source>The Kakao Pay window could not be loaded.</source><translation>카카오페이 결제창을 불러오지 못했습니다.</translation></message>
<message><source> (first payment now)</source><translation> (첫 결제 포함)</translation></message>
<message><source> (card only, ₩0 now)</source><translation> (카드 등록만, 지금 ₩0)</translation></message>
<message><source>First payment of %1 received.</source><translation>첫 결제 %1 완료.</translation></message>
<message><source>Card registered; nothing was charged yet.</source><translation>카드가 등록되었습니다. 아직 결제된 금액은 없습니다.</translation></message>
<message><source>%1 is signed up</source><translation>%1 님 가입 완료</translation></message>
<message><source>Card</source><translation>카드</translation></message>
<message><source>Next charge: %1 (%2)</source><translation>다음 결제일: %1 (%2)</translation></message>
<message><source>Sign-up cancelled</source><translation>가입이 취소되었습니다</translation></message>
<message><source>Kakao Pay declined</source><translation>카카오페이 승인 거절</translation></message>
<message><source>The request timed out</source><translation>요청 시간이 초과되었습니다</translation></message>
<message><source>Not verified</source><translation>확인되지 않음</translation></message>
<message><source>Could not verify</source><translation>확인할 수 없음</translation></message>
<message><source>Payment to look at: %1</source><translation>확인이 필요한 결제: %1</translation></message>
<message><source>Kakao Pay says: %1</source><translation>카카오페이 응답: %1</translation></message>
<message><source>Save subscriber</source><translation>구독자 저장</translation></message>
<message><source>Checking with i'mport that nothing was taken…</source><translation>아임포트에서 결제된 금액이 없는지 확인하는 중…</translation></message>
<message><source>i'mport confirms that nothing was taken.</source><translation>아임포트 확인 결과 결제된 금액은 없습니다.</translation></message>
<message><source>i'mport could not be asked whether the customer approved meanwhile (order %1). Check again before starting over.</source><translation>그 사이 고객이 승인했는지 아임포트에 확인하지 못했습니다 (주문 %1). 다시 시작하기 전에 다시 확인하세요.</translation></message>
<message><source>The customer approved after all</source><translation>고객이 결국 승인했습니다</translation></message>
<message><source>The window ended without a sign-up, but the approval reached i'mport.</source><translation>결제창은 가입 없이 끝났지만, 승인은 아임포트에 도달했습니다.</translation></message>
<message><source>i'mport confirms the card and the first payment. Save the subscriber, or refund the payment; leaving without saving removes the card.</source><translation>아임포트에서 카드와 첫 결제가 확인되었습니다. 구독자를 저장하거나 결제를 환불하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>i'mport confirms the card. Save the subscriber; leaving without saving removes the card.</source><translation>아임포트에서 카드가 확인되었습니다. 구독자를 저장하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>%1 was taken (imp_uid %2) and no subscriber was saved.</source><translation>%1이 결제되었지만 (imp_uid %2) 구독자는 저장되지 않았습니다.</translation></message>
<message><source>The card was registered; it is deleted when you leave this attempt.</source><translation>카드가 등록되었습니다. 이 시도를 떠나면 카드 등록이 삭제됩니다.</translation></message>
<message><source>Refund %1 now</source><translation>지금 %1 환불</translation></message>
<message><source>Sign-up not completed</source><translation>가입이 완료되지 않았습니다</translation></message>
<message><source>Refund it in the i'mport console; the audit log has the details.</source><translation>아임포트 관리자 콘솔에서 환불하세요. 자세한 내용은 감사 기록에 있습니다.</translation></message>
<message><source>Confirm: refund %1</source><translation>확인: %1 환불</translation></message>
<message><source>The refund was not confirmed: %1</source><translation>환불이 확인되지 않았습니다: %1</translation></message>
<message><source>Refunded %1.</source><translation>%1 환불 완료.</translation></message>
<message><source>Name</source><translation>이름</translation></message>
<message><source>Mobile</source><translation>휴대폰</translation></message>
<message><source>E-mail</source><translation>이메일</translation></message>
<message><source>Plan</source><translation>상품</translation></message>
<message><source>Monthly amount (₩)</source><translation>월 금액 (₩)</translation></message>
<message><source>Billing day</source><translation>결제일</translation></message>
<message><source>Channel</source><translation>가입 경로</translation></message>
<message><source>Phone</source><translation>전화</translation></message>
<message><source>In person</source><translation>대면</translation></message>
<message><source>e.g. 김하늘</source><translation>예: 김하늘</translation></message>
<message><source>e.g. 프리미엄 월 구독</source><translation>예: 프리미엄 월 구독</translation></message>
<message><source>optional</source><translation>선택</translation></message>
<message><source> of each month</source><translation>일 (매월)</translation></message>
<message><source>Take the first payment now</source><translation>첫 결제를 지금 받기</translation></message>
<message><source>The customer pays ₩%1 now; the next charge is next month.</source><translation>고객이 지금 ₩%1을 결제하고, 다음 결제는 다음 달입니다.</translation></message>
<message><source>The customer pays the first month now.</source><translation>고객이 첫 달 요금을 지금 결제합니다.</translation></message>
<message><source>Only the card is registered now (₩0); the first charge is on the billing day.</source><translation>지금은 카드만 등록합니다 (₩0). 첫 결제는 결제일에 이루어집니다.</translation></message>
<message><source>Enter the customer's name.</source><translation>고객 이름을 입력하세요.</translation></message>
<message><source>The name is too long (50 characters at most).</source><translation>이름이 너무 깁니다 (최대 50자).</translation></message>
<message><source>The name contains characters that cannot be used.</source><translation>사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>Enter a mobile number.</source><translation>휴대폰 번호를 입력하세요.</translation></message>
<message><source>Enter a Korean mobile number, e.g. 010-1234-5678.</source><translation>휴대폰 번호 형식을 확인하세요 (예: 010-1234-5678).</translation></message>
<message><source>Enter a valid e-mail address, or leave it empty.</source><translation>올바른 이메일 주소를 입력하거나 비워 두세요.</translation></message>
<message><source>The plan name contains characters that cannot be used.</source><translation>상품명에 사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>The plan name is too long (40 characters at most).</source><translation>상품명이 너무 깁니다 (최대 40자).</translation></message>
<message><source>Enter the monthly amount in won.</source><translation>월 금액을 원 단위로 입력하세요.</translation></message>
<message><source>The amount must be a whole number of won, e.g. 9,900.</source><translation>금액은 원 단위 정수로 입력하세요 (예: 9,900).</translation></message>
<message><source>The amount must be more than ₩0.</source><translation>금액은 ₩0보다 커야 합니다.</translation></message>
<message><source>The amount is above ₩10,000,000; check it.</source><translation>금액이 ₩10,000,000을 넘습니다. 확인하세요.</translation></message>
<message><source>The billing day must be between 1 and 31.</source><translation>결제일은 1일에서 31일 사이여야 합니다.</translation></message>
<message><source>Choose phone or in person.</source><translation>전화 또는 대면을 선택하세요.</translation></message>
<message><source>The Kakao Pay window was closed before approval. Nothing was saved.</source><translation>승인 전에 카카오페이 결제창이 닫혔습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Kakao Pay declined the request. Nothing was saved.</source><translation>카카오페이가 요청을 거절했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Nobody approved in time; the request expired. Nothing was saved.</source><translation>제한 시간 안에 승인되지 않아 요청이 만료되었습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>i'mport does not confirm this sign-up. Nothing was saved.</source><translation>아임포트에서 이 가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>A first payment was taken but the sign-up could not be verified. Nothing was saved; check the payment in the i'mport console and refund it if needed.</source><translation>첫 결제는 이루어졌지만 가입을 확인할 수 없습니다. 저장된 내용은 없습니다. 아임포트 관리자 콘솔에서 결제를 확인하고 필요하면 환불하세요.</translation></message>
<message><source>i'mport could not be reached to verify the sign-up. Nothing was saved yet.</source><translation>가입 확인을 위해 아임포트에 연결하지 못했습니다. 아직 저장된 내용은 없습니다.</translation></message>
<message><source>The Kakao Pay window could not be loaded. Nothing was saved.</source><translation>카카오페이 결제창을 불러오지 못했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>The sign-up could not be verified. Nothing was saved.</source><translation>가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
</context>
<context><name>SignupFormWidget</name>
<message><source>New sign-up</source><translation>새 구독 가입</translation></message>
<message><source>Enter the customer's details. The customer then approves in Kakao Pay; nothing is saved until i'mport confirms the card.</source><translation>고객 정보를 입력하세요. 고객이 카카오페이에서 승인하고, 아임포트가 카드를 확인한 뒤에만 저장됩니다.</translation></message>
<message><source>Cancel</source><translation>취소</translation></message>
<message><source>Open Kakao Pay</source><translation>카카오페이 열기</translation></message>
<message><source>Show on second screen</source><translation>보조 화면에 표시</translation></message>
<message><source>Cancel sign-up</source><translation>가입 취소</translation></message>
<message><source>Check again</source><translation>다시 확인</translation></message>
<message><source>Try again</source><translation>다시 시도</translation></message>
<message><source>Close</source><translation>닫기</translation></message>
<message><source>Connecting to i'mport… The window opens once the connection is up.</source><translation>아임포트에 연결하는 중… 연결되면 결제창을 열 수 있습니다.</translation></message>
<message><source>Not connected to i'mport: %1</source><translation>아임포트에 연결되지 않았습니다: %1</translation></message>
<message><source>Set the merchant code (imp_code) in Settings first.</source><translation>먼저 설정에서 가맹점 식별코드(imp_code)를 입력하세요.</translation></message>
<message><source>Only one screen is connected; connect a screen facing the customer.</source><translation>화면이 하나뿐입니다. 고객용 화면을 연결하세요.</translation></message>
<message><source>Kakao Pay</source><translation>카카오페이</translation></message>
<message><source>Opening the Kakao Pay window…</source><translation>카카오페이 결제창을 여는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay…</source><translation>고객의 카카오페이 승인을 기다리는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay (QR code or phone).</source><translation>고객이 카카오페이에서 승인하기를 기다리고 있습니다 (QR 코드 또는 휴대폰).</translation></message>
<message><source>Checking with i'mport…</source><translation>아임포트에서 확인하는 중…</translation></message>
<message><source>The Kakao Pay window could not be loaded.</source><translation>카카오페이 결제창을 불러오지 못했습니다.</translation></message>
<message><source> (first payment now)</source><translation> (첫 결제 포함)</translation></message>
<message><source> (card only, ₩0 now)</source><translation> (카드 등록만, 지금 ₩0)</translation></message>
<message><source>First payment of %1 received.</source><translation>첫 결제 %1 완료.</translation></message>
<message><source>Card registered; nothing was charged yet.</source><translation>카드가 등록되었습니다. 아직 결제된 금액은 없습니다.</translation></message>
<message><source>%1 is signed up</source><translation>%1 님 가입 완료</translation></message>
<message><source>Card</source><translation>카드</translation></message>
<message><source>Next charge: %1 (%2)</source><translation>다음 결제일: %1 (%2)</translation></message>
<message><source>Sign-up cancelled</source><translation>가입이 취소되었습니다</translation></message>
<message><source>Kakao Pay declined</source><translation>카카오페이 승인 거절</translation></message>
<message><source>The request timed out</source><translation>요청 시간이 초과되었습니다</translation></message>
<message><source>Not verified</source><translation>확인되지 않음</translation></message>
<message><source>Could not verify</source><translation>확인할 수 없음</translation></message>
<message><source>Payment to look at: %1</source><translation>확인이 필요한 결제: %1</translation></message>
<message><source>Kakao Pay says: %1</source><translation>카카오페이 응답: %1</translation></message>
<message><source>Save subscriber</source><translation>구독자 저장</translation></message>
<message><source>Checking with i'mport that nothing was taken…</source><translation>아임포트에서 결제된 금액이 없는지 확인하는 중…</translation></message>
<message><source>i'mport confirms that nothing was taken.</source><translation>아임포트 확인 결과 결제된 금액은 없습니다.</translation></message>
<message><source>i'mport could not be asked whether the customer approved meanwhile (order %1). Check again before starting over.</source><translation>그 사이 고객이 승인했는지 아임포트에 확인하지 못했습니다 (주문 %1). 다시 시작하기 전에 다시 확인하세요.</translation></message>
<message><source>The customer approved after all</source><translation>고객이 결국 승인했습니다</translation></message>
<message><source>The window ended without a sign-up, but the approval reached i'mport.</source><translation>결제창은 가입 없이 끝났지만, 승인은 아임포트에 도달했습니다.</translation></message>
<message><source>i'mport confirms the card and the first payment. Save the subscriber, or refund the payment; leaving without saving removes the card.</source><translation>아임포트에서 카드와 첫 결제가 확인되었습니다. 구독자를 저장하거나 결제를 환불하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>i'mport confirms the card. Save the subscriber; leaving without saving removes the card.</source><translation>아임포트에서 카드가 확인되었습니다. 구독자를 저장하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>%1 was taken (imp_uid %2) and no subscriber was saved.</source><translation>%1이 결제되었지만 (imp_uid %2) 구독자는 저장되지 않았습니다.</translation></message>
<message><source>The card was registered; it is deleted when you leave this attempt.</source><translation>카드가 등록되었습니다. 이 시도를 떠나면 카드 등록이 삭제됩니다.</translation></message>
<message><source>Refund %1 now</source><translation>지금 %1 환불</translation></message>
<message><source>Sign-up not completed</source><translation>가입이 완료되지 않았습니다</translation></message>
<message><source>Refund it in the i'mport console; the audit log has the details.</source><translation>아임포트 관리자 콘솔에서 환불하세요. 자세한 내용은 감사 기록에 있습니다.</translation></message>
<message><source>Confirm: refund %1</source><translation>확인: %1 환불</translation></message>
<message><source>The refund was not confirmed: %1</source><translation>환불이 확인되지 않았습니다: %1</translation></message>
<message><source>Refunded %1.</source><translation>%1 환불 완료.</translation></message>
<message><source>Name</source><translation>이름</translation></message>
<message><source>Mobile</source><translation>휴대폰</translation></message>
<message><source>E-mail</source><translation>이메일</translation></message>
<message><source>Plan</source><translation>상품</translation></message>
<message><source>Monthly amount (₩)</source><translation>월 금액 (₩)</translation></message>
<message><source>Billing day</source><translation>결제일</translation></message>
<message><source>Channel</source><translation>가입 경로</translation></message>
<message><source>Phone</source><translation>전화</translation></message>
<message><source>In person</source><translation>대면</translation></message>
<message><source>e.g. 김하늘</source><translation>예: 김하늘</translation></message>
<message><source>e.g. 프리미엄 월 구독</source><translation>예: 프리미엄 월 구독</translation></message>
<message><source>optional</source><translation>선택</translation></message>
<message><source> of each month</source><translation>일 (매월)</translation></message>
<message><source>Take the first payment now</source><translation>첫 결제를 지금 받기</translation></message>
<message><source>The customer pays ₩%1 now; the next charge is next month.</source><translation>고객이 지금 ₩%1을 결제하고, 다음 결제는 다음 달입니다.</translation></message>
<message><source>The customer pays the first month now.</source><translation>고객이 첫 달 요금을 지금 결제합니다.</translation></message>
<message><source>Only the card is registered now (₩0); the first charge is on the billing day.</source><translation>지금은 카드만 등록합니다 (₩0). 첫 결제는 결제일에 이루어집니다.</translation></message>
<message><source>Enter the customer's name.</source><translation>고객 이름을 입력하세요.</translation></message>
<message><source>The name is too long (50 characters at most).</source><translation>이름이 너무 깁니다 (최대 50자).</translation></message>
<message><source>The name contains characters that cannot be used.</source><translation>사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>Enter a mobile number.</source><translation>휴대폰 번호를 입력하세요.</translation></message>
<message><source>Enter a Korean mobile number, e.g. 010-1234-5678.</source><translation>휴대폰 번호 형식을 확인하세요 (예: 010-1234-5678).</translation></message>
<message><source>Enter a valid e-mail address, or leave it empty.</source><translation>올바른 이메일 주소를 입력하거나 비워 두세요.</translation></message>
<message><source>The plan name contains characters that cannot be used.</source><translation>상품명에 사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>The plan name is too long (40 characters at most).</source><translation>상품명이 너무 깁니다 (최대 40자).</translation></message>
<message><source>Enter the monthly amount in won.</source><translation>월 금액을 원 단위로 입력하세요.</translation></message>
<message><source>The amount must be a whole number of won, e.g. 9,900.</source><translation>금액은 원 단위 정수로 입력하세요 (예: 9,900).</translation></message>
<message><source>The amount must be more than ₩0.</source><translation>금액은 ₩0보다 커야 합니다.</translation></message>
<message><source>The amount is above ₩10,000,000; check it.</source><translation>금액이 ₩10,000,000을 넘습니다. 확인하세요.</translation></message>
<message><source>The billing day must be between 1 and 31.</source><translation>결제일은 1일에서 31일 사이여야 합니다.</translation></message>
<message><source>Choose phone or in person.</source><translation>전화 또는 대면을 선택하세요.</translation></message>
<message><source>The Kakao Pay window was closed before approval. Nothing was saved.</source><translation>승인 전에 카카오페이 결제창이 닫혔습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Kakao Pay declined the request. Nothing was saved.</source><translation>카카오페이가 요청을 거절했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Nobody approved in time; the request expired. Nothing was saved.</source><translation>제한 시간 안에 승인되지 않아 요청이 만료되었습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>i'mport does not confirm this sign-up. Nothing was saved.</source><translation>아임포트에서 이 가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>A first payment was taken but the sign-up could not be verified. Nothing was saved; check the payment in the i'mport console and refund it if needed.</source><translation>첫 결제는 이루어졌지만 가입을 확인할 수 없습니다. 저장된 내용은 없습니다. 아임포트 관리자 콘솔에서 결제를 확인하고 필요하면 환불하세요.</translation></message>
<message><source>i'mport could not be reached to verify the sign-up. Nothing was saved yet.</source><translation>가입 확인을 위해 아임포트에 연결하지 못했습니다. 아직 저장된 내용은 없습니다.</translation></message>
<message><source>The Kakao Pay window could not be loaded. Nothing was saved.</source><translation>카카오페이 결제창을 불러오지 못했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>The sign-up could not be verified. Nothing was saved.</source><translation>가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
</context>
<context><name>signup</name>
<message><source>New sign-up</source><translation>새 구독 가입</translation></message>
<message><source>Enter the customer's details. The customer then approves in Kakao Pay; nothing is saved until i'mport confirms the card.</source><translation>고객 정보를 입력하세요. 고객이 카카오페이에서 승인하고, 아임포트가 카드를 확인한 뒤에만 저장됩니다.</translation></message>
<message><source>Cancel</source><translation>취소</translation></message>
<message><source>Open Kakao Pay</source><translation>카카오페이 열기</translation></message>
<message><source>Show on second screen</source><translation>보조 화면에 표시</translation></message>
<message><source>Cancel sign-up</source><translation>가입 취소</translation></message>
<message><source>Check again</source><translation>다시 확인</translation></message>
<message><source>Try again</source><translation>다시 시도</translation></message>
<message><source>Close</source><translation>닫기</translation></message>
<message><source>Connecting to i'mport… The window opens once the connection is up.</source><translation>아임포트에 연결하는 중… 연결되면 결제창을 열 수 있습니다.</translation></message>
<message><source>Not connected to i'mport: %1</source><translation>아임포트에 연결되지 않았습니다: %1</translation></message>
<message><source>Set the merchant code (imp_code) in Settings first.</source><translation>먼저 설정에서 가맹점 식별코드(imp_code)를 입력하세요.</translation></message>
<message><source>Only one screen is connected; connect a screen facing the customer.</source><translation>화면이 하나뿐입니다. 고객용 화면을 연결하세요.</translation></message>
<message><source>Kakao Pay</source><translation>카카오페이</translation></message>
<message><source>Opening the Kakao Pay window…</source><translation>카카오페이 결제창을 여는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay…</source><translation>고객의 카카오페이 승인을 기다리는 중…</translation></message>
<message><source>Waiting for the customer to approve in Kakao Pay (QR code or phone).</source><translation>고객이 카카오페이에서 승인하기를 기다리고 있습니다 (QR 코드 또는 휴대폰).</translation></message>
<message><source>Checking with i'mport…</source><translation>아임포트에서 확인하는 중…</translation></message>
<message><source>The Kakao Pay window could not be loaded.</source><translation>카카오페이 결제창을 불러오지 못했습니다.</translation></message>
<message><source> (first payment now)</source><translation> (첫 결제 포함)</translation></message>
<message><source> (card only, ₩0 now)</source><translation> (카드 등록만, 지금 ₩0)</translation></message>
<message><source>First payment of %1 received.</source><translation>첫 결제 %1 완료.</translation></message>
<message><source>Card registered; nothing was charged yet.</source><translation>카드가 등록되었습니다. 아직 결제된 금액은 없습니다.</translation></message>
<message><source>%1 is signed up</source><translation>%1 님 가입 완료</translation></message>
<message><source>Card</source><translation>카드</translation></message>
<message><source>Next charge: %1 (%2)</source><translation>다음 결제일: %1 (%2)</translation></message>
<message><source>Sign-up cancelled</source><translation>가입이 취소되었습니다</translation></message>
<message><source>Kakao Pay declined</source><translation>카카오페이 승인 거절</translation></message>
<message><source>The request timed out</source><translation>요청 시간이 초과되었습니다</translation></message>
<message><source>Not verified</source><translation>확인되지 않음</translation></message>
<message><source>Could not verify</source><translation>확인할 수 없음</translation></message>
<message><source>Payment to look at: %1</source><translation>확인이 필요한 결제: %1</translation></message>
<message><source>Kakao Pay says: %1</source><translation>카카오페이 응답: %1</translation></message>
<message><source>Save subscriber</source><translation>구독자 저장</translation></message>
<message><source>Checking with i'mport that nothing was taken…</source><translation>아임포트에서 결제된 금액이 없는지 확인하는 중…</translation></message>
<message><source>i'mport confirms that nothing was taken.</source><translation>아임포트 확인 결과 결제된 금액은 없습니다.</translation></message>
<message><source>i'mport could not be asked whether the customer approved meanwhile (order %1). Check again before starting over.</source><translation>그 사이 고객이 승인했는지 아임포트에 확인하지 못했습니다 (주문 %1). 다시 시작하기 전에 다시 확인하세요.</translation></message>
<message><source>The customer approved after all</source><translation>고객이 결국 승인했습니다</translation></message>
<message><source>The window ended without a sign-up, but the approval reached i'mport.</source><translation>결제창은 가입 없이 끝났지만, 승인은 아임포트에 도달했습니다.</translation></message>
<message><source>i'mport confirms the card and the first payment. Save the subscriber, or refund the payment; leaving without saving removes the card.</source><translation>아임포트에서 카드와 첫 결제가 확인되었습니다. 구독자를 저장하거나 결제를 환불하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>i'mport confirms the card. Save the subscriber; leaving without saving removes the card.</source><translation>아임포트에서 카드가 확인되었습니다. 구독자를 저장하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation></message>
<message><source>%1 was taken (imp_uid %2) and no subscriber was saved.</source><translation>%1이 결제되었지만 (imp_uid %2) 구독자는 저장되지 않았습니다.</translation></message>
<message><source>The card was registered; it is deleted when you leave this attempt.</source><translation>카드가 등록되었습니다. 이 시도를 떠나면 카드 등록이 삭제됩니다.</translation></message>
<message><source>Refund %1 now</source><translation>지금 %1 환불</translation></message>
<message><source>Sign-up not completed</source><translation>가입이 완료되지 않았습니다</translation></message>
<message><source>Refund it in the i'mport console; the audit log has the details.</source><translation>아임포트 관리자 콘솔에서 환불하세요. 자세한 내용은 감사 기록에 있습니다.</translation></message>
<message><source>Confirm: refund %1</source><translation>확인: %1 환불</translation></message>
<message><source>The refund was not confirmed: %1</source><translation>환불이 확인되지 않았습니다: %1</translation></message>
<message><source>Refunded %1.</source><translation>%1 환불 완료.</translation></message>
<message><source>Name</source><translation>이름</translation></message>
<message><source>Mobile</source><translation>휴대폰</translation></message>
<message><source>E-mail</source><translation>이메일</translation></message>
<message><source>Plan</source><translation>상품</translation></message>
<message><source>Monthly amount (₩)</source><translation>월 금액 (₩)</translation></message>
<message><source>Billing day</source><translation>결제일</translation></message>
<message><source>Channel</source><translation>가입 경로</translation></message>
<message><source>Phone</source><translation>전화</translation></message>
<message><source>In person</source><translation>대면</translation></message>
<message><source>e.g. 김하늘</source><translation>예: 김하늘</translation></message>
<message><source>e.g. 프리미엄 월 구독</source><translation>예: 프리미엄 월 구독</translation></message>
<message><source>optional</source><translation>선택</translation></message>
<message><source> of each month</source><translation>일 (매월)</translation></message>
<message><source>Take the first payment now</source><translation>첫 결제를 지금 받기</translation></message>
<message><source>The customer pays ₩%1 now; the next charge is next month.</source><translation>고객이 지금 ₩%1을 결제하고, 다음 결제는 다음 달입니다.</translation></message>
<message><source>The customer pays the first month now.</source><translation>고객이 첫 달 요금을 지금 결제합니다.</translation></message>
<message><source>Only the card is registered now (₩0); the first charge is on the billing day.</source><translation>지금은 카드만 등록합니다 (₩0). 첫 결제는 결제일에 이루어집니다.</translation></message>
<message><source>Enter the customer's name.</source><translation>고객 이름을 입력하세요.</translation></message>
<message><source>The name is too long (50 characters at most).</source><translation>이름이 너무 깁니다 (최대 50자).</translation></message>
<message><source>The name contains characters that cannot be used.</source><translation>사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>Enter a mobile number.</source><translation>휴대폰 번호를 입력하세요.</translation></message>
<message><source>Enter a Korean mobile number, e.g. 010-1234-5678.</source><translation>휴대폰 번호 형식을 확인하세요 (예: 010-1234-5678).</translation></message>
<message><source>Enter a valid e-mail address, or leave it empty.</source><translation>올바른 이메일 주소를 입력하거나 비워 두세요.</translation></message>
<message><source>The plan name contains characters that cannot be used.</source><translation>상품명에 사용할 수 없는 문자가 있습니다.</translation></message>
<message><source>The plan name is too long (40 characters at most).</source><translation>상품명이 너무 깁니다 (최대 40자).</translation></message>
<message><source>Enter the monthly amount in won.</source><translation>월 금액을 원 단위로 입력하세요.</translation></message>
<message><source>The amount must be a whole number of won, e.g. 9,900.</source><translation>금액은 원 단위 정수로 입력하세요 (예: 9,900).</translation></message>
<message><source>The amount must be more than ₩0.</source><translation>금액은 ₩0보다 커야 합니다.</translation></message>
<message><source>The amount is above ₩10,000,000; check it.</source><translation>금액이 ₩10,000,000을 넘습니다. 확인하세요.</translation></message>
<message><source>The billing day must be between 1 and 31.</source><translation>결제일은 1일에서 31일 사이여야 합니다.</translation></message>
<message><source>Choose phone or in person.</source><translation>전화 또는 대면을 선택하세요.</translation></message>
<message><source>The Kakao Pay window was closed before approval. Nothing was saved.</source><translation>승인 전에 카카오페이 결제창이 닫혔습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Kakao Pay declined the request. Nothing was saved.</source><translation>카카오페이가 요청을 거절했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>Nobody approved in time; the request expired. Nothing was saved.</source><translation>제한 시간 안에 승인되지 않아 요청이 만료되었습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>i'mport does not confirm this sign-up. Nothing was saved.</source><translation>아임포트에서 이 가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>A first payment was taken but the sign-up could not be verified. Nothing was saved; check the payment in the i'mport console and refund it if needed.</source><translation>첫 결제는 이루어졌지만 가입을 확인할 수 없습니다. 저장된 내용은 없습니다. 아임포트 관리자 콘솔에서 결제를 확인하고 필요하면 환불하세요.</translation></message>
<message><source>i'mport could not be reached to verify the sign-up. Nothing was saved yet.</source><translation>가입 확인을 위해 아임포트에 연결하지 못했습니다. 아직 저장된 내용은 없습니다.</translation></message>
<message><source>The Kakao Pay window could not be loaded. Nothing was saved.</source><translation>카카오페이 결제창을 불러오지 못했습니다. 저장된 내용은 없습니다.</translation></message>
<message><source>The sign-up could not be verified. Nothing was saved.</source><translation>가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation></message>
</context>
</TS>
