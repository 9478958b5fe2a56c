<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <source>i&apos;mport refused the REST API key or secret. Check them in Settings.</source>
        <translation>아임포트가 REST API 키 또는 시크릿을 거부했습니다. 설정에서 확인하세요.</translation>
    </message>
    <message>
        <source>Could not reach i&apos;mport (network or address). Nothing was sent; try again.</source>
        <translation>아임포트에 연결하지 못했습니다(네트워크 또는 주소). 아무것도 전송되지 않았으니 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The answer from i&apos;mport was lost, so the outcome is not known. Reconcile before retrying.</source>
        <translation>아임포트의 응답이 유실되어 결과를 알 수 없습니다. 다시 시도하기 전에 대사(조회)를 실행하세요.</translation>
    </message>
    <message>
        <source>i&apos;mport does not know it: {detail}</source>
        <translation>아임포트에 없는 항목입니다: {detail}</translation>
    </message>
    <message>
        <source>Declined: {detail}</source>
        <translation>결제 거절: {detail}</translation>
    </message>
    <message>
        <source>i&apos;mport refused the request: {detail}</source>
        <translation>아임포트가 요청을 거부했습니다: {detail}</translation>
    </message>
    <message>
        <source>i&apos;mport error: {detail}</source>
        <translation>아임포트 오류: {detail}</translation>
    </message>
    <message>
        <source>Still connecting to i&apos;mport; try again in a moment.</source>
        <extracomment>Above this many subscribers in one commit, the views reload everything (`DataChange(None)`). The overview&apos;s figures (billing&apos;s types, under the names the GUI has used). The subscribers whose rows, history or audit entries changed; None: any of them (an import, a reload), so everything is read again. Charges changed: figures aggregated over the whole journal (last batch, monthly totals) are stale too. Something in the store changed (`DataChange`): every view refreshes what it shows of it. Another desk&apos;s changes (a shared database), from the store&apos;s listener thread: a queued connection brings them to this object&apos;s thread (`_on_remote`).</extracomment>
        <translation>아임포트에 연결하는 중입니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Not connected to i&apos;mport: {reason}</source>
        <translation>아임포트에 연결되지 않았습니다: {reason}</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>알 수 없는 이유</translation>
    </message>
    <message>
        <source>CSV import</source>
        <translation>CSV 가져오기</translation>
    </message>
    <message>
        <source>Imported: {added} added, {updated} updated, {unchanged} unchanged.</source>
        <translation>가져오기 완료: {added}건 추가, {updated}건 변경, {unchanged}건 그대로.</translation>
    </message>
    <message>
        <source>Nothing was imported: {bad} of {rows} rows have problems. Fix the file, or import only the good rows.</source>
        <translation>아무것도 가져오지 않았습니다: {rows}행 중 {bad}행에 문제가 있습니다. 파일을 고치거나 문제없는 행만 가져오세요.</translation>
    </message>
    <message>
        <source>{n} bad rows were skipped:</source>
        <translation>문제가 있는 {n}행은 건너뛰었습니다:</translation>
    </message>
    <message>
        <source>Ignored columns: {cols}</source>
        <translation>무시한 열: {cols}</translation>
    </message>
    <message>
        <source>Import the {n} good rows</source>
        <translation>문제없는 {n}행 가져오기</translation>
    </message>
    <message>
        <source>line {line}{uid}: {message}</source>
        <translation>{line}행{uid}: {message}</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Billing day</source>
        <translation>결제일</translation>
    </message>
    <message>
        <source>CSV import: preview</source>
        <translation>CSV 가져오기: 미리 보기</translation>
    </message>
    <message>
        <source>Preview — nothing has been written yet: {added} new, {changed} changed, {unchanged} unchanged, {bad} with problems.</source>
        <translation>미리 보기 — 아직 아무것도 저장하지 않았습니다: 신규 {added}건, 변경 {changed}건, 변경 없음 {unchanged}건, 문제 있음 {bad}건.</translation>
    </message>
    <message>
        <source>New:</source>
        <translation>신규:</translation>
    </message>
    <message>
        <source>  line {line}: {name}, {amount}</source>
        <translation>  {line}행: {name}, {amount}</translation>
    </message>
    <message>
        <source>Changed:</source>
        <translation>변경:</translation>
    </message>
    <message>
        <source> (large change)</source>
        <translation> (큰 변경)</translation>
    </message>
    <message>
        <source>{n} rows with problems (not imported):</source>
        <translation>문제가 있는 행 {n}개 (가져오지 않음):</translation>
    </message>
    <message>
        <source>Copy the problems</source>
        <translation>문제 목록 복사</translation>
    </message>
    <message>
        <source>I checked the {n} large amount changes (more than 3× or ₩1,000,000) and they are right</source>
        <translation>큰 금액 변경 {n}건(3배 초과 또는 ₩1,000,000 초과)을 확인했으며 맞습니다</translation>
    </message>
    <message>
        <source>Import {n} rows</source>
        <translation>{n}행 가져오기</translation>
    </message>
    <message>
        <source>Nothing to change: the subscribers are already as the file says.</source>
        <translation>바꿀 것이 없습니다: 구독자 정보가 이미 파일과 같습니다.</translation>
    </message>
    <message>
        <source>No row of this file can be imported as it is.</source>
        <translation>이 파일에는 그대로 가져올 수 있는 행이 없습니다.</translation>
    </message>
    <message>
        <source>The file cannot be imported. Nothing was changed.</source>
        <translation>이 파일은 가져올 수 없습니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Import subscribers</source>
        <extracomment>The results dialog of an import opened (tests answer it). The last preview or results dialog (for tests and for focus).</extracomment>
        <translation>구독자 가져오기</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 파일 (*.csv);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot read {path}: {why}</source>
        <translation>{path} 파일을 읽을 수 없습니다: {why}</translation>
    </message>
    <message>
        <source>Checking the billing keys with i&apos;mport…</source>
        <translation>아임포트에서 빌링키를 확인하는 중…</translation>
    </message>
    <message>
        <source>CSV import: {added} added, {updated} updated, {unchanged} unchanged.</source>
        <translation>CSV 가져오기: {added}건 추가, {updated}건 변경, {unchanged}건 그대로.</translation>
    </message>
    <message>
        <source>Subscribers (*.csv)</source>
        <translation>구독자 (*.csv)</translation>
    </message>
    <message>
        <source>Charges (*.csv)</source>
        <translation>결제 내역 (*.csv)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV 내보내기</translation>
    </message>
    <message>
        <source>Cannot write {path}: {why}</source>
        <translation>{path} 파일에 쓸 수 없습니다: {why}</translation>
    </message>
    <message>
        <source>Exported {n} rows to {path}.</source>
        <translation>{n}행을 {path}(으)로 내보냈습니다.</translation>
    </message>
    <message>
        <source>Not opening a receipt address that is not a web page: {url}</source>
        <translation>웹 페이지가 아닌 영수증 주소는 열지 않습니다: {url}</translation>
    </message>
    <message>
        <source>The billing day must be between 1 and 31.</source>
        <translation>결제일은 1일부터 31일 사이여야 합니다.</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>이용 중</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>해지</translation>
    </message>
    <message>
        <source>Key missing</source>
        <translation>빌링키 없음</translation>
    </message>
    <message>
        <source>Past due</source>
        <translation>연체</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>예정</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>전송 중</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>결제 완료</translation>
    </message>
    <message>
        <source>Subscription cancelled</source>
        <translation>구독 해지됨</translation>
    </message>
    <message>
        <source>Billing key missing</source>
        <translation>빌링키 없음</translation>
    </message>
    <message>
        <source>Not due yet</source>
        <translation>아직 결제일 아님</translation>
    </message>
    <message>
        <source>Already paid for this period</source>
        <translation>이번 기간 결제 완료</translation>
    </message>
    <message>
        <source>Earlier charge in doubt (reconcile first)</source>
        <translation>이전 결제 확인 필요 (먼저 대사)</translation>
    </message>
    <message>
        <source>Monthly cap reached</source>
        <translation>월 한도 도달</translation>
    </message>
    <message>
        <source>No such subscriber</source>
        <translation>없는 구독자</translation>
    </message>
    <message>
        <source>Declined earlier in this run</source>
        <translation>이번 실행에서 이미 결제 거절</translation>
    </message>
    <message>
        <source>Changed since the confirmation</source>
        <translation>확인 후 변경됨</translation>
    </message>
    <message>
        <source>Past due (every retry declined)</source>
        <translation>연체 (재시도 모두 결제 거절)</translation>
    </message>
    <message>
        <source>Declined; waiting for the retry day</source>
        <translation>결제 거절: 재시도일 대기 중</translation>
    </message>
    <message>
        <source>Already tried today</source>
        <translation>오늘 이미 시도함</translation>
    </message>
    <message>
        <source>Kakao Pay monthly cap: waits for the 1st</source>
        <translation>카카오페이 월 한도: 다음 달 1일까지 대기</translation>
    </message>
    <message>
        <source>Sign the customer up again to get a new billing key.</source>
        <translation>새 빌링키를 받으려면 고객을 다시 가입시키세요.</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>결제 거절</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>요청 거부</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>결과 미확인</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>전송 안 됨</translation>
    </message>
    <message>
        <source>{n} payment(s) were charged for another amount than was asked. They are recorded as paid; check each one at i&apos;mport (the subscriber&apos;s history shows both amounts).</source>
        <translation>결제 {n}건이 요청한 금액과 다른 금액으로 결제되었습니다. 결제 완료로 기록했으니 아임포트에서 하나씩 확인하세요 (구독자 결제 내역에 두 금액이 모두 나옵니다).</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>결과 미확인</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>방문</translation>
    </message>
    <message>
        <source>SANDBOX</source>
        <translation>샌드박스</translation>
    </message>
    <message>
        <source>TEST</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>실거래</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>환불 완료</translation>
    </message>
    <message>
        <source>Partly refunded</source>
        <translation>부분 환불</translation>
    </message>
    <message>
        <source>Time (KST)</source>
        <translation>시각(한국 시간)</translation>
    </message>
    <message>
        <source>Name</source>
        <extracomment>The roles `data()` answers; views ask for a dozen per cell on every repaint. What each column&apos;s text is made of (`_display`), for telling cheaply which cells changed.</extracomment>
        <translation>이름</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>결제 기간</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Paid amount</source>
        <translation>결제 금액</translation>
    </message>
    <message>
        <source>Refunded amount</source>
        <translation>환불 금액</translation>
    </message>
    <message>
        <source>Net amount</source>
        <translation>순매출</translation>
    </message>
    <message>
        <source>Decline reason</source>
        <translation>거절 사유</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>담당자</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>카드</translation>
    </message>
    <message>
        <source>Last charge</source>
        <translation>최근 결제</translation>
    </message>
    <message>
        <source>Next charge</source>
        <translation>다음 결제일</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>이번 달</translation>
    </message>
    <message>
        <source>Retry {date}</source>
        <translation>재시도 {date}</translation>
    </message>
    <message>
        <source>The outcome of the last charge is not known yet. Reconcile before charging again.</source>
        <translation>최근 결제의 결과를 아직 알 수 없습니다. 다시 결제하기 전에 대사(조회)를 실행하세요.</translation>
    </message>
    <message>
        <source>Paid charges this month against the monthly cap per billing key</source>
        <translation>이번 달 결제 완료 건수 / 빌링키당 월 한도</translation>
    </message>
    <message>
        <source>Masked; the full number is in the detail pane</source>
        <translation>일부 가림 처리됨. 전체 번호는 상세 화면에서 볼 수 있습니다</translation>
    </message>
    <message>
        <source>The last charge was declined; the card is tried again on this day</source>
        <translation>마지막 결제가 결제 거절되어 이날 다시 결제를 시도합니다</translation>
    </message>
    <message>
        <source>Every retry was declined: not charged automatically until you press Retry now or the customer signs up again</source>
        <translation>재시도가 모두 결제 거절되었습니다. &apos;지금 재시도&apos;를 누르거나 고객이 다시 가입할 때까지 자동으로 결제하지 않습니다</translation>
    </message>
    <message>
        <source>A charge batch is still running.</source>
        <extracomment>Rows announced per tick (each re-read by the views: ~0.3 ms, SQL + model), so no tick blocks the loop for long. A confirmation dialog was opened (tests and the self-test accept it programmatically). A batch started: no other charge or reconcile until `batch_finished`. A reconcile started (True) or ended (False), whatever its outcome.</extracomment>
        <translation>일괄 결제가 아직 진행 중입니다.</translation>
    </message>
    <message>
        <source>A charge batch is running. Wait for it to finish, or stop it, first.</source>
        <translation>일괄 결제가 진행 중입니다. 끝나거나 멈춘 뒤에 다시 시도하세요.</translation>
    </message>
    <message>
        <source>A charge is being prepared; finish or close its confirmation first.</source>
        <translation>결제를 준비하는 중입니다. 먼저 확인 창을 마치거나 닫으세요.</translation>
    </message>
    <message>
        <source>Reconciling; try again in a moment.</source>
        <translation>대사 중입니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Select the subscribers to charge first.</source>
        <translation>먼저 결제할 구독자를 선택하세요.</translation>
    </message>
    <message>
        <source>{name} is not charged: {why} — {detail}</source>
        <translation>{name} 님은 결제하지 않았습니다: {why} — {detail}</translation>
    </message>
    <message>
        <source>Stopping the batch: no new charges are sent.</source>
        <translation>일괄 결제를 멈추는 중: 새 결제는 보내지 않습니다.</translation>
    </message>
    <message>
        <source>Batch finished: {paid} paid ({amount}), {failed} not paid.</source>
        <translation>일괄 결제 완료: {paid}건 결제 ({amount}), {failed}건 미결제.</translation>
    </message>
    <message>
        <source>Batch stopped: {paid} paid ({amount}), {failed} not paid.</source>
        <translation>일괄 결제 중단: {paid}건 결제 ({amount}), {failed}건 미결제.</translation>
    </message>
    <message>
        <source>Reconciling: looking up charges whose outcome is unknown…</source>
        <translation>대사 중: 결과를 알 수 없는 결제를 조회하고 있습니다…</translation>
    </message>
    <message>
        <source>Reconcile: nothing is in doubt.</source>
        <translation>대사: 확인이 필요한 결제가 없습니다.</translation>
    </message>
    <message>
        <source>Reconcile: {checked} looked up — {paid} paid, {declined} declined, {resend} never reached i&apos;mport (sent again next time), {unknown} still unknown.</source>
        <translation>대사: {checked}건 조회 — 결제 완료 {paid}건, 결제 거절 {declined}건, 아임포트 미도달 {resend}건 (다음에 다시 전송), 아직 결과 미확인 {unknown}건.</translation>
    </message>
    <message>
        <source>{name} has no paid charge left to refund.</source>
        <translation>{name} 님에게 환불할 결제가 없습니다.</translation>
    </message>
    <message>
        <source>That charge cannot be refunded (not paid, or refunded already).</source>
        <translation>이 결제는 환불할 수 없습니다 (미결제 또는 이미 환불됨).</translation>
    </message>
    <message>
        <source>Refunding {amount}…</source>
        <translation>{amount} 환불 중…</translation>
    </message>
    <message>
        <source>That charge no longer exists.</source>
        <translation>이 결제는 더 이상 존재하지 않습니다.</translation>
    </message>
    <message>
        <source>The refundable balance changed to {balance} meanwhile; nothing was refunded.</source>
        <translation>그사이 환불 가능 잔액이 {balance}(으)로 바뀌었습니다. 환불하지 않았습니다.</translation>
    </message>
    <message>
        <source>i&apos;mport refused the refund: {why} Nothing was refunded.</source>
        <translation>아임포트가 환불을 거절했습니다: {why} 환불된 금액은 없습니다.</translation>
    </message>
    <message>
        <source>i&apos;mport&apos;s refundable balance differs from ours (was it refunded elsewhere?). Check the payment at i&apos;mport before trying again.</source>
        <translation>아임포트의 환불 가능 잔액이 기록과 다릅니다 (다른 곳에서 환불했나요?). 다시 시도하기 전에 아임포트에서 결제를 확인하세요.</translation>
    </message>
    <message>
        <source>i&apos;mport could not be reached; nothing was refunded: {why}</source>
        <translation>아임포트에 연결하지 못해 환불하지 않았습니다: {why}</translation>
    </message>
    <message>
        <source>The answer from i&apos;mport was lost and the payment could not be looked up. Check it at i&apos;mport before trying again.</source>
        <translation>아임포트의 응답이 유실되었고 결제를 조회하지 못했습니다. 다시 시도하기 전에 아임포트에서 확인하세요.</translation>
    </message>
    <message>
        <source>i&apos;mport shows no new refund for this payment; nothing more was recorded.</source>
        <translation>아임포트에 이 결제의 새 환불이 없습니다. 더 기록한 내용은 없습니다.</translation>
    </message>
    <message>
        <source>Refunded {amount} ({total} of {paid} refunded in total).</source>
        <translation>{amount} 환불 완료 ({paid} 중 누적 {total} 환불).</translation>
    </message>
    <message>
        <source>details unknown</source>
        <translation>자세한 내용은 알 수 없음</translation>
    </message>
    <message>
        <source>{n} subscriber(s)</source>
        <translation>구독자 {n}명</translation>
    </message>
    <message>
        <source>{subscribers}, no charge batch yet</source>
        <translation>{subscribers}, 일괄 결제 기록 없음</translation>
    </message>
    <message>
        <source>{subscribers}, last batch {batch} on {when}</source>
        <translation>{subscribers}, 마지막 일괄 결제 {batch}({when})</translation>
    </message>
    <message>
        <source>This data folder had a database ({facts}); {path} is empty (0 bytes).</source>
        <translation>이 데이터 폴더에는 데이터베이스가 있었습니다({facts}). 그런데 {path} 파일이 비어 있습니다(0바이트).</translation>
    </message>
    <message>
        <source>This data folder had a database ({facts}); {path} is missing.</source>
        <translation>이 데이터 폴더에는 데이터베이스가 있었습니다({facts}). 그런데 {path} 파일이 없습니다.</translation>
    </message>
    <message>
        <source>The database {path} was written by a newer kpadmin (schema version {found}; this kpadmin knows up to {known}).</source>
        <translation>데이터베이스 {path}는 더 새로운 kpadmin이 저장한 것입니다(스키마 버전 {found}, 이 kpadmin은 {known}까지 지원).</translation>
    </message>
    <message>
        <source>The database {path} is damaged ({detail}).</source>
        <translation>데이터베이스 {path}가 손상되었습니다({detail}).</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>the disk or folder is read-only</source>
        <translation>디스크나 폴더가 읽기 전용입니다</translation>
    </message>
    <message>
        <source>the disk reported an error</source>
        <translation>디스크에서 오류가 발생했습니다</translation>
    </message>
    <message>
        <source>Cannot write {path}: {what}.</source>
        <translation>{path}에 쓸 수 없습니다: {what}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Restore it: quit kpadmin, copy your backup of the file back to that place, and start kpadmin again. Or start with an empty database on purpose.</source>
        <translation>아무것도 바뀌지 않았습니다. 복원하려면 kpadmin을 종료하고, 백업해 둔 파일을 그 위치에 다시 복사한 뒤 kpadmin을 다시 시작하세요. 또는 의도적으로 빈 데이터베이스로 시작할 수 있습니다.</translation>
    </message>
    <message>
        <source>Nothing was changed. Update kpadmin to open it.</source>
        <translation>아무것도 바뀌지 않았습니다. 이 파일을 열려면 kpadmin을 업데이트하세요.</translation>
    </message>
    <message>
        <source>Nothing was changed. Quit kpadmin and restore the file from a backup; or move the damaged file aside (keep it for support): the next start then offers an empty database.</source>
        <translation>아무것도 바뀌지 않았습니다. kpadmin을 종료하고 백업에서 파일을 복원하세요. 또는 손상된 파일을 다른 곳으로 옮겨 두면(지원 요청용으로 보관하세요) 다음 시작 때 빈 데이터베이스로 시작할 수 있습니다.</translation>
    </message>
    <message>
        <source>Free some space on that disk (or make the folder writable), then try again.</source>
        <translation>그 디스크의 공간을 확보하거나 폴더에 쓸 수 있게 한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{problem} No more charges were sent. Charges whose outcome could not be recorded stay in doubt: they are looked up at i&apos;mport before anyone is charged again.</source>
        <translation>{problem} 더 이상 결제를 보내지 않았습니다. 결과를 기록하지 못한 결제는 확인 필요 상태로 남으며, 누구든 다시 결제하기 전에 아임포트에서 먼저 조회합니다.</translation>
    </message>
    <message>
        <source>kpadmin: the database</source>
        <translation>kpadmin: 데이터베이스</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>Start with an empty database…</source>
        <translation>빈 데이터베이스로 시작…</translation>
    </message>
    <message>
        <source>Start with an empty database?</source>
        <translation>빈 데이터베이스로 시작할까요?</translation>
    </message>
    <message>
        <source>The new database will not have the {facts} of the missing one, nor its payment history. If you have a backup, choose Cancel, quit, and restore it instead.

