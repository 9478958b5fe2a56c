<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="38"/>
        <source>i&apos;mport refused the REST API key or secret. Check them in Settings.</source>
        <translation>아임포트가 REST API 키 또는 시크릿을 거부했습니다. 설정에서 확인하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="40"/>
        <source>Could not reach i&apos;mport (network or address). Nothing was sent; try again.</source>
        <translation>아임포트에 연결하지 못했습니다(네트워크 또는 주소). 아무것도 전송되지 않았으니 다시 시도하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="43"/>
        <source>The answer from i&apos;mport was lost, so the outcome is not known. Reconcile before retrying.</source>
        <translation>아임포트의 응답이 유실되어 결과를 알 수 없습니다. 다시 시도하기 전에 대사(조회)를 실행하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="47"/>
        <source>i&apos;mport does not know it: {detail}</source>
        <translation>아임포트에 없는 항목입니다: {detail}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="49"/>
        <source>Declined: {detail}</source>
        <translation>승인 거절: {detail}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="51"/>
        <source>i&apos;mport refused the request: {detail}</source>
        <translation>아임포트가 요청을 거부했습니다: {detail}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/aio.py" line="53"/>
        <source>i&apos;mport error: {detail}</source>
        <translation>아임포트 오류: {detail}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/backend.py" line="154"/>
        <source>Still connecting to i&apos;mport; try again in a moment.</source>
        <translation>아임포트에 연결하는 중입니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/backend.py" line="156"/>
        <source>Not connected to i&apos;mport: {reason}</source>
        <translation>아임포트에 연결되지 않았습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/backend.py" line="157"/>
        <source>unknown reason</source>
        <translation>알 수 없는 이유</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="40"/>
        <location filename="../../kpadmin/gui/formatting.py" line="105"/>
        <source>CSV import</source>
        <translation>CSV 가져오기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="45"/>
        <source>Imported: {added} added, {updated} updated, {unchanged} unchanged.</source>
        <translation>가져오기 완료: {added}건 추가, {updated}건 변경, {unchanged}건 그대로.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="53"/>
        <source>Nothing was imported: {bad} of {rows} rows have problems. Fix the file, or import only the good rows.</source>
        <translation>아무것도 가져오지 않았습니다: {rows}행 중 {bad}행에 문제가 있습니다. 파일을 고치거나 문제없는 행만 가져오세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="60"/>
        <source>{n} bad rows were skipped:</source>
        <translation>문제가 있는 {n}행은 건너뛰었습니다:</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="69"/>
        <source>Ignored columns: {cols}</source>
        <translation>무시한 열: {cols}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="76"/>
        <source>Import the {n} good rows</source>
        <translation>문제없는 {n}행 가져오기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="87"/>
        <source>line {line}{uid}: {message}</source>
        <translation>{line}행{uid}: {message}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="95"/>
        <source>Import subscribers</source>
        <translation>구독자 가져오기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="95"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 파일 (*.csv);;모든 파일 (*)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="102"/>
        <source>Cannot read {path}: {why}</source>
        <translation>{path} 파일을 읽을 수 없습니다: {why}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="114"/>
        <source>Checking the billing keys with i&apos;mport…</source>
        <translation>아임포트에서 빌링키를 확인하는 중…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="130"/>
        <source>CSV import: {added} added, {updated} updated, {unchanged} unchanged.</source>
        <translation>CSV 가져오기: {added}건 추가, {updated}건 변경, {unchanged}건 그대로.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="105"/>
        <location filename="../../kpadmin/gui/csv_actions.py" line="145"/>
        <source>The file cannot be imported: {why}</source>
        <translation>이 파일은 가져올 수 없습니다: {why}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="156"/>
        <source>Subscribers (*.csv)</source>
        <translation>구독자 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="157"/>
        <source>Charges (*.csv)</source>
        <translation>결제 내역 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="160"/>
        <source>Export CSV</source>
        <translation>CSV 내보내기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="172"/>
        <source>Cannot write {path}: {why}</source>
        <translation>{path} 파일에 쓸 수 없습니다: {why}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/csv_actions.py" line="175"/>
        <source>Exported {n} rows to {path}.</source>
        <translation>{n}행을 {path}(으)로 내보냈습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="540"/>
        <source>Not opening a receipt address that is not a web page: {url}</source>
        <translation>웹 페이지가 아닌 영수증 주소는 열지 않습니다: {url}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="37"/>
        <source>Enter a name.</source>
        <translation>이름을 입력하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="39"/>
        <source>The name is limited to 60 characters.</source>
        <translation>이름은 60자까지 입력할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="42"/>
        <source>Enter a Korean phone number, e.g. 010-1234-5678.</source>
        <translation>국내 전화번호를 입력하세요. 예: 010-1234-5678</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="44"/>
        <source>The e-mail address does not look right.</source>
        <translation>이메일 주소 형식이 올바르지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="46"/>
        <source>The amount must be between ₩1 and ₩10,000,000.</source>
        <translation>금액은 ₩1 이상 ₩10,000,000 이하여야 합니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="48"/>
        <source>The billing day must be between 1 and 31.</source>
        <translation>결제일은 1일부터 31일 사이여야 합니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="81"/>
        <source>Active</source>
        <translation>이용 중</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="13"/>
        <location filename="../../kpadmin/gui/formatting.py" line="82"/>
        <source>Paused</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="83"/>
        <source>Cancelled</source>
        <translation>해지</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="84"/>
        <source>Key missing</source>
        <translation>빌링키 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="92"/>
        <source>Planned</source>
        <translation>예정</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="44"/>
        <location filename="../../kpadmin/gui/formatting.py" line="93"/>
        <source>Sending</source>
        <translation>전송 중</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="39"/>
        <location filename="../../kpadmin/gui/formatting.py" line="94"/>
        <source>Paid</source>
        <translation>결제 완료</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="14"/>
        <source>Subscription cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="15"/>
        <source>Billing key missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="16"/>
        <source>Not due yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="17"/>
        <source>Already paid for this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="18"/>
        <source>Earlier charge in doubt (reconcile first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="19"/>
        <source>Monthly cap reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="20"/>
        <source>No such subscriber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="21"/>
        <source>Declined earlier in this run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="22"/>
        <source>Changed since the confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="32"/>
        <source>Sign the customer up again to get a new billing key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="40"/>
        <location filename="../../kpadmin/gui/formatting.py" line="95"/>
        <source>Declined</source>
        <translation>승인 거절</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="41"/>
        <location filename="../../kpadmin/gui/formatting.py" line="96"/>
        <source>Rejected</source>
        <translation>요청 거부</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="42"/>
        <source>Outcome unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="43"/>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/texts.py" line="51"/>
        <source>{n} payment(s) were charged for another amount than was asked. They are recorded as paid; check each one at i&apos;mport (the subscriber&apos;s history shows both amounts).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="97"/>
        <source>Unknown</source>
        <translation>결과 미확인</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="103"/>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="91"/>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="104"/>
        <source>In person</source>
        <translation>방문</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="110"/>
        <source>SANDBOX</source>
        <translation>샌드박스</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="110"/>
        <source>TEST</source>
        <translation>테스트</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/formatting.py" line="110"/>
        <source>LIVE</source>
        <translation>실거래</translation>
    </message>
    <message>
        <source>₩{n}M</source>
        <translation type="vanished">₩{n}M</translation>
    </message>
    <message>
        <source>₩{n}K</source>
        <translation type="vanished">₩{n}K</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="90"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="92"/>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="93"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="94"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="95"/>
        <source>Card</source>
        <translation>카드</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="96"/>
        <source>Last charge</source>
        <translation>최근 결제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="97"/>
        <source>Next charge</source>
        <translation>다음 결제일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="98"/>
        <source>This month</source>
        <translation>이번 달</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="325"/>
        <source>The outcome of the last charge is not known yet. Reconcile before charging again.</source>
        <translation>최근 결제의 결과를 아직 알 수 없습니다. 다시 결제하기 전에 대사(조회)를 실행하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="328"/>
        <source>Paid charges this month against the monthly cap per billing key</source>
        <translation>이번 달 결제 완료 건수 / 빌링키당 월 한도</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/subscriber_model.py" line="330"/>
        <source>Masked; the full number is in the detail pane</source>
        <translation>일부 가림 처리됨. 전체 번호는 상세 화면에서 볼 수 있습니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="123"/>
        <source>A charge batch is still running.</source>
        <extracomment>Rows re-read per tick (~0.3 ms each: SQL + model), so no tick blocks the loop for long. The overview aggregates over the whole journal: refreshed at most this often mid-batch. A confirmation dialog was opened (tests and the self-test accept it programmatically).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="132"/>
        <source>A charge batch is running. Wait for it to finish, or stop it, first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="134"/>
        <source>A charge is being prepared; finish or close its confirmation first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="136"/>
        <source>Reconciling; try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="141"/>
        <source>A charge batch is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="160"/>
        <source>Select the subscribers to charge first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="207"/>
        <source>{name} is not charged: {why} — {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="284"/>
        <source>Stopping the batch: no new charges are sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="357"/>
        <source>Batch finished: {paid} paid ({amount}), {failed} not paid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="361"/>
        <source>Batch stopped: {paid} paid ({amount}), {failed} not paid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="402"/>
        <source>Reconciling: looking up charges whose outcome is unknown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="410"/>
        <source>Reconcile: nothing is in doubt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="413"/>
        <source>Reconcile: {checked} looked up — {paid} paid, {declined} declined, {resend} never reached i&apos;mport (sent again next time), {unknown} still unknown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="448"/>
        <source>{name} has no paid charge left to refund.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="451"/>
        <source>That charge cannot be refunded (not paid, or refunded already).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/controller.py" line="470"/>
        <source>Refunding {amount}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="319"/>
        <source>That charge no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="326"/>
        <source>The refundable balance changed to {balance} meanwhile; nothing was refunded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="345"/>
        <source>i&apos;mport refused the refund: {why} Nothing was refunded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="348"/>
        <source>i&apos;mport&apos;s refundable balance differs from ours (was it refunded elsewhere?). Check the payment at i&apos;mport before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="366"/>
        <source>The answer from i&apos;mport was lost and the payment could not be looked up. Check it at i&apos;mport before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="386"/>
        <source>i&apos;mport shows no new refund for this payment; nothing more was recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="391"/>
        <source>Refunded {amount} ({total} of {paid} refunded in total).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="708"/>
        <source>%1 was taken (imp_uid %2) and no subscriber was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="718"/>
        <source>Sign-up not completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="721"/>
        <source>Refund it in the i&apos;mport console; the audit log has the details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="35"/>
        <source>details unknown</source>
        <translation>자세한 내용은 알 수 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="36"/>
        <source>{n} subscriber(s)</source>
        <translation>구독자 {n}명</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="38"/>
        <source>{subscribers}, no charge batch yet</source>
        <translation>{subscribers}, 일괄 결제 기록 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="40"/>
        <source>{subscribers}, last batch {batch} on {when}</source>
        <translation>{subscribers}, 마지막 일괄 결제 {batch}({when})</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="50"/>
        <source>This data folder had a database ({facts}); {path} is empty (0 bytes).</source>
        <translation>이 데이터 폴더에는 데이터베이스가 있었습니다({facts}). 그런데 {path} 파일이 비어 있습니다(0바이트).</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="52"/>
        <source>This data folder had a database ({facts}); {path} is missing.</source>
        <translation>이 데이터 폴더에는 데이터베이스가 있었습니다({facts}). 그런데 {path} 파일이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="56"/>
        <source>The database {path} was written by a newer kpadmin (schema version {found}; this kpadmin knows up to {known}).</source>
        <translation>데이터베이스 {path}는 더 새로운 kpadmin이 저장한 것입니다(스키마 버전 {found}, 이 kpadmin은 {known}까지 지원).</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="60"/>
        <source>The database {path} is damaged ({detail}).</source>
        <translation>데이터베이스 {path}가 손상되었습니다({detail}).</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="63"/>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="64"/>
        <source>the disk or folder is read-only</source>
        <translation>디스크나 폴더가 읽기 전용입니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="65"/>
        <source>the disk reported an error</source>
        <translation>디스크에서 오류가 발생했습니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="66"/>
        <source>Cannot write {path}: {what}.</source>
        <translation>{path}에 쓸 수 없습니다: {what}.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="74"/>
        <source>Nothing was changed. Restore it: quit kpadmin, copy your backup of the file back to that place, and start kpadmin again. Or start with an empty database on purpose.</source>
        <translation>아무것도 바뀌지 않았습니다. 복원하려면 kpadmin을 종료하고, 백업해 둔 파일을 그 위치에 다시 복사한 뒤 kpadmin을 다시 시작하세요. 또는 의도적으로 빈 데이터베이스로 시작할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="78"/>
        <source>Nothing was changed. Update kpadmin to open it.</source>
        <translation>아무것도 바뀌지 않았습니다. 이 파일을 열려면 kpadmin을 업데이트하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="81"/>
        <source>Nothing was changed. Quit kpadmin and restore the file from a backup; or move the damaged file aside (keep it for support): the next start then offers an empty database.</source>
        <translation>아무것도 바뀌지 않았습니다. kpadmin을 종료하고 백업에서 파일을 복원하세요. 또는 손상된 파일을 다른 곳으로 옮겨 두면(지원 요청용으로 보관하세요) 다음 시작 때 빈 데이터베이스로 시작할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="86"/>
        <source>Free some space on that disk (or make the folder writable), then try again.</source>
        <translation>그 디스크의 공간을 확보하거나 폴더에 쓸 수 있게 한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="99"/>
        <source>{problem} No more charges were sent. Charges whose outcome could not be recorded stay in doubt: they are looked up at i&apos;mport before anyone is charged again.</source>
        <translation>{problem} 더 이상 결제를 보내지 않았습니다. 결과를 기록하지 못한 결제는 확인 필요 상태로 남으며, 누구든 다시 결제하기 전에 아임포트에서 먼저 조회합니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="117"/>
        <source>kpadmin: the database</source>
        <translation>kpadmin: 데이터베이스</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="119"/>
        <location filename="../../kpadmin/gui/settings_problem.py" line="65"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="123"/>
        <source>Start with an empty database…</source>
        <translation>빈 데이터베이스로 시작…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="132"/>
        <source>Start with an empty database?</source>
        <translation>빈 데이터베이스로 시작할까요?</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="134"/>
        <source>The new database will not have the {facts} of the missing one, nor its payment history. If you have a backup, choose Cancel, quit, and restore it instead.

Start with an empty database?</source>
        <translation>새 데이터베이스에는 사라진 데이터베이스의 내용({facts})도, 결제 기록도 없습니다. 백업이 있다면 취소를 누르고 종료한 뒤 백업을 복원하세요.

빈 데이터베이스로 시작할까요?</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="140"/>
        <source>Start empty</source>
        <translation>빈 데이터베이스로 시작</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/database_problem.py" line="141"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="34"/>
        <source>The settings file cannot be read.</source>
        <translation>설정 파일을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="36"/>
        <source>The settings file holds a value kpadmin refuses.</source>
        <translation>설정 파일에 kpadmin이 받아들일 수 없는 값이 있습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="44"/>
        <source>kpadmin can keep this file aside as {name}.broken-&lt;time&gt; (nothing is deleted) and start with the default settings: SANDBOX mode, the built-in simulator.</source>
        <translation>kpadmin은 이 파일을 {name}.broken-&lt;시각&gt; 이름으로 따로 보관하고(아무것도 지우지 않습니다) 기본 설정으로 시작할 수 있습니다: SANDBOX 모드, 내장 시뮬레이터.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="52"/>
        <source>This file says or may have said {mode} mode. The defaults are SANDBOX: check the settings, then switch to {mode} again yourself.</source>
        <translation>이 파일은 {mode} 모드였거나 그랬을 수 있습니다. 기본값은 SANDBOX입니다: 설정을 확인한 뒤 직접 {mode} 모드로 다시 바꾸세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="58"/>
        <source>Use the defaults (SANDBOX)</source>
        <translation>기본 설정 사용 (SANDBOX)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="62"/>
        <source>The settings cannot be used.</source>
        <translation>설정을 사용할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_problem.py" line="92"/>
        <source>The default settings could not be written: {error}</source>
        <translation>기본 설정을 저장하지 못했습니다: {error}</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="72"/>
        <source>Charging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="80"/>
        <location filename="../../kpadmin/gui/charging/progress.py" line="157"/>
        <source>Looking up charges in doubt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="88"/>
        <source>{n} subscriber(s), {total} in total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="103"/>
        <source>Paid</source>
        <translation>결제 완료</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="104"/>
        <source>Declined</source>
        <translation>승인 거절</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="105"/>
        <source>Outcome unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="106"/>
        <source>In flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="110"/>
        <location filename="../../kpadmin/gui/charging/progress.py" line="217"/>
        <source>Collected {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="114"/>
        <source>Not paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="120"/>
        <source>Subscriber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="120"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="120"/>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="120"/>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="137"/>
        <source>Stop sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="140"/>
        <source>No new charges are sent; those in flight finish and are recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="143"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="160"/>
        <source>Charging… {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="199"/>
        <source>Stopping: no new charges; waiting for those in flight…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="233"/>
        <source>Stopped: the journal could not be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="235"/>
        <source>Stopped: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="238"/>
        <source>Stopped by you: {done} of {total} sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="243"/>
        <source>Nothing was charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="245"/>
        <source>Done: all {n} paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="248"/>
        <source>Done: {paid} paid, {failed} not paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="261"/>
        <source>Skipped: not sent to i&apos;mport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="264"/>
        <source>Not paid, and skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="271"/>
        <source>{n} outcome(s) unknown: they are blocked until Reconcile settles them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="276"/>
        <source>{n} never reached i&apos;mport; the next batch sends them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/progress.py" line="296"/>
        <source>The batch stopped: {why}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="56"/>
        <location filename="../../kpadmin/gui/detail_pane.py" line="81"/>
        <source>Cancel subscription</source>
        <translation>구독 해지</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="62"/>
        <source>Cancel the subscription of {name}? No further charges will be made. Past payments are not refunded.</source>
        <translation>{name} 님의 구독을 해지할까요? 이후 결제는 더 이상 진행되지 않으며, 지난 결제는 환불되지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="68"/>
        <source>Also delete the billing key at i&apos;mport</source>
        <translation>아임포트의 빌링키도 삭제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="71"/>
        <source>Deleting the key cannot be undone: the customer would have to sign up again.</source>
        <translation>빌링키 삭제는 되돌릴 수 없습니다. 고객이 다시 가입해야 합니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="77"/>
        <source>Reason (kept in the audit log)</source>
        <translation>사유 (감사 기록에 남습니다)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="83"/>
        <source>Keep it</source>
        <translation>유지</translation>
    </message>
</context>
<context>
    <name>ConfirmChargeDialog</name>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="49"/>
        <source>Confirm charge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="70"/>
        <source>Charge {n} subscriber(s) now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="72"/>
        <source>{total} in total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="74"/>
        <source>Nobody can be charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="81"/>
        <source>{n} of them before their next charge date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="85"/>
        <source>Each charge goes to the customer&apos;s Kakao Pay billing key once; you can stop the batch, but charges already sent cannot be recalled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="99"/>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="115"/>
        <source>Subscriber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="99"/>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="99"/>
        <source>Period</source>
        <translation>기간</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="99"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="115"/>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="115"/>
        <source>Detail</source>
        <translation>내용</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="121"/>
        <source>Skipped {n}: {counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="142"/>
        <source>Charge {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/confirm.py" line="147"/>
        <source>Don&apos;t charge</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="105"/>
        <source>Select a subscriber to see their details.</source>
        <translation>구독자를 선택하면 상세 정보가 표시됩니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="137"/>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="138"/>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="139"/>
        <source>Customer UID</source>
        <translation>고객 UID</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="140"/>
        <source>Billing</source>
        <translation>결제 주기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="141"/>
        <source>Signed up</source>
        <translation>가입</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="144"/>
        <source>Card and billing key</source>
        <translation>카드와 빌링키</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="151"/>
        <source>Re-check with i&apos;mport</source>
        <translation>아임포트에서 다시 확인</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="170"/>
        <source>Charge now</source>
        <translation>지금 결제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="172"/>
        <source>Refund…</source>
        <translation>환불…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="173"/>
        <location filename="../../kpadmin/gui/detail_pane.py" line="386"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="174"/>
        <source>Cancel subscription…</source>
        <translation>구독 해지…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="175"/>
        <source>Edit…</source>
        <translation>수정…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="197"/>
        <source>Date</source>
        <translation>일시</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="198"/>
        <source>Period</source>
        <translation>기간</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="199"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="200"/>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="201"/>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="202"/>
        <source>Receipt</source>
        <translation>영수증</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="214"/>
        <source>When</source>
        <translation>일시</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="214"/>
        <source>Staff</source>
        <translation>담당자</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="214"/>
        <source>Action</source>
        <translation>작업</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="214"/>
        <source>Detail</source>
        <translation>내용</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="219"/>
        <source>Charges</source>
        <translation>결제 내역</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="220"/>
        <source>Audit log</source>
        <translation>감사 기록</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="256"/>
        <source>Cancelled — no further charges</source>
        <translation>해지됨 — 이후 결제 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="259"/>
        <source>Day {day} of each month · next {date}</source>
        <translation>매월 {day}일 · 다음 결제 {date}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="267"/>
        <source>No card details reported</source>
        <translation>카드 정보 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="270"/>
        <source>Memo: {memo}</source>
        <translation>메모: {memo}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="278"/>
        <source>Billing key missing at i&apos;mport: cannot be charged.</source>
        <translation>아임포트에 빌링키가 없어 결제할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="281"/>
        <source>Billing key on file (not checked this session).</source>
        <translation>빌링키 등록됨 (이번 세션에서는 확인하지 않음).</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="304"/>
        <source>(refunded {amount})</source>
        <translation>({amount} 환불)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="293"/>
        <source>{paid} ({asked} asked)</source>
        <translation>{paid} (요청 {asked})</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="297"/>
        <source>{period}: {paid} charged for {asked}</source>
        <translation>{period}: {asked} 요청, {paid} 결제됨</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="337"/>
        <source>Amount mismatch: {details}. The payment is recorded as paid; check it at i&apos;mport.</source>
        <translation>금액 불일치: {details}. 결제는 완료로 기록되었습니다. 아임포트에서 확인하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="314"/>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="323"/>
        <source>Open the receipt in the browser</source>
        <translation>브라우저에서 영수증 열기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="344"/>
        <source>No charges yet</source>
        <translation>결제 내역 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="365"/>
        <source>Charging is not available in this build yet.</source>
        <translation>이 버전에서는 아직 결제 기능을 쓸 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="368"/>
        <source>A charge is in flight or its outcome is unknown: reconcile first.</source>
        <translation>진행 중이거나 결과를 알 수 없는 결제가 있습니다. 먼저 대사(조회)를 실행하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="371"/>
        <source>Only active subscribers can be charged.</source>
        <translation>이용 중인 구독자만 결제할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="383"/>
        <source>Refunds are not available in this build yet.</source>
        <translation>이 버전에서는 아직 환불 기능을 쓸 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="386"/>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="426"/>
        <source>{name}: subscription resumed.</source>
        <translation>{name}: 구독을 재개했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="429"/>
        <source>{name}: subscription paused.</source>
        <translation>{name}: 구독을 일시 정지했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="447"/>
        <source>cancelled by staff</source>
        <translation>담당자 해지</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="452"/>
        <source>{name}: subscription cancelled.</source>
        <translation>{name}: 구독을 해지했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="462"/>
        <source>{name}: subscription cancelled and billing key deleted.</source>
        <translation>{name}: 구독을 해지하고 빌링키를 삭제했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="472"/>
        <source>{name}: subscription cancelled, but the billing key was not deleted: {detail}</source>
        <translation>{name}: 구독은 해지했지만 빌링키는 삭제하지 못했습니다: {detail}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="484"/>
        <source>Checking with i&apos;mport…</source>
        <translation>아임포트에서 확인하는 중…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="506"/>
        <source>Billing key present at i&apos;mport (checked {when}).</source>
        <translation>아임포트에 빌링키가 있습니다 ({when} 확인).</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="517"/>
        <source>i&apos;mport has no billing key for this customer: marked key missing.</source>
        <translation>아임포트에 이 고객의 빌링키가 없습니다. &apos;빌링키 없음&apos;으로 표시했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/detail_pane.py" line="521"/>
        <source>The check failed unexpectedly.</source>
        <translation>확인 중 예기치 않은 문제가 생겼습니다.</translation>
    </message>
</context>
<context>
    <name>EditSubscriberDialog</name>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="56"/>
        <source>Edit {name}</source>
        <translation>{name} 수정</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="81"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="82"/>
        <source>Phone</source>
        <translation>전화</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="83"/>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="84"/>
        <source>Plan</source>
        <translation>상품</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="85"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="86"/>
        <source>Billing day</source>
        <translation>결제일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="87"/>
        <source>Next charge</source>
        <translation>다음 결제일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/edit_dialog.py" line="88"/>
        <source>Memo</source>
        <translation>메모</translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <location filename="../../kpadmin/gui/crash.py" line="84"/>
        <source>Unexpected error</source>
        <translation>예기치 않은 오류</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/crash.py" line="89"/>
        <source>Something unexpected went wrong. Your data is safe: charges are recorded before they are sent. You can keep working; if this happens again, send the details below to support.</source>
        <translation>예기치 않은 문제가 발생했습니다. 결제는 전송 전에 먼저 기록되므로 데이터는 안전합니다. 계속 작업하셔도 되며, 같은 문제가 다시 생기면 아래 내용을 지원팀에 보내 주세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/crash.py" line="102"/>
        <source>Copy details</source>
        <translation>내용 복사</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="76"/>
        <source>kpadmin — Kakao Pay subscriptions</source>
        <translation>kpadmin — 카카오페이 정기결제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="127"/>
        <source>New sign-up</source>
        <translation>신규 가입</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="130"/>
        <source>Sign a customer up in the Kakao Pay window (phone or in person)</source>
        <translation>카카오페이 결제창으로 고객을 가입시킵니다 (전화 또는 방문)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="133"/>
        <source>Charge selected</source>
        <translation>선택 결제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="136"/>
        <source>Charge the selected subscribers now</source>
        <translation>선택한 구독자를 지금 결제합니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="139"/>
        <source>Charge all due</source>
        <translation>결제일 도래분 일괄 결제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="142"/>
        <source>Charge every subscriber whose charge date has come</source>
        <translation>결제일이 된 모든 구독자를 결제합니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="145"/>
        <source>Reconcile</source>
        <translation>대사(조회)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="148"/>
        <source>Look up charges whose outcome is unknown</source>
        <translation>결과를 알 수 없는 결제를 아임포트에서 조회합니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="151"/>
        <source>Import CSV…</source>
        <translation>CSV 가져오기…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="151"/>
        <source>Import subscribers</source>
        <translation>구독자 가져오기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="154"/>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="157"/>
        <source>Export subscribers or charges</source>
        <translation>구독자 또는 결제 내역을 내보냅니다</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="160"/>
        <source>Settings…</source>
        <translation>설정…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="160"/>
        <source>Mode, keys, limits</source>
        <translation>모드, 키, 한도</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="164"/>
        <source>Find</source>
        <translation>찾기</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="167"/>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="169"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="171"/>
        <source>About kpadmin</source>
        <translation>kpadmin 정보</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="174"/>
        <source>Charging is not available in this build yet.</source>
        <translation>이 버전에서는 아직 결제 기능을 쓸 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="194"/>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="200"/>
        <source>&amp;Subscribers</source>
        <translation>구독자(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="202"/>
        <source>&amp;Charging</source>
        <translation>결제(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="204"/>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="217"/>
        <source>Actions</source>
        <translation>작업</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="252"/>
        <source>Search name, phone or customer UID</source>
        <translation>이름, 전화번호, 고객 UID로 검색</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="263"/>
        <source>All states</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="267"/>
        <source>Due today</source>
        <translation>오늘 결제 예정</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="268"/>
        <source>Last charge failed</source>
        <translation>최근 결제 실패</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="269"/>
        <source>Unknown outcome</source>
        <translation>결과 미확인</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="350"/>
        <source>Staff: {name}</source>
        <translation>담당자: {name}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="437"/>
        <source>{n} subscribers selected</source>
        <translation>구독자 {n}명 선택됨</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="439"/>
        <source>Select a subscriber to see their details.</source>
        <translation>구독자를 선택하면 상세 정보가 표시됩니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="445"/>
        <source>{shown} of {total} subscribers</source>
        <translation>구독자 {total}명 중 {shown}명</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="447"/>
        <source>{total} subscribers</source>
        <translation>구독자 {total}명</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="451"/>
        <source>{n} selected</source>
        <translation>{n}명 선택</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="475"/>
        <source>Copy customer UID</source>
        <translation>고객 UID 복사</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="526"/>
        <source>Sign-up is not available in this build yet.</source>
        <translation>이 버전에서는 아직 신규 가입을 할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="541"/>
        <source>{name} is signed up.</source>
        <translation>{name} 님의 가입이 완료되었습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="582"/>
        <source>{name}: changes saved.</source>
        <translation>{name}: 변경 내용을 저장했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="611"/>
        <source>kpadmin {version} — data in {path}</source>
        <translation>kpadmin {version} — 데이터 위치: {path}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="633"/>
        <source>built-in sandbox</source>
        <translation>내장 샌드박스</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="634"/>
        <source>Connected: {where}</source>
        <translation>연결됨: {where}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="637"/>
        <source>Connecting to i&apos;mport…</source>
        <translation>아임포트에 연결하는 중…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="639"/>
        <source>Not connected</source>
        <translation>연결 안 됨</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="642"/>
        <source>Not connected to i&apos;mport: {reason}</source>
        <translation>아임포트에 연결되지 않았습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/main_window.py" line="680"/>
        <source>Stopping the batch: kpadmin closes once charges in flight are recorded.</source>
        <translation>일괄 결제를 멈추는 중입니다. 진행 중인 결제가 기록되면 kpadmin이 종료됩니다.</translation>
    </message>
</context>
<context>
    <name>ModeBanner</name>
    <message>
        <location filename="../../kpadmin/gui/mode_banner.py" line="51"/>
        <source>Training mode: the built-in i&apos;mport simulator. No real money moves.</source>
        <translation>교육용 모드: 내장 아임포트 시뮬레이터를 사용합니다. 실제 돈은 오가지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/mode_banner.py" line="53"/>
        <source>Test channel at i&apos;mport: test payments only, separate data.</source>
        <translation>아임포트 테스트 채널: 테스트 결제만 이루어지며 데이터는 따로 보관됩니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/mode_banner.py" line="54"/>
        <source>Charges take real money from real customers.</source>
        <translation>실제 고객에게서 실제 금액이 결제됩니다.</translation>
    </message>
</context>
<context>
    <name>MonthlyChart</name>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="73"/>
        <source>{month}: collected {collected}, failed {failed}</source>
        <translation>{month}: 수납 {collected}, 실패 {failed}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="97"/>
        <source>Collected</source>
        <translation>수납</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="97"/>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
</context>
<context>
    <name>OverviewStrip</name>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="144"/>
        <source>Active subscribers</source>
        <translation>이용 중인 구독자</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="145"/>
        <source>Due today</source>
        <translation>오늘 결제 예정</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="146"/>
        <source>Monthly recurring revenue</source>
        <translation>월 정기 매출</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="147"/>
        <source>Last batch</source>
        <translation>최근 일괄 결제</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="167"/>
        <source>of {n} in total</source>
        <translation>전체 {n}명 중</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="170"/>
        <source>{amount} to collect</source>
        <translation>수납 예정 {amount}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="175"/>
        <source>{n} being charged now</source>
        <translation>{n}건 결제 진행 중</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="177"/>
        <source>{n} with unknown outcome (reconcile)</source>
        <translation>결과 미확인 {n}건 (대사 필요)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="180"/>
        <source>None yet</source>
        <translation>아직 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="183"/>
        <source>{paid} paid · {failed} failed</source>
        <translation>성공 {paid} · 실패 {failed}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="188"/>
        <source>{n} unknown · </source>
        <translation>미확인 {n} · </translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/overview.py" line="188"/>
        <source>{n} in flight · </source>
        <translation>진행 중 {n}건 · </translation>
    </message>
</context>
<context>
    <name>PopupWindow</name>
    <message>
        <location filename="../../kpadmin/gui/signup/page.py" line="138"/>
        <source>Kakao Pay</source>
        <extracomment>The world the web channel and the relay live in: not the page&apos;s (main) world, so neither the page&apos;s scripts nor iamport.js can touch ``qt.webChannelTransport``. (url for the log, reason) of each refused navigation or popup.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="98"/>
        <location filename="../../kpadmin/gui/charging/refund.py" line="205"/>
        <source>Refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="117"/>
        <source>Refund a payment of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="127"/>
        <source>{period} · {amount} paid {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="133"/>
        <source>{left} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="136"/>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="140"/>
        <source>Part of it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="153"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="162"/>
        <source>Required: why the customer gets money back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="164"/>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="174"/>
        <source>Cancel</source>
        <translation type="unfinished">취소</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="176"/>
        <source>Review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="197"/>
        <source>A refund cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="203"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="224"/>
        <source>All that is left: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="234"/>
        <source>There is no paid charge left to refund.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="241"/>
        <source>Enter the amount to refund in whole won.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="243"/>
        <source>At most {balance} can be refunded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="248"/>
        <source>A reason is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="287"/>
        <source>the whole remaining {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="293"/>
        <source>Refund {what} of {name}&apos;s {period} payment ({paid})?
Reason: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/charging/refund.py" line="303"/>
        <source>Refund {amount}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="55"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="63"/>
        <source>i&apos;mport connection</source>
        <translation>아임포트 연결</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="67"/>
        <source>Sandbox (training, built-in simulator)</source>
        <translation>샌드박스 (교육용, 내장 시뮬레이터)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="68"/>
        <source>Test (i&apos;mport test channel)</source>
        <translation>테스트 (아임포트 테스트 채널)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="69"/>
        <source>LIVE (real money)</source>
        <translation>실거래 (실제 결제)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="72"/>
        <source>Mode</source>
        <translation>모드</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="74"/>
        <source>imp12345678</source>
        <translation>imp12345678</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="75"/>
        <source>Merchant code</source>
        <translation>가맹점 식별코드</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="86"/>
        <source>REST API key</source>
        <translation>REST API 키</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="87"/>
        <source>REST API secret</source>
        <translation>REST API 시크릿</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="94"/>
        <source>PG / channel</source>
        <translation>PG / 채널</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="97"/>
        <source>(default for the mode)</source>
        <translation>(모드 기본값)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="99"/>
        <source>API address</source>
        <translation>API 주소</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="101"/>
        <source>Test connection</source>
        <translation>연결 테스트</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="112"/>
        <source>Charging and staff</source>
        <translation>결제와 담당자</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="120"/>
        <source>Charges at once</source>
        <translation>동시 결제 수</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="125"/>
        <source>No cap ({low:g} to {high:g})</source>
        <translation>제한 없음 ({low:g}~{high:g})</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="128"/>
        <source>Charges per second</source>
        <translation>초당 결제 요청 수</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="133"/>
        <source>No cap</source>
        <translation>한도 없음</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="136"/>
        <source>Charges per key per month</source>
        <translation>빌링키당 월 결제 한도</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="139"/>
        <source>Staff name</source>
        <translation>담당자 이름</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="141"/>
        <source>Follow the system</source>
        <translation>시스템 설정 따름</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="145"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="192"/>
        <source>No OS keyring is available, so the key and secret cannot be saved here. Set the environment variables KPADMIN_IMP_KEY and KPADMIN_IMP_SECRET instead.</source>
        <translation>운영체제 키체인을 쓸 수 없어 여기서는 키와 시크릿을 저장할 수 없습니다. 대신 환경 변수 KPADMIN_IMP_KEY와 KPADMIN_IMP_SECRET을 설정하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="204"/>
        <source>The OS keyring could not be read.</source>
        <translation>운영체제 키체인을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="214"/>
        <source>set — type to replace</source>
        <translation>설정됨 — 바꾸려면 입력</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="216"/>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="224"/>
        <source>not set</source>
        <translation>설정 안 됨</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="221"/>
        <source>set (environment)</source>
        <translation>설정됨 (환경 변수)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="222"/>
        <source>set (keyring)</source>
        <translation>설정됨 (키체인)</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="223"/>
        <source>sandbox default</source>
        <translation>샌드박스 기본값</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="232"/>
        <source>Switch to LIVE?</source>
        <translation>실거래 모드로 전환할까요?</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="234"/>
        <source>In LIVE mode charges take real money from real customers&apos; Kakao Pay accounts. LIVE keeps its own subscribers, separate from test and sandbox.

Switch to LIVE?</source>
        <translation>실거래 모드에서는 실제 고객의 카카오페이 계정에서 실제 금액이 결제됩니다. 실거래 모드의 구독자 데이터는 테스트·샌드박스와 따로 보관됩니다.

실거래 모드로 전환할까요?</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="241"/>
        <source>Switch to LIVE</source>
        <translation>실거래로 전환</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="272"/>
        <source>Asking i&apos;mport for a token…</source>
        <translation>아임포트에 토큰을 요청하는 중…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="276"/>
        <source>Connected: i&apos;mport issued a token for this key and secret.</source>
        <translation>연결 성공: 아임포트가 이 키와 시크릿으로 토큰을 발급했습니다.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="289"/>
        <source>Enter the REST API key and secret for {mode} mode first.</source>
        <translation>먼저 {mode} 모드의 REST API 키와 시크릿을 입력하세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="298"/>
        <source>The built-in sandbox is not running; save and reopen first.</source>
        <translation>내장 샌드박스가 실행 중이 아닙니다. 먼저 저장한 뒤 다시 여세요.</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="308"/>
        <source>Unexpected problem: {detail}</source>
        <translation>예기치 않은 문제: {detail}</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/settings_dialog.py" line="351"/>
        <source>Settings saved.</source>
        <translation>설정을 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>SignupDialog</name>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="98"/>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="138"/>
        <source>New sign-up</source>
        <extracomment>The new subscriber (`kpadmin.store.models.Subscriber`) once verified and saved. Any final outcome: (&quot;signed_up&quot; or a FailureReason value, user-facing text). An unfinished attempt was looked up at i&apos;mport (`kpadmin.billing.signup.AttemptLeftovers`). An abandoned attempt was let go (its orphan key deleted or recorded); carries the attempt.</extracomment>
        <translation type="unfinished">신규 가입</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="142"/>
        <source>Enter the customer&apos;s details. The customer then approves in Kakao Pay; nothing is saved until i&apos;mport confirms the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="153"/>
        <source>Cancel</source>
        <translation type="unfinished">취소</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="155"/>
        <source>Open Kakao Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="183"/>
        <source>Show on second screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="185"/>
        <source>Cancel sign-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="218"/>
        <source>Save subscriber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="222"/>
        <source>Check again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="224"/>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="499"/>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="226"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="256"/>
        <source>Connecting to i&apos;mport… The window opens once the connection is up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="259"/>
        <source>Not connected to i&apos;mport: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="417"/>
        <source>First payment of %1 received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="422"/>
        <source>%1 is signed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="426"/>
        <source>Next charge: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="472"/>
        <source>Kakao Pay says: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="474"/>
        <source>Payment to look at: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="509"/>
        <source>Checking with i&apos;mport that nothing was taken…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="548"/>
        <source>i&apos;mport confirms that nothing was taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="556"/>
        <source>i&apos;mport could not be asked whether the customer approved meanwhile (order %1). Check again before starting over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="575"/>
        <source>The customer approved after all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="577"/>
        <source>The window ended without a sign-up, but the approval reached i&apos;mport.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="582"/>
        <source>i&apos;mport confirms the card and the first payment. Save the subscriber, or refund the payment; leaving without saving removes the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="587"/>
        <source>i&apos;mport confirms the card. Save the subscriber; leaving without saving removes the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="596"/>
        <source>%1 was taken (imp_uid %2) and no subscriber was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="603"/>
        <source>The card was registered; it is deleted when you leave this attempt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="606"/>
        <source>Refund %1 now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="629"/>
        <source>Confirm: refund %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="656"/>
        <source>The refund was not confirmed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="658"/>
        <source>Refunded %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="261"/>
        <source>Set the merchant code (imp_code) in Settings first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="278"/>
        <source>Only one screen is connected; connect a screen facing the customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="319"/>
        <source>Kakao Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="320"/>
        <source>Opening the Kakao Pay window…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="321"/>
        <source>Waiting for the customer to approve in Kakao Pay…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="322"/>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="387"/>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="453"/>
        <source>Checking with i&apos;mport…</source>
        <translation type="unfinished">아임포트에서 확인하는 중…</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="323"/>
        <source>The Kakao Pay window could not be loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="329"/>
        <source> (first payment now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="329"/>
        <source> (card only, ₩0 now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="341"/>
        <source>Waiting for the customer to approve in Kakao Pay (QR code or phone).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="419"/>
        <source>Card registered; nothing was charged yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="464"/>
        <source>Sign-up cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="465"/>
        <source>Kakao Pay declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="466"/>
        <source>The request timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="467"/>
        <source>Not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/dialog.py" line="468"/>
        <source>Could not verify</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignupFormWidget</name>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="60"/>
        <source>e.g. 김하늘</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="65"/>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="67"/>
        <source>e.g. 프리미엄 월 구독</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="73"/>
        <source> of each month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="74"/>
        <source>Take the first payment now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="76"/>
        <source>Phone</source>
        <translation type="unfinished">전화</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="77"/>
        <source>In person</source>
        <translation type="unfinished">방문</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="108"/>
        <source>Name</source>
        <translation type="unfinished">이름</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="109"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="110"/>
        <source>E-mail</source>
        <translation type="unfinished">이메일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="111"/>
        <source>Plan</source>
        <translation type="unfinished">상품</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="112"/>
        <source>Monthly amount (₩)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="113"/>
        <source>Billing day</source>
        <translation type="unfinished">결제일</translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="114"/>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="212"/>
        <source>The customer pays ₩%1 now; the next charge is next month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="216"/>
        <source>The customer pays the first month now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kpadmin/gui/signup/form.py" line="220"/>
        <source>Only the card is registered now (₩0); the first charge is on the billing day.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
