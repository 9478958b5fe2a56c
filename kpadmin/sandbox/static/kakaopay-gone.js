/*
 * kpadmin sandbox — a window URL whose session no longer exists (expired, or the sandbox
 * restarted). Tell the SDK that opened it, so its overlay closes and its callback runs.
 */
(function () {
  "use strict";
  var gone = JSON.parse(document.body.getAttribute("data-gone"));
  if (window.parent !== window) {
    // The session and with it the opener's origin are gone: "*" is all there is to aim at, and
    // the message carries nothing but "not found".
    window.parent.postMessage(
      {
        type: gone.message_type,
        session_id: gone.session_id,
        rsp: {
          imp_uid: null,
          merchant_uid: null,
          error_code: "SESSION_NOT_FOUND",
          error_msg: "결제 요청을 찾을 수 없습니다. 다시 시도해 주세요.",
        },
      },
      "*"
    );
  }
})();