Start with an empty database?</source>
        <translation>새 데이터베이스에는 사라진 데이터베이스의 내용({facts})도, 결제 기록도 없습니다. 백업이 있다면 취소를 누르고 종료한 뒤 백업을 복원하세요.

빈 데이터베이스로 시작할까요?</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>빈 데이터베이스로 시작</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>The settings file cannot be read.</source>
        <translation>설정 파일을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>The settings file holds a value kpadmin refuses.</source>
        <translation>설정 파일에 kpadmin이 받아들일 수 없는 값이 있습니다.</translation>
    </message>
    <message>
        <source>kpadmin can keep this file aside as {name}.broken-&lt;time&gt; (nothing is deleted) and start with the default settings: SANDBOX mode, the built-in simulator.</source>
        <translation>kpadmin은 이 파일을 {name}.broken-&lt;시각&gt; 이름으로 따로 보관하고(아무것도 지우지 않습니다) 기본 설정으로 시작할 수 있습니다: SANDBOX 모드, 내장 시뮬레이터.</translation>
    </message>
    <message>
        <source>This file says or may have said {mode} mode. The defaults are SANDBOX: check the settings, then switch to {mode} again yourself.</source>
        <translation>이 파일은 {mode} 모드였거나 그랬을 수 있습니다. 기본값은 SANDBOX입니다: 설정을 확인한 뒤 직접 {mode} 모드로 다시 바꾸세요.</translation>
    </message>
    <message>
        <source>Use the defaults (SANDBOX)</source>
        <translation>기본 설정 사용 (SANDBOX)</translation>
    </message>
    <message>
        <source>The settings cannot be used.</source>
        <translation>설정을 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>The default settings could not be written: {error}</source>
        <translation>기본 설정을 저장하지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>영수증</translation>
    </message>
    <message>
        <source>Decline notice</source>
        <translation>결제 실패 안내</translation>
    </message>
    <message>
        <source>Past-due notice</source>
        <translation>연체 안내</translation>
    </message>
    <message>
        <source>Advance notice</source>
        <translation>결제 예정 안내</translation>
    </message>
    <message>
        <source>Price change notice</source>
        <translation>요금 변경 안내</translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation>미발송</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>발송 완료</translation>
    </message>
    <message>
        <source>Given up</source>
        <translation>발송 포기</translation>
    </message>
    <message>
        <source>Today&apos;s automatic charge run was done elsewhere: {who}</source>
        <extracomment>The Asia/Seoul day whose run this desk has dealt with (ran it, or saw another desk&apos;s). What the last check decided (for tests and the log): &quot;off&quot;, &quot;waiting&quot;, &quot;busy&quot;, &quot;started&quot;, &quot;other desk&quot;.</extracomment>
        <translation>오늘의 자동 결제 실행은 다른 곳에서 했습니다: {who}</translation>
    </message>
    <message>
        <source>Automatic daily charge run ({time}) started.</source>
        <translation>매일 자동 결제 실행({time})을 시작했습니다.</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>카드 번호</translation>
    </message>
    <message>
        <source>Sign-up channel</source>
        <translation>가입 경로</translation>
    </message>
    <message>
        <source>window closed</source>
        <translation>창 닫힘</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>결제 거절</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>시간 초과</translation>
    </message>
    <message>
        <source>not verified</source>
        <translation>확인 안 됨</translation>
    </message>
    <message>
        <source>i&apos;mport unreachable</source>
        <translation>아임포트 연결 안 됨</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>모드</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>API 주소</translation>
    </message>
    <message>
        <source>Merchant code</source>
        <translation>가맹점 식별코드</translation>
    </message>
    <message>
        <source>PG / channel</source>
        <translation>PG / 채널</translation>
    </message>
    <message>
        <source>Charges at once</source>
        <translation>동시 결제 수</translation>
    </message>
    <message>
        <source>Charges per second</source>
        <translation>초당 결제 요청 수</translation>
    </message>
    <message>
        <source>Charges per key per month</source>
        <translation>빌링키당 월 결제 한도</translation>
    </message>
    <message>
        <source>Staff name</source>
        <translation>담당자 이름</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Retry days after a decline</source>
        <translation>결제 거절 후 재시도일</translation>
    </message>
    <message>
        <source>Daily automatic run</source>
        <translation>매일 자동 실행</translation>
    </message>
    <message>
        <source>Automatic run in LIVE mode</source>
        <translation>LIVE 모드 자동 실행</translation>
    </message>
    <message>
        <source>Customer notices</source>
        <translation>고객 안내</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>메일 서버</translation>
    </message>
    <message>
        <source>Mail login</source>
        <translation>메일 로그인</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>보내는 사람</translation>
    </message>
    <message>
        <source>Advance notice (days before)</source>
        <translation>결제 예정 안내 (며칠 전)</translation>
    </message>
    <message>
        <source>Business name</source>
        <translation>상호</translation>
    </message>
    <message>
        <source>Contact for customers</source>
        <translation>고객 문의처</translation>
    </message>
    <message>
        <source>Shared database</source>
        <translation>공유 데이터베이스</translation>
    </message>
    <message>
        <source>on</source>
        <translation>켬</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(설정 안 함)</translation>
    </message>
    <message>
        <source>follow the system</source>
        <translation>시스템 설정 따름</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>REST API key</source>
        <translation>REST API 키</translation>
    </message>
    <message>
        <source>REST API secret</source>
        <translation>REST API 시크릿</translation>
    </message>
    <message>
        <source>Mail password</source>
        <translation>메일 비밀번호</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>데이터베이스 비밀번호</translation>
    </message>
    <message>
        <source>subscribers</source>
        <translation>구독자</translation>
    </message>
    <message>
        <source>charges</source>
        <translation>결제</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <source>Paused</source>
        <extracomment>What a message&apos;s parameter may be: a plain value (data: a name, an id, an amount, a date&apos;s text), a `Term`, a nested `Message` (a clause that is there or not), or a tuple of those (clauses joined by &quot;; &quot;). What staff read for each action (English; the GUI translates it in context &quot;AuditAction&quot;).</extracomment>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>재개</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>해지</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>정보 수정</translation>
    </message>
    <message>
        <source>Billing key checked</source>
        <translation>빌링키 확인</translation>
    </message>
    <message>
        <source>Billing key missing</source>
        <translation>빌링키 없음</translation>
    </message>
    <message>
        <source>Billing key deleted</source>
        <translation>빌링키 삭제</translation>
    </message>
    <message>
        <source>Sign-up started</source>
        <translation>가입 시작</translation>
    </message>
    <message>
        <source>Signed up</source>
        <translation>가입 완료</translation>
    </message>
    <message>
        <source>Sign-up not completed</source>
        <translation>가입 미완료</translation>
    </message>
    <message>
        <source>Sign-up left something at i&apos;mport</source>
        <translation>미완료 가입의 아임포트 잔여 내역</translation>
    </message>
    <message>
        <source>Sign-up payment refunded</source>
        <translation>가입 결제 환불</translation>
    </message>
    <message>
        <source>Sign-up refund failed</source>
        <translation>가입 결제 환불 실패</translation>
    </message>
    <message>
        <source>Unused billing key</source>
        <translation>사용되지 않는 빌링키</translation>
    </message>
    <message>
        <source>Charge</source>
        <translation>결제</translation>
    </message>
    <message>
        <source>Charge batch</source>
        <translation>일괄 결제</translation>
    </message>
    <message>
        <source>Charge withdrawn</source>
        <translation>미전송 결제 철회</translation>
    </message>
    <message>
        <source>Reconciled</source>
        <translation>대사</translation>
    </message>
    <message>
        <source>Found at i&apos;mport</source>
        <translation>아임포트에서 확인됨</translation>
    </message>
    <message>
        <source>Amount mismatch</source>
        <translation>금액 불일치</translation>
    </message>
    <message>
        <source>Past due</source>
        <translation>연체</translation>
    </message>
    <message>
        <source>Retry requested</source>
        <translation>재시도 요청</translation>
    </message>
    <message>
        <source>Daily automatic run</source>
        <translation>매일 자동 실행</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>환불</translation>
    </message>
    <message>
        <source>Refund refused</source>
        <translation>환불 거부됨</translation>
    </message>
    <message>
        <source>Refund outcome unknown</source>
        <translation>환불 결과 미확인</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>CSV로 추가</translation>
    </message>
    <message>
        <source>Updated by import</source>
        <translation>CSV로 수정</translation>
    </message>
    <message>
        <source>CSV import</source>
        <translation>CSV 가져오기</translation>
    </message>
    <message>
        <source>CSV export</source>
        <translation>CSV 내보내기</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>설정 변경</translation>
    </message>
    <message>
        <source>New database</source>
        <translation>새 데이터베이스</translation>
    </message>
    <message>
        <source>Plan added</source>
        <translation>상품 추가</translation>
    </message>
    <message>
        <source>Plan price changed</source>
        <translation>상품 가격 변경</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>All actions</source>
        <translation>모든 작업</translation>
    </message>
    <message>
        <source>Money (charges, refunds)</source>
        <translation>결제·환불</translation>
    </message>
    <message>
        <source>Billing keys</source>
        <translation>빌링키</translation>
    </message>
    <message>
        <source>Subscribers and sign-ups</source>
        <translation>구독자·가입</translation>
    </message>
    <message>
        <source>Imports and exports</source>
        <translation>가져오기·내보내기</translation>
    </message>
    <message>
        <source>Settings and database</source>
        <translation>설정·데이터베이스</translation>
    </message>
    <message>
        <source>Search name or detail</source>
        <translation>이름 또는 내용 검색</translation>
    </message>
    <message>
        <source>Copy rows</source>
        <translation>행 복사</translation>
    </message>
    <message>
        <source>Staff:</source>
        <translation>담당자:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>작업:</translation>
    </message>
    <message>
        <source>Time (KST)</source>
        <translation>시각(한국 시간)</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>담당자</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Subscriber</source>
        <translation>구독자</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>전체 담당자</translation>
    </message>
    <message>
        <source>{count} actions</source>
        <translation>작업 {count}건</translation>
    </message>
    <message>
        <source>No actions in this period. Choose a longer period or another staff member or action; every charge, refund, sign-up, import, export and settings change is listed here.</source>
        <translation>이 기간에 기록된 작업이 없습니다. 기간을 늘리거나 담당자·작업 종류를 바꿔 보세요. 결제, 환불, 가입, 가져오기, 내보내기, 설정 변경이 모두 여기에 기록됩니다.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>복사했습니다</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>Charging</source>
        <translation>결제 중</translation>
    </message>
    <message>
        <source>Looking up charges in doubt…</source>
        <translation>확인이 필요한 결제를 조회하는 중…</translation>
    </message>
    <message>
        <source>{n} subscriber(s), {total} in total</source>
        <translation>구독자 {n}명, 합계 {total}</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>결제 완료</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>결제 거절</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>결과 미확인</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>처리 중</translation>
    </message>
    <message>
        <source>Collected {amount}</source>
        <translation>수납 {amount}</translation>
    </message>
    <message>
        <source>Not paid</source>
        <translation>결제되지 않음</translation>
    </message>
    <message>
        <source>Subscriber</source>
        <translation>구독자</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>Stop sending</source>
        <translation>전송 멈추기</translation>
    </message>
    <message>
        <source>No new charges are sent; those in flight finish and are recorded.</source>
        <translation>새 결제는 보내지 않습니다. 처리 중인 결제는 끝까지 기록됩니다.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Charging… {done} of {total}</source>
        <translation>결제 중… {total}건 중 {done}건</translation>
    </message>
    <message>
        <source>Stopping: no new charges; waiting for those in flight…</source>
        <translation>멈추는 중: 새 결제 없음, 처리 중인 결제를 기다리는 중…</translation>
    </message>
    <message>
        <source>Stopped: the journal could not be written</source>
        <translation>중단됨: 결제 기록을 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Stopped: {why}</source>
        <translation>중단됨: {why}</translation>
    </message>
    <message>
        <source>Stopped by you: {done} of {total} sent</source>
        <translation>사용자가 멈춤: {total}건 중 {done}건 전송</translation>
    </message>
    <message>
        <source>Nothing was charged</source>
        <translation>결제된 건이 없습니다</translation>
    </message>
    <message>
        <source>Done: all {n} paid</source>
        <translation>완료: {n}건 모두 결제 완료</translation>
    </message>
    <message>
        <source>Done: {paid} paid, {failed} not paid</source>
        <translation>완료: {paid}건 결제, {failed}건 미결제</translation>
    </message>
    <message>
        <source>Skipped: not sent to i&apos;mport</source>
        <translation>제외: 아임포트에 보내지 않음</translation>
    </message>
    <message>
        <source>Not paid, and skipped</source>
        <translation>결제되지 않음 · 제외</translation>
    </message>
    <message>
        <source>{n} outcome(s) unknown: they are blocked until Reconcile settles them.</source>
        <translation>{n}건은 결과를 알 수 없어 대사로 확인될 때까지 결제가 막힙니다.</translation>
    </message>
    <message>
        <source>{n} never reached i&apos;mport; the next batch sends them again.</source>
        <translation>{n}건은 아임포트에 도달하지 않았습니다. 다음 일괄 결제에서 다시 보냅니다.</translation>
    </message>
    <message>
        <source>The batch stopped: {why}</source>
        <translation>일괄 결제가 멈췄습니다: {why}</translation>
    </message>
