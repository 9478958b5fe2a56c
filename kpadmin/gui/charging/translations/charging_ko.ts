<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context><name></name>
<message><source>A charge batch is still running.</source><translation>일괄 결제가 아직 진행 중입니다.</translation></message>
<message><source>A charge batch is running. Wait for it to finish, or stop it, first.</source><translation>일괄 결제가 진행 중입니다. 끝나거나 멈춘 뒤에 다시 시도하세요.</translation></message>
<message><source>A charge is being prepared; finish or close its confirmation first.</source><translation>결제를 준비하는 중입니다. 먼저 확인 창을 마치거나 닫으세요.</translation></message>
<message><source>Reconciling; try again in a moment.</source><translation>대사 중입니다. 잠시 후 다시 시도하세요.</translation></message>
<message><source>A charge batch is running.</source><translation>일괄 결제가 진행 중입니다.</translation></message>
<message><source>Select the subscribers to charge first.</source><translation>먼저 결제할 구독자를 선택하세요.</translation></message>
<message><source>{name} is not charged: {why} — {detail}</source><translation>{name} 님은 결제하지 않았습니다: {why} — {detail}</translation></message>
<message><source>Stopping the batch: no new charges are sent.</source><translation>일괄 결제를 멈추는 중: 새 결제는 보내지 않습니다.</translation></message>
<message><source>Batch finished: {paid} paid ({amount}), {failed} not paid.</source><translation>일괄 결제 완료: {paid}건 결제 ({amount}), {failed}건 미결제.</translation></message>
<message><source>Batch stopped: {paid} paid ({amount}), {failed} not paid.</source><translation>일괄 결제 중단: {paid}건 결제 ({amount}), {failed}건 미결제.</translation></message>
<message><source>Reconciling: looking up charges whose outcome is unknown…</source><translation>대사 중: 결과를 알 수 없는 결제를 조회하고 있습니다…</translation></message>
<message><source>Reconcile: nothing is in doubt.</source><translation>대사: 확인이 필요한 결제가 없습니다.</translation></message>
<message><source>Reconcile: {checked} looked up — {paid} paid, {declined} declined, {resend} never reached i'mport (sent again next time), {unknown} still unknown.</source><translation>대사: {checked}건 조회 — 결제 {paid}건, 거절 {declined}건, 아임포트 미도달 {resend}건 (다음에 다시 전송), 아직 알 수 없음 {unknown}건.</translation></message>
<message><source>{name} has no paid charge left to refund.</source><translation>{name} 님에게 환불할 결제가 없습니다.</translation></message>
<message><source>That charge cannot be refunded (not paid, or refunded already).</source><translation>이 결제는 환불할 수 없습니다 (미결제 또는 이미 환불됨).</translation></message>
<message><source>Refunding {amount}…</source><translation>{amount} 환불 중…</translation></message>
<message><source>That charge no longer exists.</source><translation>이 결제는 더 이상 존재하지 않습니다.</translation></message>
<message><source>The refundable balance changed to {balance} meanwhile; nothing was refunded.</source><translation>그사이 환불 가능 잔액이 {balance}(으)로 바뀌었습니다. 환불하지 않았습니다.</translation></message>
<message><source>i'mport refused the refund: {why} Nothing was refunded.</source><translation>아임포트가 환불을 거절했습니다: {why} 환불된 금액은 없습니다.</translation></message>
<message><source>i'mport's refundable balance differs from ours (was it refunded elsewhere?). Check the payment at i'mport before trying again.</source><translation>아임포트의 환불 가능 잔액이 기록과 다릅니다 (다른 곳에서 환불했나요?). 다시 시도하기 전에 아임포트에서 결제를 확인하세요.</translation></message>
<message><source>The answer from i'mport was lost and the payment could not be looked up. Check it at i'mport before trying again.</source><translation>아임포트의 응답이 유실되었고 결제를 조회하지 못했습니다. 다시 시도하기 전에 아임포트에서 확인하세요.</translation></message>
<message><source>i'mport shows no new refund for this payment; nothing more was recorded.</source><translation>아임포트에 이 결제의 새 환불이 없습니다. 더 기록한 내용은 없습니다.</translation></message>
<message><source>Refunded {amount} ({total} of {paid} refunded in total).</source><translation>{amount} 환불 완료 ({paid} 중 누적 {total} 환불).</translation></message>
<message><source>Paused</source><translation>일시정지</translation></message>
<message><source>Subscription cancelled</source><translation>구독 해지됨</translation></message>
<message><source>Billing key missing</source><translation>빌링키 없음</translation></message>
<message><source>Not due yet</source><translation>아직 결제일 아님</translation></message>
<message><source>Already paid for this period</source><translation>이번 기간 결제 완료</translation></message>
<message><source>Earlier charge in doubt (reconcile first)</source><translation>이전 결제 확인 필요 (먼저 대사)</translation></message>
<message><source>Monthly cap reached</source><translation>월 한도 도달</translation></message>
<message><source>No such subscriber</source><translation>없는 구독자</translation></message>
<message><source>Declined earlier in this run</source><translation>이번 실행에서 이미 거절됨</translation></message>
<message><source>Changed since the confirmation</source><translation>확인 후 변경됨</translation></message>
<message><source>Sign the customer up again to get a new billing key.</source><translation>새 빌링키를 받으려면 고객을 다시 가입시키세요.</translation></message>
<message><source>Paid</source><translation>결제됨</translation></message>
<message><source>Declined</source><translation>거절됨</translation></message>
<message><source>Rejected</source><translation>거부됨</translation></message>
<message><source>Outcome unknown</source><translation>결과 알 수 없음</translation></message>
<message><source>Not sent</source><translation>전송 안 됨</translation></message>
<message><source>Sending</source><translation>전송 중</translation></message>
<message><source>{n} payment(s) were charged for another amount than was asked. They are recorded as paid; check each one at i'mport (the subscriber's history shows both amounts).</source><translation>결제 {n}건이 요청한 금액과 다른 금액으로 결제되었습니다. 결제 완료로 기록했으니 아임포트에서 하나씩 확인하세요 (구독자 결제 내역에 두 금액이 모두 나옵니다).</translation></message>
</context>
<context><name>BatchDialog</name>
<message><source>Charging</source><translation>결제 중</translation></message>
<message><source>Looking up charges in doubt…</source><translation>확인이 필요한 결제를 조회하는 중…</translation></message>
<message><source>{n} subscriber(s), {total} in total</source><translation>구독자 {n}명, 합계 {total}</translation></message>
<message><source>Paid</source><translation>결제됨</translation></message>
<message><source>Declined</source><translation>거절됨</translation></message>
<message><source>Outcome unknown</source><translation>결과 알 수 없음</translation></message>
<message><source>In flight</source><translation>처리 중</translation></message>
<message><source>Collected {amount}</source><translation>수납 {amount}</translation></message>
<message><source>Not paid</source><translation>결제되지 않음</translation></message>
<message><source>Subscriber</source><translation>구독자</translation></message>
<message><source>Amount</source><translation>금액</translation></message>
<message><source>Result</source><translation>결과</translation></message>
<message><source>Reason</source><translation>사유</translation></message>
<message><source>Stop sending</source><translation>전송 멈추기</translation></message>
<message><source>No new charges are sent; those in flight finish and are recorded.</source><translation>새 결제는 보내지 않습니다. 처리 중인 결제는 끝까지 기록됩니다.</translation></message>
<message><source>Close</source><translation>닫기</translation></message>
<message><source>Charging… {done} of {total}</source><translation>결제 중… {total}건 중 {done}건</translation></message>
<message><source>Stopping: no new charges; waiting for those in flight…</source><translation>멈추는 중: 새 결제 없음, 처리 중인 결제를 기다리는 중…</translation></message>
<message><source>Stopped: the journal could not be written</source><translation>중단됨: 결제 기록을 저장할 수 없습니다</translation></message>
<message><source>Stopped: {why}</source><translation>중단됨: {why}</translation></message>
<message><source>Stopped by you: {done} of {total} sent</source><translation>사용자가 멈춤: {total}건 중 {done}건 전송</translation></message>
<message><source>Nothing was charged</source><translation>결제된 건이 없습니다</translation></message>
<message><source>Done: all {n} paid</source><translation>완료: {n}건 모두 결제됨</translation></message>
<message><source>Done: {paid} paid, {failed} not paid</source><translation>완료: {paid}건 결제, {failed}건 미결제</translation></message>
<message><source>Skipped: not sent to i'mport</source><translation>제외: 아임포트에 보내지 않음</translation></message>
<message><source>Not paid, and skipped</source><translation>결제되지 않음 · 제외</translation></message>
<message><source>{n} outcome(s) unknown: they are blocked until Reconcile settles them.</source><translation>{n}건은 결과를 알 수 없어 대사로 확인될 때까지 결제가 막힙니다.</translation></message>
<message><source>{n} never reached i'mport; the next batch sends them again.</source><translation>{n}건은 아임포트에 도달하지 않았습니다. 다음 일괄 결제에서 다시 보냅니다.</translation></message>
<message><source>The batch stopped: {why}</source><translation>일괄 결제가 멈췄습니다: {why}</translation></message>
</context>
<context><name>ConfirmChargeDialog</name>
<message><source>Confirm charge</source><translation>결제 확인</translation></message>
<message><source>Charge {n} subscriber(s) now?</source><translation>구독자 {n}명을 지금 결제할까요?</translation></message>
<message><source>{total} in total</source><translation>합계 {total}</translation></message>
<message><source>Nobody can be charged</source><translation>결제할 구독자가 없습니다</translation></message>
<message><source>{n} of them before their next charge date.</source><translation>그중 {n}명은 다음 결제일 전입니다.</translation></message>
<message><source>Each charge goes to the customer's Kakao Pay billing key once; you can stop the batch, but charges already sent cannot be recalled.</source><translation>고객의 카카오페이 빌링키로 한 번씩 결제됩니다. 일괄 결제는 중간에 멈출 수 있지만, 이미 보낸 결제는 되돌릴 수 없습니다.</translation></message>
<message><source>Subscriber</source><translation>구독자</translation></message>
<message><source>Plan</source><translation>상품</translation></message>
<message><source>Period</source><translation>기간</translation></message>
<message><source>Amount</source><translation>금액</translation></message>
<message><source>Why</source><translation>사유</translation></message>
<message><source>Detail</source><translation>내용</translation></message>
<message><source>Skipped {n}: {counts}</source><translation>제외 {n}명: {counts}</translation></message>
<message><source>Charge {total}</source><translation>{total} 결제</translation></message>
<message><source>Don't charge</source><translation>결제하지 않기</translation></message>
</context>
<context><name>RefundDialog</name>
<message><source>Refund</source><translation>환불</translation></message>
<message><source>Refund a payment of {name}</source><translation>{name} 님의 결제 환불</translation></message>
<message><source>{period} · {amount} paid {when}</source><translation>{period} · {amount} 결제 {when}</translation></message>
<message><source>{left} left</source><translation>잔액 {left}</translation></message>
<message><source>Payment</source><translation>결제</translation></message>
<message><source>Part of it:</source><translation>일부 금액:</translation></message>
<message><source>Amount</source><translation>금액</translation></message>
<message><source>Required: why the customer gets money back</source><translation>필수: 환불 사유</translation></message>
<message><source>Reason</source><translation>사유</translation></message>
<message><source>Cancel</source><translation>취소</translation></message>
<message><source>Review…</source><translation>검토…</translation></message>
<message><source>A refund cannot be undone.</source><translation>환불은 되돌릴 수 없습니다.</translation></message>
<message><source>Back</source><translation>뒤로</translation></message>
<message><source>All that is left: {amount}</source><translation>남은 전액: {amount}</translation></message>
<message><source>There is no paid charge left to refund.</source><translation>환불할 결제가 없습니다.</translation></message>
<message><source>Enter the amount to refund in whole won.</source><translation>환불 금액을 원 단위 정수로 입력하세요.</translation></message>
<message><source>At most {balance} can be refunded.</source><translation>최대 {balance}까지 환불할 수 있습니다.</translation></message>
<message><source>A reason is required.</source><translation>사유를 입력하세요.</translation></message>
<message><source>the whole remaining {amount}</source><translation>남은 전액 {amount}</translation></message>
<message><source>Refund {what} of {name}'s {period} payment ({paid})?
Reason: {reason}</source><translation>{name} 님의 {period} 결제({paid})에서 {what}을(를) 환불할까요?
사유: {reason}</translation></message>
<message><source>Refund {amount}</source><translation>{amount} 환불</translation></message>
</context>
</TS>