</context>
<context>
    <name>BooksWindow</name>
    <message>
        <source>Payments, settlement and audit</source>
        <translation>결제 내역·정산·작업 기록</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>결제 내역</translation>
    </message>
    <message>
        <source>Settlement</source>
        <translation>정산</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>작업 기록</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Cancel subscription</source>
        <translation>구독 해지</translation>
    </message>
    <message>
        <source>Cancel the subscription of {name}? No further charges will be made. Past payments are not refunded.</source>
        <translation>{name} 님의 구독을 해지할까요? 이후 결제는 더 이상 진행되지 않으며, 지난 결제는 환불되지 않습니다.</translation>
    </message>
    <message>
        <source>Also delete the billing key at i&apos;mport</source>
        <translation>아임포트의 빌링키도 삭제</translation>
    </message>
    <message>
        <source>Deleting the key cannot be undone: the customer would have to sign up again.</source>
        <translation>빌링키 삭제는 되돌릴 수 없습니다. 고객이 다시 가입해야 합니다.</translation>
    </message>
    <message>
        <source>Reason (kept in the audit log)</source>
        <translation>사유 (작업 기록에 남습니다)</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>유지</translation>
    </message>
</context>
<context>
    <name>ConfirmChargeDialog</name>
    <message>
        <source>Confirm charge</source>
        <translation>결제 확인</translation>
    </message>
    <message>
        <source>Charge {n} subscriber(s) now?</source>
        <translation>구독자 {n}명을 지금 결제할까요?</translation>
    </message>
    <message>
        <source>{total} in total</source>
        <translation>합계 {total}</translation>
    </message>
    <message>
        <source>Nobody can be charged</source>
        <translation>결제할 구독자가 없습니다</translation>
    </message>
    <message>
        <source>{n} of them before their next charge date.</source>
        <translation>그중 {n}명은 다음 결제일 전입니다.</translation>
    </message>
    <message>
        <source>Each charge goes to the customer&apos;s Kakao Pay billing key once; you can stop the batch, but charges already sent cannot be recalled.</source>
        <translation>고객의 카카오페이 빌링키로 한 번씩 결제됩니다. 일괄 결제는 중간에 멈출 수 있지만, 이미 보낸 결제는 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Subscriber</source>
        <translation>구독자</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>기간</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Skipped {n}: {counts}</source>
        <translation>제외 {n}명: {counts}</translation>
    </message>
    <message>
        <source>Charge {total}</source>
        <translation>{total} 결제</translation>
    </message>
    <message>
        <source>Don&apos;t charge</source>
        <translation>결제하지 않기</translation>
    </message>
</context>
<context>
    <name>DateRange</name>
    <message>
        <source>This month</source>
        <translation>이번 달</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>최근 7일</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>최근 30일</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>지난달</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>올해</translation>
    </message>
    <message>
        <source>Chosen dates</source>
        <translation>직접 선택</translation>
    </message>
    <message>
        <source>Period (Korean time):</source>
        <translation>기간(한국 시간):</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Select a subscriber to see their details.</source>
        <translation>구독자를 선택하면 상세 정보가 표시됩니다.</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Customer UID</source>
        <translation>고객 UID</translation>
    </message>
    <message>
        <source>Billing</source>
        <translation>결제 주기</translation>
    </message>
    <message>
        <source>Signed up</source>
        <translation>가입</translation>
    </message>
    <message>
        <source>Card and billing key</source>
        <translation>카드와 빌링키</translation>
    </message>
    <message>
        <source>Re-check with i&apos;mport</source>
        <translation>아임포트에서 다시 확인</translation>
    </message>
    <message>
        <source>Charge now</source>
        <translation>지금 결제</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>환불…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Cancel subscription…</source>
        <translation>구독 해지…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>수정…</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>지금 재시도</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>일시</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>기간</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>영수증</translation>
    </message>
    <message>
        <source>When</source>
        <translation>일시</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>담당자</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>결제 내역</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>작업 기록</translation>
    </message>
    <message>
        <source>No plan</source>
        <translation>상품 없음</translation>
    </message>
    <message>
        <source>Cancelled — no further charges</source>
        <translation>해지됨 — 이후 결제 없음</translation>
    </message>
    <message>
        <source>Past due: every retry was declined. Not charged automatically until you press Retry now or the customer signs up again.</source>
        <translation>연체: 재시도가 모두 결제 거절되었습니다. &apos;지금 재시도&apos;를 누르거나 고객이 다시 가입할 때까지 자동으로 결제하지 않습니다.</translation>
    </message>
    <message>
        <source>Day {day} of each month · declined, next retry {date}</source>
        <translation>매월 {day}일 · 결제 거절, 다음 재시도 {date}</translation>
    </message>
    <message>
        <source>Day {day} of each month · next {date}</source>
        <translation>매월 {day}일 · 다음 결제 {date}</translation>
    </message>
    <message>
        <source>No card details reported</source>
        <translation>카드 정보 없음</translation>
    </message>
    <message>
        <source>Memo: {memo}</source>
        <translation>메모: {memo}</translation>
    </message>
    <message>
        <source>Billing key missing at i&apos;mport: cannot be charged.</source>
        <translation>아임포트에 빌링키가 없어 결제할 수 없습니다.</translation>
    </message>
    <message>
        <source>Billing key on file (not checked this session).</source>
        <translation>빌링키 등록됨(이번 실행 중 미확인).</translation>
    </message>
    <message>
        <source>(refunded {amount})</source>
        <translation>({amount} 환불)</translation>
    </message>
    <message>
        <source>A charge batch is running.</source>
        <translation>일괄 결제가 진행 중입니다.</translation>
    </message>
    <message>
        <source>{paid} ({asked} asked)</source>
        <translation>{paid} (요청 {asked})</translation>
    </message>
    <message>
        <source>{period}: {paid} charged for {asked}</source>
        <translation>{period}: {asked} 요청, {paid} 결제 완료</translation>
    </message>
    <message>
        <source>Amount mismatch: {details}. The payment is recorded as paid; check it at i&apos;mport.</source>
        <translation>금액 불일치: {details}. 결제는 완료로 기록되었습니다. 아임포트에서 확인하세요.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Open the receipt in the browser</source>
        <translation>브라우저에서 영수증 열기</translation>
    </message>
    <message>
        <source>No charges yet</source>
        <translation>결제 내역 없음</translation>
    </message>
    <message>
        <source>A charge is in flight or its outcome is unknown: reconcile first.</source>
        <translation>진행 중이거나 결과를 알 수 없는 결제가 있습니다. 먼저 대사(조회)를 실행하세요.</translation>
    </message>
    <message>
        <source>Only active subscribers can be charged.</source>
        <translation>이용 중인 구독자만 결제할 수 있습니다.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <source>{name}: retry requested.</source>
        <translation>{name}: 재시도를 요청했습니다.</translation>
    </message>
    <message>
        <source>{name}: subscription resumed.</source>
        <translation>{name}: 구독을 재개했습니다.</translation>
    </message>
    <message>
        <source>{name}: subscription paused.</source>
        <translation>{name}: 구독을 일시 정지했습니다.</translation>
    </message>
    <message>
        <source>cancelled by staff</source>
        <translation>담당자 해지</translation>
    </message>
    <message>
        <source>{name}: subscription cancelled.</source>
        <translation>{name}: 구독을 해지했습니다.</translation>
    </message>
    <message>
        <source>{name}: subscription cancelled and billing key deleted.</source>
        <translation>{name}: 구독을 해지하고 빌링키를 삭제했습니다.</translation>
    </message>
    <message>
        <source>{name}: subscription cancelled, but the billing key was not deleted: {detail}</source>
        <translation>{name}: 구독은 해지했지만 빌링키는 삭제하지 못했습니다: {detail}</translation>
    </message>
    <message>
        <source>Checking with i&apos;mport…</source>
        <translation>아임포트에서 확인하는 중…</translation>
    </message>
    <message>
        <source>Billing key present at i&apos;mport (checked {when}).</source>
        <translation>아임포트에 빌링키가 있습니다 ({when} 확인).</translation>
    </message>
    <message>
        <source>i&apos;mport has no billing key for this customer: marked key missing.</source>
        <translation>아임포트에 이 고객의 빌링키가 없습니다. &apos;빌링키 없음&apos;으로 표시했습니다.</translation>
    </message>
    <message>
        <source>i&apos;mport has no billing key for this customer.</source>
        <translation>아임포트에 이 고객의 빌링키가 없습니다.</translation>
    </message>
    <message>
        <source>The check failed unexpectedly.</source>
        <translation>확인 중 예기치 않은 문제가 생겼습니다.</translation>
    </message>
</context>
<context>
    <name>EditSubscriberDialog</name>
    <message>
        <source>Edit {name}</source>
        <translation>{name} 수정</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Billing day</source>
        <translation>결제일</translation>
    </message>
    <message>
        <source>Next charge</source>
        <translation>다음 결제일</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>메모</translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>예기치 않은 오류</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Your data is safe: charges are recorded before they are sent. You can keep working; if this happens again, send the details below to support.</source>
        <translation>예기치 않은 문제가 발생했습니다. 결제는 전송 전에 먼저 기록되므로 데이터는 안전합니다. 계속 작업하셔도 되며, 같은 문제가 다시 생기면 아래 내용을 지원팀에 보내 주세요.</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>내용 복사</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>kpadmin — Kakao Pay subscriptions</source>
        <translation>kpadmin — 카카오페이 정기결제</translation>
    </message>
    <message>
        <source>New sign-up</source>
        <translation>신규 가입</translation>
    </message>
    <message>
        <source>Sign a customer up in the Kakao Pay window (phone or in person)</source>
        <translation>카카오페이 결제창으로 고객을 가입시킵니다 (전화 또는 방문)</translation>
    </message>
    <message>
        <source>Charge selected</source>
        <translation>선택 결제</translation>
    </message>
    <message>
        <source>Charge the selected subscribers now</source>
        <translation>선택한 구독자를 지금 결제합니다</translation>
    </message>
    <message>
        <source>Charge all due</source>
        <translation>결제일 도래분 일괄 결제</translation>
    </message>
    <message>
        <source>Charge every subscriber whose charge date has come</source>
        <translation>결제일이 된 모든 구독자를 결제합니다</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>대사(조회)</translation>
    </message>
    <message>
        <source>Look up charges whose outcome is unknown</source>
        <translation>결과를 알 수 없는 결제를 아임포트에서 조회합니다</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>CSV 가져오기…</translation>
    </message>
    <message>
        <source>Import subscribers</source>
        <translation>구독자 가져오기</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <source>Export subscribers or charges</source>
        <translation>구독자 또는 결제 내역을 내보냅니다</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>설정…</translation>
    </message>
    <message>
        <source>Mode, keys, limits</source>
        <translation>모드, 키, 한도</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>찾기</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>About kpadmin</source>
        <translation>kpadmin 정보</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Subscribers</source>
        <translation>구독자(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Charging</source>
        <translation>결제(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Books</source>
        <translation>장부(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Search name, phone or customer UID</source>
        <translation>이름, 전화번호, 고객 UID로 검색</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>오늘 결제 예정</translation>
    </message>
    <message>
        <source>Last charge failed</source>
        <translation>최근 결제 거절</translation>
    </message>
    <message>
        <source>Unknown outcome</source>
        <translation>결과 미확인</translation>
    </message>
    <message>
        <source>Staff: {name}</source>
        <translation>담당자: {name}</translation>
    </message>
    <message>
        <source>{n} subscribers selected</source>
        <translation>구독자 {n}명 선택됨</translation>
    </message>
    <message>
        <source>Select a subscriber to see their details.</source>
        <translation>구독자를 선택하면 상세 정보가 표시됩니다.</translation>
    </message>
    <message>
        <source>{shown} of {total} subscribers</source>
        <translation>구독자 {total}명 중 {shown}명</translation>
    </message>
    <message>
        <source>{total} subscribers</source>
        <translation>구독자 {total}명</translation>
    </message>
    <message>
        <source>{n} selected</source>
        <translation>{n}명 선택</translation>
    </message>
    <message>
        <source>No subscribers yet. Sign a customer up with “New sign-up” (Ctrl+N), or bring your list in with “Import CSV…” (Ctrl+I).</source>
        <translation>아직 구독자가 없습니다. ‘신규 가입’(Ctrl+N)으로 고객을 가입시키거나 ‘CSV 가져오기’(Ctrl+I)로 명단을 가져오세요.</translation>
    </message>
    <message>
        <source>No subscriber matches the search and filters. Clear them to see all.</source>
        <translation>검색어와 필터에 맞는 구독자가 없습니다. 모두 보려면 검색어와 필터를 지우세요.</translation>
    </message>
    <message>
        <source>Copy customer UID</source>
        <translation>고객 UID 복사</translation>
    </message>
    <message>
        <source>{name} is signed up.</source>
        <translation>{name} 님의 가입이 완료되었습니다.</translation>
    </message>
    <message>
        <source>{name}: changes saved.</source>
        <translation>{name}: 변경 내용을 저장했습니다.</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>결제 내역</translation>
    </message>
    <message>
        <source>Every payment of a period, all customers; export to Excel</source>
        <translation>기간별 전체 고객의 결제 내역, 엑셀로 내보내기</translation>
    </message>
    <message>
        <source>Settlement</source>
        <translation>정산</translation>
    </message>
    <message>
        <source>Paid, refunded and net per day, month and plan</source>
        <translation>일별·월별·상품별 결제 금액, 환불 금액, 순매출</translation>
    </message>
    <message>
        <source>Plans…</source>
        <translation>상품 목록…</translation>
    </message>
    <message>
        <source>Plans and their prices; change a price from a chosen month</source>
        <translation>상품과 가격. 선택한 달부터 가격 변경</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>작업 기록</translation>
    </message>
    <message>
        <source>Who did what and when</source>
        <translation>누가 언제 무엇을 했는지</translation>
    </message>
    <message>
        <source>kpadmin {version} — data in {path}</source>
        <translation>kpadmin {version} — 데이터 위치: {path}</translation>
    </message>
    <message>
        <source>A charge batch is running.</source>
        <translation>일괄 결제가 진행 중입니다.</translation>
    </message>
    <message>
        <source>built-in sandbox</source>
        <translation>내장 샌드박스</translation>
    </message>
    <message>
        <source>Connected: {where}</source>
        <translation>연결됨: {where}</translation>
    </message>
    <message>
        <source>Connecting to i&apos;mport…</source>
        <translation>아임포트에 연결하는 중…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>연결 안 됨</translation>
    </message>
    <message>
        <source>Not connected to i&apos;mport: {reason}</source>
        <translation>아임포트에 연결되지 않았습니다: {reason}</translation>
    </message>
    <message>
        <source>Stopping the batch: kpadmin closes once charges in flight are recorded.</source>
        <translation>일괄 결제를 멈추는 중입니다. 진행 중인 결제가 기록되면 kpadmin이 종료됩니다.</translation>
    </message>
</context>
<context>
    <name>Message</name>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <extracomment>The translation contexts the GUI looks these texts up in. The English of every code: the command line&apos;s text and the catalogue&apos;s source text.</extracomment>
        <translation>고객 이름을 입력하세요.</translation>
    </message>
    <message>
        <source>The name is too long (50 characters at most).</source>
        <translation>이름이 너무 깁니다 (최대 50자).</translation>
    </message>
    <message>
        <source>The name contains characters that cannot be used.</source>
        <translation>사용할 수 없는 문자가 있습니다.</translation>
    </message>
    <message>
        <source>The name starts with {first}: a spreadsheet would run it as a formula. Remove the {first} (names may not start with = + - or @).</source>
        <translation>이름이 {first}(으)로 시작합니다. 스프레드시트가 수식으로 실행할 수 있으니 {first}을(를) 지워 주세요(이름은 = + - @로 시작할 수 없습니다).</translation>
    </message>
    <message>
        <source>Enter a mobile number.</source>
        <translation>휴대폰 번호를 입력하세요.</translation>
    </message>
    <message>
        <source>Enter a Korean mobile number, e.g. 010-1234-5678.</source>
        <translation>휴대폰 번호 형식을 확인하세요 (예: 010-1234-5678).</translation>
    </message>
    <message>
        <source>Enter a valid e-mail address, or leave it empty.</source>
        <translation>올바른 이메일 주소를 입력하거나 비워 두세요.</translation>
    </message>
    <message>
        <source>The plan name is too long (40 characters at most).</source>
        <translation>상품명이 너무 깁니다 (최대 40자).</translation>
    </message>
    <message>
        <source>The plan name contains characters that cannot be used.</source>
        <translation>상품명에 사용할 수 없는 문자가 있습니다.</translation>
    </message>
    <message>
        <source>Enter the monthly amount in won.</source>
        <translation>월 금액을 원 단위로 입력하세요.</translation>
    </message>
    <message>
        <source>The amount must be a whole number of won, e.g. 9,900.</source>
        <translation>금액은 원 단위 정수로 입력하세요 (예: 9,900).</translation>
    </message>
    <message>
        <source>The amount must be more than ₩0.</source>
        <translation>금액은 ₩0보다 커야 합니다.</translation>
    </message>
    <message>
        <source>The amount is above ₩10,000,000; check it.</source>
        <translation>금액이 ₩10,000,000을 넘습니다. 확인하세요.</translation>
    </message>
    <message>
        <source>The billing day must be between 1 and 31.</source>
        <translation>결제일은 1일부터 31일 사이여야 합니다.</translation>
    </message>
    <message>
        <source>Choose phone or in person.</source>
        <translation>전화 또는 대면을 선택하세요.</translation>
    </message>
    <message>
        <source>The Kakao Pay window was closed before approval. Nothing was saved.</source>
        <translation>승인 전에 카카오페이 결제창이 닫혔습니다. 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>Kakao Pay declined the request. Nothing was saved.</source>
        <translation>카카오페이가 요청을 거절했습니다. 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>Nobody approved in time; the request expired. Nothing was saved.</source>
        <translation>제한 시간 안에 승인되지 않아 요청이 만료되었습니다. 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>i&apos;mport does not confirm this sign-up. Nothing was saved.</source>
        <translation>아임포트에서 이 가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>A first payment was taken but the sign-up could not be verified. Nothing was saved; check the payment in the i&apos;mport console and refund it if needed.</source>
        <translation>첫 결제는 이루어졌지만 가입을 확인할 수 없습니다. 저장된 내용은 없습니다. 아임포트 관리자 콘솔에서 결제를 확인하고 필요하면 환불하세요.</translation>
    </message>
    <message>
        <source>i&apos;mport could not be reached to verify the sign-up. Nothing was saved yet.</source>
        <translation>가입 확인을 위해 아임포트에 연결하지 못했습니다. 아직 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>The Kakao Pay window could not be loaded. Nothing was saved.</source>
        <translation>카카오페이 결제창을 불러오지 못했습니다. 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>The sign-up could not be verified. Nothing was saved.</source>
        <translation>가입을 확인할 수 없습니다. 저장된 내용은 없습니다.</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>해지됨</translation>
    </message>
    <message>
        <source>no billing key at i&apos;mport (sign the customer up again)</source>
        <translation>아임포트에 빌링키가 없습니다 (고객을 다시 가입시키세요)</translation>
    </message>
    <message>
        <source>no such subscriber</source>
        <translation>없는 구독자입니다</translation>
    </message>
    <message>
        <source>the subscriber was deleted</source>
        <translation>구독자가 삭제되었습니다</translation>
    </message>
    <message>
        <source>the outcome of {merchant_uid} ({period}) is not known yet; reconcile before charging again</source>
        <translation>{merchant_uid} ({period})의 결과를 아직 알 수 없습니다. 다시 결제하기 전에 대사하세요</translation>
    </message>
    <message>
        <source>next charge date is {date}</source>
        <translation>다음 결제일은 {date}입니다</translation>
    </message>
    <message>
        <source>already paid for {period}</source>
        <translation>{period} 결제 완료</translation>
    </message>
    <message>
        <source>{paid} paid charge(s) this month; the Kakao Pay monthly cap is {cap} per billing key</source>
        <translation>이번 달 결제 {paid}건. 카카오페이 월 한도는 빌링키당 {cap}건입니다</translation>
    </message>
    <message>
        <source>{merchant_uid} turned out declined: {detail}</source>
        <translation>{merchant_uid}: 결제 거절로 확인됨: {detail}</translation>
    </message>
    <message>
        <source>{merchant_uid} turned out rejected: {detail}</source>
        <translation>{merchant_uid}: 요청 거부로 확인됨: {detail}</translation>
    </message>
    <message>
        <source>{period} was settled since the plan was made; plan again</source>
        <translation>계획 후 {period} 결제가 정리되었습니다. 다시 계획하세요</translation>
    </message>
    <message>
        <source>the amount changed to ₩{amount:,} since the plan was made (₩{confirmed:,} was confirmed); plan again</source>
        <translation>계획 후 금액이 ₩{amount:,}(으)로 바뀌었습니다 (확인한 금액 ₩{confirmed:,}). 다시 계획하세요</translation>
    </message>
    <message>
        <source>an earlier attempt ({merchant_uid}) turned out to be paid</source>
        <translation>이전 시도({merchant_uid})가 결제 완료로 확인되었습니다</translation>
    </message>
    <message>
        <source>could not confirm that {merchant_uid} was not paid: {detail}</source>
        <translation>{merchant_uid}가 결제되지 않았는지 확인하지 못했습니다: {detail}</translation>
    </message>
    <message>
        <source>past due: every retry declined; press retry or sign the customer up again</source>
        <translation>연체: 재시도가 모두 결제 거절됨. 재시도를 누르거나 고객을 다시 가입시키세요</translation>
    </message>
    <message>
        <source>declined {failures} time(s); next retry on {date}</source>
        <translation>{failures}회 결제 거절. 다음 재시도는 {date}입니다</translation>
    </message>
    <message>
        <source>already tried today (once a day); next retry on {date}</source>
        <translation>오늘 이미 시도함(하루 한 번). 다음 재시도는 {date}입니다</translation>
    </message>
    <message>
        <source>Kakao Pay&apos;s monthly cap for this key: charged again from {date}</source>
        <translation>이 빌링키의 카카오페이 월 한도 초과: {date}부터 다시 결제합니다</translation>
    </message>
    <message>
        <source>{period} is already paid at i&apos;mport ({merchant_uid}): recorded here, not charged again</source>
        <translation>{period}은(는) 아임포트에서 이미 결제되었습니다({merchant_uid}). 여기에 기록했으며 다시 청구하지 않습니다</translation>
    </message>
    <message>
        <source>i&apos;mport shows an attempt for {period} that is not final ({merchant_uid}): looked up again before any new charge</source>
        <translation>아임포트에 {period}의 결과가 확정되지 않은 시도가 있습니다({merchant_uid}). 새로 청구하기 전에 다시 조회합니다</translation>
    </message>
    <message>
        <source>i&apos;mport&apos;s record of the billing key could not be read ({detail}): not charged this time</source>
        <translation>아임포트의 빌링키 결제 기록을 읽지 못했습니다({detail}). 이번에는 청구하지 않습니다</translation>
    </message>
    <message>
        <source>i&apos;mport&apos;s attempts for {period} do not fit this database&apos;s journal ({detail}): not charged; check the subscriber at i&apos;mport</source>
        <translation>아임포트의 {period} 시도가 이 데이터베이스의 기록과 맞지 않습니다({detail}). 청구하지 않았습니다. 아임포트에서 이 구독자를 확인하세요</translation>
    </message>
    <message>
        <source>not sent: {why}</source>
        <translation>전송 안 됨: {why}</translation>
    </message>
    <message>
        <source>not sent: authentication failed</source>
        <translation>전송 안 됨: 인증 실패</translation>
    </message>
    <message>
        <source>sent again and rejected ({reason}), but the lookup shows no payment: it may have been paid; check it at i&apos;mport</source>
        <translation>다시 보냈으나 거부되었고 ({reason}) 조회해도 결제가 보이지 않습니다. 결제되었을 수 있으니 아임포트에서 확인하세요</translation>
    </message>
    <message>
        <source>rejected ({reason}) but {detail}</source>
        <translation>요청 거부 ({reason}), 그러나 {detail}</translation>
    </message>
    <message>
        <source>not processed by i&apos;mport ({error}); will be sent again with the same merchant_uid</source>
        <translation>아임포트가 처리하지 않았습니다 ({error}). 같은 merchant_uid로 다시 보냅니다</translation>
    </message>
    <message>
        <source>{error}; {detail}</source>
        <translation>{error}; {detail}</translation>
    </message>
    <message>
        <source>status {status}</source>
        <translation>상태 {status}</translation>
    </message>
    <message>
        <source>interrupted while the request was in flight</source>
        <translation>요청 처리 중에 중단되었습니다</translation>
    </message>
    <message>
        <source>internal error: {error}</source>
        <translation>내부 오류: {error}</translation>
    </message>
    <message>
        <source>AMOUNT MISMATCH: i&apos;mport charged ₩{paid:,} for ₩{asked:,} asked; recorded as paid — check this payment at i&apos;mport</source>
        <translation>금액 불일치: ₩{asked:,}을 요청했는데 아임포트가 ₩{paid:,}을 결제했습니다. 결제 완료로 기록했으니 아임포트에서 이 결제를 확인하세요</translation>
    </message>
    <message>
        <source>DOUBLE PAYMENT: {period} is already paid by {clash}; refund {payment_id}</source>
        <translation>이중 결제: {period}은(는) 이미 {clash}(으)로 결제됨. {payment_id}을(를) 환불하세요</translation>
    </message>
    <message>
        <source>customer_uid is empty</source>
        <translation>customer_uid가 비어 있습니다</translation>
    </message>
    <message>
        <source>customer_uid is longer than 80 characters</source>
        <translation>customer_uid가 80자보다 깁니다</translation>
    </message>
    <message>
        <source>customer_uid {uid} may only contain letters, digits and _ . @ : - (starting with a letter or digit)</source>
        <translation>customer_uid {uid}에는 영문자, 숫자와 _ . @ : - 만 쓸 수 있습니다(영문자나 숫자로 시작)</translation>
    </message>
    <message>
        <source>next_charge_date {raw} must be a date like 2026-12-06 or 2026.12.06</source>
        <translation>다음 결제일 {raw}은(는) 2026-12-06 또는 2026.12.06 같은 날짜여야 합니다</translation>
    </message>
    <message>
        <source>next_charge_date {raw} is not a real date</source>
        <translation>다음 결제일 {raw}은(는) 없는 날짜입니다</translation>
    </message>
    <message>
        <source>next_charge_date {day} is in the past (today is {today} in Seoul)</source>
        <translation>다음 결제일 {day}이(가) 지났습니다(오늘은 한국 시간 {today})</translation>
    </message>
    <message>
        <source>next_charge_date {day} is more than {days} days ahead</source>
        <translation>다음 결제일 {day}이(가) {days}일보다 더 뒤입니다</translation>
    </message>
    <message>
        <source>has {count:,} fields; a line has at most {most}</source>
        <translation>칸이 {count:,}개입니다. 한 줄에는 최대 {most}칸까지 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>has {count} fields but the header has {header}</source>
        <translation>칸이 {count}개인데 머리글은 {header}칸입니다</translation>
    </message>
    <message>
        <source>column {index} has no name</source>
        <translation>{index}번째 열에 이름(머리글)이 없습니다</translation>
    </message>
    <message>
        <source>duplicate customer_uid (also on line {lines})</source>
        <translation>customer_uid가 중복됩니다({lines}행에도 있음)</translation>
    </message>
    <message>
        <source>i&apos;mport has no billing key for this customer_uid</source>
        <translation>아임포트에 이 customer_uid의 빌링키가 없습니다</translation>
    </message>
    <message>
        <source>this subscriber has a charge in flight or with an unknown outcome; run `kpadmin reconcile` first</source>
        <translation>이 구독자에게 진행 중이거나 결과 미확인인 결제가 있습니다. 먼저 대사(조회)를 실행하세요</translation>
    </message>
    <message>
        <source>amount {old} → {new} is a large change (more than {factor}× or {step}); check it, then import with --allow-large-changes</source>
        <translation>금액 {old} → {new}은(는) 큰 변경입니다({factor}배 초과 또는 {step} 초과). 확인한 뒤 미리 보기에서 확인란을 체크하세요(명령줄: --allow-large-changes)</translation>
    </message>
    <message>
        <source>the file is larger than {mb} MB; a subscriber file of {rows:,} rows is far smaller. Split it</source>
        <translation>파일이 {mb}MB보다 큽니다. 구독자 {rows:,}명 파일도 이보다 훨씬 작습니다. 파일을 나누세요</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>파일이 비어 있습니다</translation>
    </message>
    <message>
        <source>this is an Excel workbook (.xlsx), not a CSV file; in Excel use File &gt; Save As &gt; &apos;CSV UTF-8 (Comma delimited)&apos;</source>
        <translation>CSV 파일이 아니라 엑셀 통합 문서(.xlsx)입니다. 엑셀에서 파일 &gt; 다른 이름으로 저장 &gt; ‘CSV UTF-8(쉼표로 분리)’로 저장하세요</translation>
    </message>
    <message>
        <source>the file is UTF-16 text; save it as &apos;CSV UTF-8 (Comma delimited)&apos;</source>
        <translation>UTF-16 텍스트 파일입니다. ‘CSV UTF-8(쉼표로 분리)’로 저장하세요</translation>
    </message>
    <message>
        <source>the file contains binary data; it is not a CSV text file</source>
        <translation>파일에 이진 데이터가 있습니다. CSV 텍스트 파일이 아닙니다</translation>
    </message>
    <message>
        <source>the file starts like UTF-8 but is not valid UTF-8 ({error})</source>
        <translation>UTF-8처럼 시작하지만 올바른 UTF-8이 아닙니다({error})</translation>
    </message>
    <message>
        <source>the file is neither UTF-8 nor CP949 (EUC-KR) text; save it as &apos;CSV UTF-8 (Comma delimited)&apos;</source>
        <translation>UTF-8도 CP949(EUC-KR)도 아닌 텍스트입니다. ‘CSV UTF-8(쉼표로 분리)’로 저장하세요</translation>
    </message>
    <message>
        <source>the file contains control characters; it is not a CSV text file</source>
        <translation>파일에 제어 문자가 있습니다. CSV 텍스트 파일이 아닙니다</translation>
    </message>
    <message>
        <source>line {line}: the header has {count:,} columns; a subscriber file has at most {most} (expected {expected})</source>
        <translation>{line}행: 머리글이 {count:,}열입니다. 구독자 파일은 최대 {most}열입니다(필요한 열: {expected})</translation>
    </message>
    <message>
        <source>line {line}: the header is not comma-separated; save the file as CSV with commas</source>
        <translation>{line}행: 머리글이 쉼표로 구분되어 있지 않습니다. 쉼표로 구분된 CSV로 저장하세요</translation>
    </message>
    <message>
        <source>line {line}: the header repeats column(s): {columns}</source>
        <translation>{line}행: 머리글에 같은 열이 두 번 있습니다: {columns}</translation>
    </message>
    <message>
        <source>line {line}: bad header: missing required column(s): {missing}. Expected {expected}</source>
        <translation>{line}행: 머리글 오류: 필수 열이 없습니다: {missing}. 필요한 열: {expected}</translation>
    </message>
    <message>
        <source>line {line}: bad header: unknown column(s): {unknown}. Expected {expected}</source>
        <translation>{line}행: 머리글 오류: 알 수 없는 열: {unknown}. 필요한 열: {expected}</translation>
    </message>
    <message>
        <source>line {line}: bad header: missing required column(s): {missing}; unknown column(s): {unknown}. Expected {expected}</source>
        <translation>{line}행: 머리글 오류: 필수 열이 없습니다: {missing}; 알 수 없는 열: {unknown}. 필요한 열: {expected}</translation>
    </message>
    <message>
        <source>line {line}: the file has more than {rows:,} rows; split it</source>
        <translation>{line}행: 파일이 {rows:,}행보다 깁니다. 파일을 나누세요</translation>
    </message>
    <message>
        <source>line {line}: the CSV is malformed ({error})</source>
        <translation>{line}행: CSV 형식이 잘못되었습니다({error})</translation>
    </message>
    <message>
        <source>the file has no header line</source>
        <translation>파일에 머리글 행이 없습니다</translation>
    </message>
    <message>
        <source>the file has a header but no rows</source>
        <translation>머리글만 있고 데이터 행이 없습니다</translation>
    </message>
    <message>
        <source>daily run {day} by {desk} ({time})</source>
        <translation>{day} 매일 자동 실행: {desk} ({time})</translation>
    </message>
    <message>
        <source>customer_uid={key_id} merchant_uid={order_id} name={name} phone={phone}{email} plan={plan} amount={amount:,} first_payment={first_payment:,} billing_day={billing_day} channel={channel}</source>
        <translation>이름 {name}, 휴대폰 번호 {phone}{email}, 상품 {plan}, 금액 ₩{amount:,}, 첫 결제 ₩{first_payment:,}, 결제일 {billing_day}일, 가입 경로 {channel} (customer_uid {key_id}, merchant_uid {order_id})</translation>
    </message>
    <message>
        <source> email={email}</source>
        <translation>, 이메일 {email}</translation>
    </message>
    <message>
        <source>verified: card={card}; next charge {next_date}{first_payment}; {attempt}</source>
        <translation>가입 확인됨: 카드 {card}; 다음 결제일 {next_date}{first_payment}; {attempt}</translation>
    </message>
    <message>
        <source>; first payment ₩{amount:,} imp_uid={payment_id}</source>
        <translation>; 첫 결제 ₩{amount:,} imp_uid {payment_id}</translation>
    </message>
    <message>
        <source>{reason}: {why}{note}; {attempt}{paid}</source>
        <translation>{reason}: {why}{note}; {attempt}{paid}</translation>
    </message>
    <message>
        <source> ({text})</source>
        <translation> ({text})</translation>
    </message>
    <message>
        <source>; PAID PAYMENT WITHOUT SIGN-UP imp_uid={payment_id}</source>
        <translation>; 가입 없이 결제된 건 있음 imp_uid {payment_id}</translation>
    </message>
    <message>
        <source>{when}: {found}; merchant_uid={order_id} customer_uid={key_id}</source>
        <translation>{when}: {found}; merchant_uid {order_id}, customer_uid {key_id}</translation>
    </message>
    <message>
        <source>could not check i&apos;mport ({error})</source>
        <translation>아임포트에 확인하지 못함 ({error})</translation>
    </message>
    <message>
        <source>billing key EXISTS</source>
        <translation>빌링키 있음</translation>
    </message>
    <message>
        <source>billing key none</source>
        <translation>빌링키 없음</translation>
    </message>
    <message>
        <source>PAID imp_uid={payment_id} amount={amount:,} refundable={refundable:,}</source>
        <translation>결제 완료 imp_uid {payment_id}, 금액 ₩{amount:,}, 환불 가능 ₩{refundable:,}</translation>
    </message>
    <message>
        <source>checked again</source>
        <translation>다시 확인</translation>
    </message>
    <message>
        <source>after {reason}</source>
        <translation>{reason} 후</translation>
    </message>
    <message>
        <source>attempt abandoned</source>
        <translation>가입 시도 중단</translation>
    </message>
    <message>
        <source>after refund</source>
        <translation>환불 후</translation>
    </message>
    <message>
        <source>refunded imp_uid={payment_id} ₩{amount:,} of a sign-up that was not completed; merchant_uid={order_id}</source>
        <translation>완료되지 않은 가입의 결제 ₩{amount:,} 환불 완료 (imp_uid {payment_id}, merchant_uid {order_id})</translation>
    </message>
    <message>
        <source>refund of imp_uid={payment_id} ₩{amount:,} not confirmed ({error}); merchant_uid={order_id}: check it at i&apos;mport</source>
        <translation>₩{amount:,} 환불이 확인되지 않음 ({error}; imp_uid {payment_id}, merchant_uid {order_id}): 아임포트에서 확인하세요</translation>
    </message>
    <message>
        <source>deleted the unused billing key customer_uid={key_id} of a sign-up that was not completed (merchant_uid={order_id})</source>
        <translation>완료되지 않은 가입의 쓰지 않는 빌링키 삭제 (customer_uid {key_id}, merchant_uid {order_id})</translation>
    </message>
    <message>
        <source>ORPHAN BILLING KEY customer_uid={key_id} could not be deleted ({error}); delete it at i&apos;mport</source>
        <translation>남은 빌링키를 삭제하지 못함 (customer_uid {key_id}, {error}): 아임포트에서 삭제하세요</translation>
    </message>
    <message>
        <source>billing key missing at i&apos;mport: marked key missing</source>
        <translation>아임포트에 빌링키 없음: 빌링키 없음 상태로 표시</translation>
    </message>
    <message>
        <source>billing key not found at i&apos;mport after a rejected charge</source>
        <translation>요청 거부된 결제 후 아임포트에서 빌링키를 찾지 못함</translation>
    </message>
    <message>
        <source>billing key not found at i&apos;mport (deleted outside kpadmin)</source>
        <translation>아임포트에서 빌링키를 찾지 못함 (kpadmin 밖에서 삭제됨)</translation>
    </message>
    <message>
        <source>billing key missing at i&apos;mport</source>
        <translation>아임포트에 빌링키 없음</translation>
    </message>
    <message>
        <source>billing key present</source>
        <translation>빌링키 있음</translation>
    </message>
    <message>
        <source>billing key present: {was} → {now}</source>
        <translation>빌링키 있음: {was} → {now}</translation>
    </message>
    <message>
        <source>{was} → {now}</source>
        <translation>{was} → {now}</translation>
    </message>
    <message>
        <source>cancelled: {reason}</source>
        <translation>해지: {reason}</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>사유: {reason}</translation>
    </message>
    <message>
        <source>reason: {reason} (i&apos;mport had no such key)</source>
        <translation>사유: {reason} (아임포트에 해당 빌링키 없음)</translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <source>{parts}</source>
        <translation>{parts}</translation>
    </message>
    <message>
        <source>{state} ₩{amount:,} for {period} (attempt {attempt}, merchant_uid {order_id}{payment}){note}</source>
        <translation>{period} ₩{amount:,} {state} ({attempt}회차, merchant_uid {order_id}{payment}){note}</translation>
    </message>
    <message>
        <source>, imp_uid {payment_id}</source>
        <translation>, imp_uid {payment_id}</translation>
    </message>
    <message>
        <source>: {text}</source>
        <translation>: {text}</translation>
    </message>
    <message>
        <source>{order_id} (imp_uid {payment_id}) for {period}: i&apos;mport charged ₩{paid:,}, ₩{asked:,} was asked</source>
        <translation>{period} {order_id} (imp_uid {payment_id}): ₩{asked:,} 요청에 아임포트가 ₩{paid:,} 결제</translation>
    </message>
    <message>
        <source>batch {batch_id}: {paid} paid (₩{paid_amount:,}), {declined} declined, {rejected} rejected, {unknown} unknown, {unsent} not sent, {withdrawn} withdrawn{mismatches}{cancelled}{stopped}</source>
        <translation>일괄 결제 {batch_id}: 결제 완료 {paid}건 (₩{paid_amount:,}), 결제 거절 {declined}건, 요청 거부 {rejected}건, 결과 미확인 {unknown}건, 미전송 {unsent}건, 취소된 예정 {withdrawn}건{mismatches}{cancelled}{stopped}</translation>
    </message>
    <message>
        <source>, {count} AMOUNT MISMATCH(ES)</source>
        <translation>, 금액 불일치 {count}건</translation>
    </message>
    <message>
        <source> — cancelled</source>
        <translation> — 중단됨</translation>
    </message>
    <message>
        <source> — stopped: {error}</source>
        <translation> — 멈춤: {error}</translation>
    </message>
    <message>
        <source>batch {batch_id}: {count} planned charge(s) withdrawn before sending</source>
        <translation>일괄 결제 {batch_id}: 전송 전 예정 결제 {count}건 취소</translation>
    </message>
    <message>
        <source>daily run {day} by {desk}</source>
        <translation>{day} 매일 자동 실행 ({desk})</translation>
    </message>
    <message>
        <source>past due for {period}: {failures} card decline(s), retry days {days} used up</source>
        <translation>{period} 연체: 카드 결제 거절 {failures}회, 재시도일 {days} 모두 지남</translation>
    </message>
    <message>
        <source>retry requested (was {state})</source>
        <translation>재시도 요청 (이전 상태: {state})</translation>
    </message>
    <message>
        <source>refunded ₩{amount:,} of ₩{charged:,} ({period}, merchant_uid {order_id}, imp_uid {payment_id}); ₩{total:,} refunded in total; reason: {reason}</source>
        <translation>₩{charged:,} 중 ₩{amount:,} 환불 완료 ({period}, merchant_uid {order_id}, imp_uid {payment_id}); 누적 환불 ₩{total:,}; 사유: {reason}</translation>
    </message>
    <message>
        <source>refund of ₩{asked:,} not made: i&apos;mport shows no new refund (₩{total:,} refunded in total; reason: {reason})</source>
        <translation>₩{asked:,} 환불 안 됨: 아임포트에 새 환불 없음 (누적 환불 ₩{total:,}; 사유: {reason})</translation>
    </message>
    <message>
        <source>refund of ₩{asked:,} refused by i&apos;mport: {error} (we believed ₩{balance:,} refundable; reason: {reason})</source>
        <translation>아임포트가 ₩{asked:,} 환불을 거부함: {error} (환불 가능 금액으로 본 ₩{balance:,}; 사유: {reason})</translation>
    </message>
    <message>
        <source>refund of ₩{asked:,} sent, answer lost (reason: {reason})</source>
        <translation>₩{asked:,} 환불 요청 전송, 응답 없음 — 결과 미확인 (사유: {reason})</translation>
    </message>
    <message>
        <source>{order_id} (imp_uid {payment_id}): i&apos;mport shows ₩{refunded:,} refunded (here ₩{here:,}), a refund or cancellation made outside kpadmin</source>
        <translation>{order_id} (imp_uid {payment_id}): 아임포트에 ₩{refunded:,} 환불됨 (여기에는 ₩{here:,}) — kpadmin 밖에서 한 환불 또는 취소</translation>
    </message>
    <message>
        <source>imported from CSV line {line}</source>
        <translation>CSV {line}번째 줄에서 가져옴</translation>
    </message>
    <message>
        <source>CSV import changed {changes}</source>
        <translation>CSV 가져오기로 변경: {changes}</translation>
    </message>
    <message>
        <source>CSV import: {added} added, {updated} updated, {unchanged} unchanged, {bad} bad rows skipped</source>
        <translation>CSV 가져오기: 추가 {added}명, 변경 {updated}명, 변경 없음 {unchanged}명, 문제 있는 줄 {bad}개 건너뜀</translation>
    </message>
    <message>
        <source>copied from {file} on another computer: {subscribers} subscribers, {charges} charges</source>
        <translation>다른 컴퓨터의 {file}에서 복사: 구독자 {subscribers}명, 결제 {charges}건</translation>
    </message>
    <message>
        <source>{what}: {count} rows to {file}</source>
        <translation>{what} {count}줄을 {file}(으)로 내보냄</translation>
    </message>
    <message>
        <source>payments {start}..{end} ({kind}): {count} rows to {file}</source>
        <translation>결제 내역 {start}~{end} ({kind}) {count}줄을 {file}(으)로 내보냄</translation>
    </message>
    <message>
        <source>{key}: {old} → {new}</source>
        <translation>{key}: {old} → {new}</translation>
    </message>
    <message>
        <source>setting {key}: {old} → {new}</source>
        <translation>설정 {key}: {old} → {new}</translation>
    </message>
    <message>
        <source>{name} replaced (keyring, {mode})</source>
        <translation>{name} 바꿈 (키체인, {mode})</translation>
    </message>
    <message>
        <source>{name} stored in the OS keyring for {mode} mode</source>
        <translation>{name}을(를) {mode} 모드용으로 운영체제 키체인에 저장</translation>
    </message>
    <message>
        <source>{name} removed from the OS keyring for {mode} mode</source>
        <translation>{name}을(를) {mode} 모드용 운영체제 키체인에서 삭제</translation>
    </message>
    <message>
        <source>settings reset to the defaults (sandbox mode)</source>
        <translation>설정을 기본값으로 되돌림 (SANDBOX 모드)</translation>
    </message>
    <message>
        <source>settings reset to the defaults (sandbox mode); the old file is kept as {file}{problem}</source>
        <translation>설정을 기본값으로 되돌림 (SANDBOX 모드); 이전 파일은 {file}(으)로 보관{problem}</translation>
    </message>
    <message>
        <source>started empty on purpose (--new-database); the missing database had {facts}</source>
        <translation>빈 데이터베이스로 새로 시작함 (의도한 것); 없어진 데이터베이스 내용: {facts}</translation>
    </message>
    <message>
        <source>plan {plan}: ₩{price:,}</source>
        <translation>상품 {plan}: ₩{price:,}</translation>
    </message>
    <message>
        <source>plan {plan}: ₩{old:,} → ₩{new:,} from {period}; {now} subscriber(s) now, {later} when their next charge reaches {period}; {told} customer(s) notified</source>
        <translation>상품 {plan}: {period}부터 ₩{old:,} → ₩{new:,}; 구독자 {now}명은 지금, {later}명은 다음 결제가 {period}에 이를 때; 고객 {told}명에게 안내</translation>
    </message>
    <message>
        <source>amount ₩{old:,} → ₩{new:,} (plan {plan} from {period})</source>
        <translation>금액 ₩{old:,} → ₩{new:,} (상품 {plan}, {period}부터)</translation>
    </message>
</context>
<context>
    <name>ModeBanner</name>
    <message>
        <source>Database: this PC</source>
        <translation>데이터베이스: 이 PC</translation>
    </message>
    <message>
        <source>The data is kept on this computer only.</source>
        <translation>데이터는 이 컴퓨터에만 보관됩니다.</translation>
    </message>
    <message>
        <source>Database: shared: {where}</source>
        <translation>데이터베이스: 공유 {where}</translation>
    </message>
    <message>
        <source>Every desk set to this database sees and charges the same subscribers.</source>
        <translation>이 데이터베이스를 쓰는 모든 데스크가 같은 구독자를 보고 청구합니다.</translation>
    </message>
    <message>
        <source>Training mode: the built-in i&apos;mport simulator. No real money moves.</source>
        <translation>교육용 모드: 내장 아임포트 시뮬레이터를 사용합니다. 실제 돈은 오가지 않습니다.</translation>
    </message>
    <message>
        <source>Test channel at i&apos;mport: test payments only, separate data.</source>
        <translation>아임포트 테스트 채널: 테스트 결제만 이루어지며 데이터는 따로 보관됩니다.</translation>
    </message>
    <message>
        <source>Charges take real money from real customers.</source>
        <translation>실제 고객에게서 실제 금액이 결제됩니다.</translation>
    </message>
</context>
<context>
    <name>MonthlyChart</name>
    <message>
        <source>{month}: collected {collected}, failed {failed}</source>
        <extracomment>Data changes in quick succession refresh the strip at most this often. One plain Python thread for the overview&apos;s journal reads during a batch (not the qasync loop&apos;s default executor: its QThreads must not outlive the application at exit).</extracomment>
        <translation>{month}: 수납 {collected}, 결제 거절 {failed}</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>수납</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>결제 거절</translation>
    </message>
</context>
<context>
    <name>NoticesController</name>
    <message>
        <source>✉ {n} unsent notice(s)</source>
        <translation>✉ 미발송 안내 {n}건</translation>
    </message>
    <message>
        <source>Customer notices not sent yet: click to see them</source>
        <translation>아직 발송되지 않은 고객 안내입니다. 눌러서 확인하세요</translation>
    </message>
    <message>
        <source>Notices not sent: {why}</source>
        <translation>안내를 발송하지 못했습니다: {why}</translation>
    </message>
    <message>
        <source>Notices: {sent} sent, {later} to try again later.</source>
        <translation>안내: {sent}건 발송, {later}건은 나중에 다시 시도합니다.</translation>
    </message>
</context>
<context>
    <name>NoticesDialog</name>
    <message>
        <source>Customer notices</source>
        <translation>고객 안내</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>안내</translation>
    </message>
    <message>
        <source>To</source>
        <translation>받는 사람</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>작성 시각</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>시도</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>다음 시도</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>마지막 오류</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>지금 발송</translation>
    </message>
    <message>
        <source>Try given-up ones again</source>
        <translation>발송 포기한 안내 다시 시도</translation>
    </message>
    <message>
        <source>Every notice has been sent.</source>
        <translation>모든 안내를 발송했습니다.</translation>
    </message>
    <message>
        <source>{n} notice(s) not sent yet; {failed} given up. Notices are sent after each batch and tried again later when the mail server refuses them.</source>
        <translation>아직 발송되지 않은 안내 {n}건, 그중 발송 포기 {failed}건. 안내는 일괄 결제가 끝날 때마다 발송되며, 메일 서버가 거부하면 나중에 다시 시도합니다.</translation>
    </message>
</context>
<context>
    <name>OverviewStrip</name>
    <message>
        <source>Active subscribers</source>
        <translation>이용 중인 구독자</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>오늘 결제 예정</translation>
    </message>
    <message>
        <source>Monthly recurring revenue</source>
        <translation>월 정기 매출</translation>
    </message>
    <message>
        <source>Past due</source>
        <translation>연체</translation>
    </message>
    <message>
        <source>Last batch</source>
        <translation>최근 일괄 결제</translation>
    </message>
    <message>
        <source>of {n} in total</source>
        <translation>전체 {n}명 중</translation>
    </message>
    <message>
        <source>{amount} to collect</source>
        <translation>수납 예정 {amount}</translation>
    </message>
    <message>
        <source>{n} being charged now</source>
        <translation>{n}건 결제 진행 중</translation>
    </message>
    <message>
        <source>{n} with unknown outcome (reconcile)</source>
        <translation>결과 미확인 {n}건 (대사 필요)</translation>
    </message>
    <message>
        <source>{n} waiting for a retry</source>
        <translation>재시도 대기 {n}명</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>아직 없음</translation>
    </message>
    <message>
        <source>{paid} paid · {failed} failed</source>
        <translation>결제 완료 {paid} · 결제 거절 {failed}</translation>
    </message>
    <message>
        <source>{n} unknown · </source>
        <translation>미확인 {n} · </translation>
    </message>
    <message>
        <source>{n} in flight · </source>
        <translation>진행 중 {n}건 · </translation>
    </message>
</context>
<context>
    <name>PaymentsModel</name>
    <message>
        <source>Time (KST)</source>
        <translation>시각(한국 시간)</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>휴대폰 번호</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>환불 금액</translation>
    </message>
    <message>
        <source>Decline reason</source>
        <translation>거절 사유</translation>
    </message>
</context>
<context>
    <name>PaymentsView</name>
    <message>
        <source>All states</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>All plans</source>
        <translation>모든 상품</translation>
    </message>
    <message>
        <source>Search name, phone or order id</source>
        <translation>이름, 휴대폰 번호 또는 주문번호 검색</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Excel (.xlsx)…</source>
        <translation>엑셀(.xlsx)…</translation>
    </message>
    <message>
        <source>CSV (.csv)…</source>
        <translation>CSV(.csv)…</translation>
    </message>
    <message>
        <source>{count} rows · paid {paid_count} {paid} · refunded {refunded} · net {net} · declined {declined} · outcome unknown {unknown}</source>
        <translation>{count}건 · 결제 완료 {paid_count}건 {paid} · 환불 {refunded} · 순매출 {net} · 결제 거절 {declined}건 · 결과 미확인 {unknown}건</translation>
    </message>
    <message>
        <source>No payments match. Choose a longer period or clear the filters; payments appear here after a charge (Charge all due) or a sign-up.</source>
        <translation>조건에 맞는 결제가 없습니다. 기간을 늘리거나 필터를 해제해 보세요. 결제(‘결제일 도래 모두 결제’)나 가입을 하면 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>Export payments</source>
        <translation>결제 내역 내보내기</translation>
    </message>
    <message>
        <source>Excel (*.xlsx)</source>
        <translation>엑셀 (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>{path} 파일을 쓰지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>{count} payments written to {path}</source>
        <translation>결제 {count}건을 {path}에 저장했습니다</translation>
    </message>
</context>
<context>
    <name>PlanCombo</name>
    <message>
        <source>Choose a plan of the catalogue (its price fills the amount) or type a name.</source>
        <translation>상품 목록에서 고르면 그 가격이 금액에 들어갑니다. 목록에 없는 상품명을 입력해도 됩니다.</translation>
    </message>
</context>
<context>
    <name>PlansDialog</name>
    <message>
        <source>Plans</source>
        <extracomment>How many months ahead a price change may start.</extracomment>
        <translation>상품 목록</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>가격</translation>
    </message>
    <message>
        <source>Subscribers</source>
        <translation>구독자</translation>
    </message>
    <message>
        <source>Price change</source>
        <translation>가격 변경</translation>
    </message>
    <message>
        <source>No plans yet. Add one below: its name is what subscribers&apos; plan says.</source>
        <translation>아직 상품이 없습니다. 아래에서 추가하세요. 상품명은 구독자의 ‘상품’ 칸과 같아야 합니다.</translation>
    </message>
    <message>
        <source>New plan</source>
        <translation>새 상품</translation>
    </message>
    <message>
        <source>Plan name</source>
        <translation>상품명</translation>
    </message>
    <message>
        <source>Monthly price, e.g. 9,900</source>
        <translation>월 가격(예: 9,900)</translation>
    </message>
    <message>
        <source>Add plan</source>
        <translation>상품 추가</translation>
    </message>
    <message>
        <source>Change the selected plan&apos;s price</source>
        <translation>선택한 상품의 가격 변경</translation>
    </message>
    <message>
        <source>New monthly price</source>
        <translation>새 월 가격</translation>
    </message>
    <message>
        <source>New price:</source>
        <translation>새 가격:</translation>
    </message>
    <message>
        <source>From the charges of:</source>
        <translation>적용 시작 결제월:</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>미리 보기</translation>
    </message>
    <message>
        <source>Apply the change</source>
        <translation>변경 적용</translation>
    </message>
    <message>
        <source>from {period}: some subscribers still at the old price</source>
        <translation>{period}부터: 일부 구독자는 아직 이전 가격</translation>
    </message>
    <message>
        <source>Not added: {why}</source>
        <translation>추가하지 못했습니다: {why}</translation>
    </message>
    <message>
        <source>Select a plan in the list first.</source>
        <translation>먼저 목록에서 상품을 선택하세요.</translation>
    </message>
    <message>
        <source>No change: {why}</source>
        <translation>변경하지 않았습니다: {why}</translation>
    </message>
    <message>
        <source>{plan}: {old} → {new} from the charges of {period}.</source>
        <translation>{plan}: {period} 결제분부터 {old} → {new}.</translation>
    </message>
    <message>
        <source>Changed now ({n}): their next charge is in {period} or later</source>
        <translation>지금 변경({n}명): 다음 결제가 {period} 이후입니다</translation>
    </message>
    <message>
        <source>Changed when their next charge reaches {period} ({n}): the charge before it keeps the old price</source>
        <translation>다음 결제가 {period}에 이르면 변경({n}명): 그 전 결제는 이전 가격입니다</translation>
    </message>
    <message>
        <source>Notices are off: no customer is told of the new price.</source>
        <translation>고객 안내가 꺼져 있어 새 가격을 안내받는 고객이 없습니다.</translation>
    </message>
    <message>
        <source>Customers told of the new price by e-mail: {n} (a customer without an e-mail address is not told)</source>
        <translation>새 가격을 이메일로 안내받는 고객: {n}명 (이메일 주소가 없는 고객은 안내받지 못합니다)</translation>
    </message>
    <message>
        <source>Sooner than the {days}-day notice: {n} customer(s) pay the new price less than {days} days from today, the first on {date}. Choose a later month to give them the full notice.</source>
        <translation>안내 기간({days}일)보다 이릅니다: 고객 {n}명이 오늘부터 {days}일 안에 새 가격으로 결제되며, 첫 결제일은 {date}입니다. 미리 충분히 안내하려면 더 늦은 달을 고르세요.</translation>
    </message>
    <message>
        <source>Price changed: {n} subscribers now, {later} later.</source>
        <translation>가격을 바꿨습니다: 지금 {n}명, 나중에 {later}명.</translation>
    </message>
    <message>
        <source>{n} customer(s) will be told by e-mail when the notices are sent.</source>
        <translation>고객 안내를 보낼 때 {n}명에게 이메일로 알립니다.</translation>
    </message>
</context>
<context>
    <name>PopupWindow</name>
    <message>
        <source>Kakao Pay</source>
        <extracomment>The world the web channel and the relay live in: not the page&apos;s (main) world, so neither the page&apos;s scripts nor iamport.js can touch ``qt.webChannelTransport``. (url for the log, reason) of each refused navigation or popup.</extracomment>
        <translation>카카오페이</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <source>Refund</source>
        <translation>환불</translation>
    </message>
    <message>
        <source>Refund a payment of {name}</source>
        <translation>{name} 님의 결제 환불</translation>
    </message>
    <message>
        <source>{period} · {amount} paid {when}</source>
        <translation>{period} · {amount} 결제 {when}</translation>
    </message>
    <message>
        <source>{left} left</source>
        <translation>잔액 {left}</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>결제</translation>
    </message>
    <message>
        <source>Part of it:</source>
        <translation>일부 금액:</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Required: why the customer gets money back</source>
        <translation>필수: 환불 사유</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>검토…</translation>
    </message>
    <message>
        <source>A refund cannot be undone.</source>
        <translation>환불은 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>뒤로</translation>
    </message>
    <message>
        <source>All that is left: {amount}</source>
        <translation>남은 전액: {amount}</translation>
    </message>
    <message>
        <source>There is no paid charge left to refund.</source>
        <translation>환불할 결제가 없습니다.</translation>
    </message>
    <message>
        <source>Enter the amount to refund in whole won.</source>
        <translation>환불 금액을 원 단위 정수로 입력하세요.</translation>
    </message>
    <message>
        <source>At most {balance} can be refunded.</source>
        <translation>최대 {balance}까지 환불할 수 있습니다.</translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation>사유를 입력하세요.</translation>
    </message>
    <message>
        <source>the whole remaining {amount}</source>
        <translation>남은 전액 {amount}</translation>
    </message>
    <message>
        <source>Refund {what} of {name}&apos;s {period} payment ({paid})?
Reason: {reason}</source>
        <translation>{name} 님의 {period} 결제({paid})에서 {what}을(를) 환불할까요?
사유: {reason}</translation>
    </message>
    <message>
        <source>Refund {amount}</source>
        <translation>{amount} 환불</translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <source>Per day</source>
        <translation>일별</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>월별</translation>
    </message>
    <message>
        <source>Per plan</source>
        <translation>상품별</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>보기:</translation>
    </message>
    <message>
        <source>Korean days (KST). Paid: the amount i&apos;mport took. Refunded: the refunds made that day, whichever day their payment was. Net = paid − refunded. Declined: charges the card company refused.</source>
        <translation>한국 시간 기준 날짜입니다. 결제 금액: 아임포트가 결제한 금액. 환불 금액: 그날 이루어진 환불(결제한 날과 관계없이 환불한 날에 집계). 순매출 = 결제 금액 − 환불 금액. 결제 거절: 카드사가 거절한 결제.</translation>
    </message>
    <message>
        <source>Choose a shorter period (at most ten years).</source>
        <translation>기간을 줄여 주세요(최대 10년).</translation>
    </message>
    <message>
        <source>Total: {paid_count} payments {paid}, refunded {refunded}, net {net}, {failed} declined</source>
        <translation>합계: 결제 완료 {paid_count}건 {paid}, 환불 {refunded}, 순매출 {net}, 결제 거절 {failed}건</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>월</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>결제 건수</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>결제 금액</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>환불 금액</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>순매출</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>결제 거절</translation>
    </message>
    <message>
        <source>(no plan)</source>
        <translation>(상품 없음)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>i&apos;mport connection</source>
        <translation>아임포트 연결</translation>
    </message>
    <message>
        <source>Sandbox (training, built-in simulator)</source>
        <translation>샌드박스 (교육용, 내장 시뮬레이터)</translation>
    </message>
    <message>
        <source>Test (i&apos;mport test channel)</source>
        <translation>테스트 (아임포트 테스트 채널)</translation>
    </message>
    <message>
        <source>LIVE (real money)</source>
        <translation>실거래 (실제 결제)</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>모드</translation>
    </message>
    <message>
        <source>imp12345678</source>
        <translation>imp12345678</translation>
    </message>
    <message>
        <source>Merchant code</source>
        <translation>가맹점 식별코드</translation>
    </message>
    <message>
        <source>REST API key</source>
        <translation>REST API 키</translation>
    </message>
    <message>
        <source>REST API secret</source>
        <translation>REST API 시크릿</translation>
    </message>
    <message>
        <source>PG / channel</source>
        <translation>PG / 채널</translation>
    </message>
    <message>
        <source>(default for the mode)</source>
        <translation>(모드 기본값)</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>API 주소</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>연결 테스트</translation>
    </message>
    <message>
        <source>Charging and staff</source>
        <translation>결제와 담당자</translation>
    </message>
    <message>
        <source>Charges at once</source>
        <translation>동시 결제 수</translation>
    </message>
    <message>
        <source>No cap ({low:g} to {high:g})</source>
        <translation>제한 없음 ({low:g}~{high:g})</translation>
    </message>
    <message>
        <source>Charges per second</source>
        <translation>초당 결제 요청 수</translation>
    </message>
    <message>
        <source>No cap</source>
        <translation>한도 없음</translation>
    </message>
    <message>
        <source>Charges per key per month</source>
        <translation>빌링키당 월 결제 한도</translation>
    </message>
    <message>
        <source>Staff name</source>
        <translation>담당자 이름</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>시스템 설정 따름</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Retries, automatic runs and notices</source>
        <translation>재시도, 자동 실행, 고객 안내</translation>
    </message>
    <message>
        <source>Retry days after a decline</source>
        <translation>결제 거절 후 재시도일</translation>
    </message>
    <message>
        <source>off, or HH:MM Korean time</source>
        <translation>비워 두면 꺼짐 · 한국 시각, 예: 09:00</translation>
    </message>
    <message>
        <source>Daily automatic run</source>
        <translation>매일 자동 실행</translation>
    </message>
    <message>
        <source>Also in LIVE mode (real money)</source>
        <translation>실거래 모드에서도 실행 (실제 결제)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>끄기</translation>
    </message>
    <message>
        <source>By e-mail</source>
        <translation>이메일로</translation>
    </message>
    <message>
        <source>Customer notices</source>
        <translation>고객 안내</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>메일 서버</translation>
    </message>
    <message>
        <source>Mail login</source>
        <translation>메일 로그인</translation>
    </message>
    <message>
        <source>unchanged (kept in the keyring)</source>
        <translation>변경 없음 (키링에 보관됨)</translation>
    </message>
    <message>
        <source>Mail password</source>
        <translation>메일 비밀번호</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>보내는 사람</translation>
    </message>
    <message>
        <source>Business name</source>
        <translation>상호</translation>
    </message>
    <message>
        <source>Contact for customers</source>
        <translation>고객 문의처</translation>
    </message>
    <message>
        <source>off, or 1 to 14</source>
        <translation>비워 두면 꺼짐 · 1~14일</translation>
    </message>
    <message>
        <source>Advance notice (days before)</source>
        <translation>결제 예정 안내 (며칠 전)</translation>
    </message>
    <message>
        <source>No OS keyring is available, so the key and secret cannot be saved here. Set the environment variables KPADMIN_IMP_KEY and KPADMIN_IMP_SECRET instead.</source>
        <translation>운영체제 키체인을 쓸 수 없어 여기서는 키와 시크릿을 저장할 수 없습니다. 대신 환경 변수 KPADMIN_IMP_KEY와 KPADMIN_IMP_SECRET을 설정하세요.</translation>
    </message>
    <message>
        <source>The OS keyring could not be read.</source>
        <translation>운영체제 키체인을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>set — type to replace</source>
        <translation>설정됨 — 바꾸려면 입력</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>설정 안 됨</translation>
    </message>
    <message>
        <source>set (environment)</source>
        <translation>설정됨 (환경 변수)</translation>
    </message>
    <message>
        <source>set (keyring)</source>
        <translation>설정됨 (키체인)</translation>
    </message>
    <message>
        <source>sandbox default</source>
        <translation>샌드박스 기본값</translation>
    </message>
    <message>
        <source>Switch to LIVE?</source>
        <translation>실거래 모드로 전환할까요?</translation>
    </message>
    <message>
        <source>In LIVE mode charges take real money from real customers&apos; Kakao Pay accounts. LIVE keeps its own subscribers, separate from test and sandbox.

Switch to LIVE?</source>
        <translation>실거래 모드에서는 실제 고객의 카카오페이 계정에서 실제 금액이 결제됩니다. 실거래 모드의 구독자 데이터는 테스트·샌드박스와 따로 보관됩니다.

실거래 모드로 전환할까요?</translation>
    </message>
    <message>
        <source>Switch to LIVE</source>
        <translation>실거래로 전환</translation>
    </message>
    <message>
        <source>Asking i&apos;mport for a token…</source>
        <translation>아임포트에 토큰을 요청하는 중…</translation>
    </message>
    <message>
        <source>Connected: i&apos;mport issued a token for this key and secret.</source>
        <translation>연결 성공: 아임포트가 이 키와 시크릿으로 토큰을 발급했습니다.</translation>
    </message>
    <message>
        <source>Enter the REST API key and secret for {mode} mode first.</source>
        <translation>먼저 {mode} 모드의 REST API 키와 시크릿을 입력하세요.</translation>
    </message>
    <message>
        <source>The built-in sandbox is not running; save and reopen first.</source>
        <translation>내장 샌드박스가 실행 중이 아닙니다. 먼저 저장한 뒤 다시 여세요.</translation>
    </message>
    <message>
        <source>Unexpected problem: {detail}</source>
        <translation>예기치 않은 문제: {detail}</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>설정을 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>SettlementChart</name>
    <message>
        <source>{label}: paid {paid}, refunded {refunded}</source>
        <extracomment>Beyond this many days the chart shows months.</extracomment>
        <translation>{label}: 결제 {paid}, 환불 {refunded}</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>결제 금액</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>환불 금액</translation>
    </message>
    <message>
        <source>No payments in this period</source>
        <translation>이 기간에 결제가 없습니다</translation>
    </message>
</context>
<context>
    <name>SignupDialog</name>
    <message>
        <source>New sign-up</source>
        <extracomment>The new subscriber (`kpadmin.billing.records.Subscriber`) once verified and saved. Any final outcome: (&quot;signed_up&quot; or a FailureReason value, user-facing text). An unfinished attempt was looked up at i&apos;mport (`kpadmin.billing.signup.AttemptLeftovers`). An abandoned attempt was let go (its orphan key deleted or recorded); carries the attempt.</extracomment>
        <translation>신규 가입</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s details. The customer then approves in Kakao Pay; nothing is saved until i&apos;mport confirms the card.</source>
        <translation>고객 정보를 입력하세요. 고객이 카카오페이에서 승인하고, 아임포트가 카드를 확인한 뒤에만 저장됩니다.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Open Kakao Pay</source>
        <translation>카카오페이 열기</translation>
    </message>
    <message>
        <source>Show on second screen</source>
        <translation>보조 화면에 표시</translation>
    </message>
    <message>
        <source>Cancel sign-up</source>
        <translation>가입 취소</translation>
    </message>
    <message>
        <source>Save subscriber</source>
        <translation>구독자 저장</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>다시 확인</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Connecting to i&apos;mport… The window opens once the connection is up.</source>
        <translation>아임포트에 연결하는 중… 연결되면 결제창을 열 수 있습니다.</translation>
    </message>
    <message>
        <source>Checking with i&apos;mport that nothing was taken…</source>
        <translation>아임포트에서 결제된 금액이 없는지 확인하는 중…</translation>
    </message>
    <message>
        <source>Kakao Pay says: {reason}</source>
        <translation>카카오페이 응답: {reason}</translation>
    </message>
    <message>
        <source>Payment to look at: {imp_uid}</source>
        <translation>확인이 필요한 결제: {imp_uid}</translation>
    </message>
    <message>
        <source>i&apos;mport confirms that nothing was taken.</source>
        <translation>아임포트 확인 결과 결제된 금액은 없습니다.</translation>
    </message>
    <message>
        <source>The customer approved after all</source>
        <translation>고객이 결국 승인했습니다</translation>
    </message>
    <message>
        <source>The window ended without a sign-up, but the approval reached i&apos;mport.</source>
        <translation>결제창은 가입 없이 끝났지만, 승인은 아임포트에 도달했습니다.</translation>
    </message>
    <message>
        <source>i&apos;mport confirms the card and the first payment. Save the subscriber, or refund the payment; leaving without saving removes the card.</source>
        <translation>아임포트에서 카드와 첫 결제가 확인되었습니다. 구독자를 저장하거나 결제를 환불하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation>
    </message>
    <message>
        <source>i&apos;mport confirms the card. Save the subscriber; leaving without saving removes the card.</source>
        <translation>아임포트에서 카드가 확인되었습니다. 구독자를 저장하세요. 저장하지 않고 나가면 카드 등록이 삭제됩니다.</translation>
    </message>
    <message>
        <source>The card was registered; it is deleted when you leave this attempt.</source>
        <translation>카드가 등록되었습니다. 이 시도를 떠나면 카드 등록이 삭제됩니다.</translation>
    </message>
    <message>
        <source>Not connected to i&apos;mport: {reason}</source>
        <translation>아임포트에 연결되지 않았습니다: {reason}</translation>
    </message>
    <message>
        <source>Set the merchant code (imp_code) in Settings first.</source>
        <translation>먼저 설정에서 가맹점 식별코드(imp_code)를 입력하세요.</translation>
    </message>
    <message>
        <source>Only one screen is connected; connect a screen facing the customer.</source>
        <translation>화면이 하나뿐입니다. 고객용 화면을 연결하세요.</translation>
    </message>
    <message>
        <source>Kakao Pay</source>
        <translation>카카오페이</translation>
    </message>
    <message>
        <source>Opening the Kakao Pay window…</source>
        <translation>카카오페이 결제창을 여는 중…</translation>
    </message>
    <message>
        <source>Waiting for the customer to approve in Kakao Pay…</source>
        <translation>고객의 카카오페이 승인을 기다리는 중…</translation>
    </message>
    <message>
        <source>Checking with i&apos;mport…</source>
        <translation>아임포트에서 확인하는 중…</translation>
    </message>
    <message>
        <source>The Kakao Pay window could not be loaded.</source>
        <translation>카카오페이 결제창을 불러오지 못했습니다.</translation>
    </message>
    <message>
        <source> (first payment now)</source>
        <translation> (첫 결제 포함)</translation>
    </message>
    <message>
        <source> (card only, ₩0 now)</source>
        <translation> (카드 등록만, 지금 ₩0)</translation>
    </message>
    <message>
        <source>Confirm: refund {amount}</source>
        <translation>확인: {amount} 환불</translation>
    </message>
    <message>
        <source>The refund was not confirmed: {problem}</source>
        <translation>환불이 확인되지 않았습니다: {problem}</translation>
    </message>
    <message>
        <source>Refunded {amount}.</source>
        <translation>{amount} 환불 완료.</translation>
    </message>
    <message>
        <source>Waiting for the customer to approve in Kakao Pay (QR code or phone).</source>
        <translation>고객이 카카오페이에서 승인하기를 기다리고 있습니다 (QR 코드 또는 휴대폰).</translation>
    </message>
    <message>
        <source>First payment of {amount} received.</source>
        <translation>첫 결제 {amount} 완료.</translation>
    </message>
    <message>
        <source>Card registered; nothing was charged yet.</source>
        <translation>카드가 등록되었습니다. 아직 결제된 금액은 없습니다.</translation>
    </message>
    <message>
        <source>Next charge: {date} ({amount})</source>
        <translation>다음 결제일: {date} ({amount})</translation>
    </message>
    <message>
        <source>{name} is signed up</source>
        <translation>{name} 님 가입 완료</translation>
    </message>
    <message>
        <source>Card: {card}</source>
        <translation>카드: {card}</translation>
    </message>
    <message>
        <source>Sign-up cancelled</source>
        <translation>가입이 취소되었습니다</translation>
    </message>
    <message>
        <source>Kakao Pay declined</source>
        <translation>카카오페이 결제 거절</translation>
    </message>
    <message>
        <source>The request timed out</source>
        <translation>요청 시간이 초과되었습니다</translation>
    </message>
    <message>
        <source>Not verified</source>
        <translation>확인되지 않음</translation>
    </message>
    <message>
        <source>Could not verify</source>
        <translation>확인할 수 없음</translation>
    </message>
    <message>
        <source>i&apos;mport could not be asked whether the customer approved meanwhile (order {order}). Check again before starting over.</source>
        <translation>그 사이 고객이 승인했는지 아임포트에 확인하지 못했습니다 (주문 {order}). 다시 시작하기 전에 다시 확인하세요.</translation>
    </message>
    <message>
        <source>Refund {amount} now</source>
        <translation>지금 {amount} 환불</translation>
    </message>
    <message>
        <source>{amount} was taken (imp_uid {imp_uid}) and no subscriber was saved.</source>
        <translation>{amount}이 결제되었지만 (imp_uid {imp_uid}) 구독자는 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>Sign-up not completed</source>
        <translation>가입이 완료되지 않았습니다</translation>
    </message>
    <message>
        <source>Refund it in the i&apos;mport console; the audit log has the details.</source>
        <translation>아임포트 관리자 콘솔에서 환불하세요. 자세한 내용은 작업 기록에 있습니다.</translation>
    </message>
</context>
<context>
    <name>SignupFormWidget</name>
    <message>
        <source>e.g. 김하늘</source>
        <translation>예: 김하늘</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>선택</translation>
    </message>
    <message>
        <source>e.g. 프리미엄 월 구독</source>
        <translation>예: 프리미엄 월 구독</translation>
    </message>
    <message>
        <source>choose or type a plan</source>
        <translation>상품을 고르거나 입력</translation>
    </message>
    <message>
        <source> of each month</source>
        <translation>일 (매월)</translation>
    </message>
    <message>
        <source>Take the first payment now</source>
        <translation>첫 결제를 지금 받기</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>방문</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>휴대폰</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <source>Monthly amount (₩)</source>
        <translation>월 금액 (₩)</translation>
    </message>
    <message>
        <source>Billing day</source>
        <translation>결제일</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>가입 경로</translation>
    </message>
    <message>
        <source>The customer pays {amount} now; the next charge is next month.</source>
        <translation>고객이 지금 {amount}을 결제하고, 다음 결제는 다음 달입니다.</translation>
    </message>
    <message>
        <source>The customer pays the first month now.</source>
        <translation>고객이 첫 달 요금을 지금 결제합니다.</translation>
    </message>
    <message>
        <source>Only the card is registered now (₩0); the first charge is on the billing day.</source>
        <translation>지금은 카드만 등록합니다 (₩0). 첫 결제는 결제일에 이루어집니다.</translation>
    </message>
</context>
</TS>
