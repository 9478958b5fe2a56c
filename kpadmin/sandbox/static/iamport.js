/*
 * kpadmin sandbox — a stand-in for https://cdn.iamport.kr/v1/iamport.js (PortOne V1 browser SDK).
 *
 * Same interface: window.IMP with init(impCode), agency(impCode, tierCode), request_pay(params,
 * callback). request_pay asks the sandbox to open a checkout session (it pre-validates the params
 * the way i'mport does), then shows the simulated Kakao Pay billing window as a modal overlay
 * with an iframe on the SDK's own origin. The window posts its result back; the result is
 * accepted only from that origin and that iframe, and the callback runs exactly once.
 *
 * The callback gets the new v1 SDK's shape: imp_uid, merchant_uid, error_code, error_msg (null on
 * success), status, paid_amount, … — and no `success` field, as with the real v1/iamport.js.
 * Plain ES2017, no dependencies.
 */
(function () {
  "use strict";

  if (window.IMP && window.IMP.sandbox === true) {
    return; // loaded twice: keep the first instance (it may have a window open)
  }

  var script = document.currentScript;
  var SDK_ORIGIN = new URL(script && script.src ? script.src : window.location.href).origin;
  var MESSAGE_TYPE = "kpadmin-sandbox:kakaopay-result";
  var impCode = null;
  var open = null; // the one request in progress: {close: function}

  function failure(params, code, msg) {
    var merchantUid = params && typeof params.merchant_uid === "string" ? params.merchant_uid : null;
    return { imp_uid: null, merchant_uid: merchantUid, error_code: code, error_msg: msg };
  }

  function redirectTo(url, rsp) {
    // Mobile-style flow (no callback given): the result travels in the query string.
    var target;
    try {
      target = new URL(url, window.location.href);
    } catch (e) {
      return;
    }
    if (target.protocol !== "http:" && target.protocol !== "https:") {
      return;
    }
    target.searchParams.set("imp_uid", rsp.imp_uid == null ? "" : rsp.imp_uid);
    target.searchParams.set("merchant_uid", rsp.merchant_uid == null ? "" : rsp.merchant_uid);
    target.searchParams.set("imp_success", rsp.error_code == null ? "true" : "false");
    if (rsp.error_code != null) {
      target.searchParams.set("error_code", rsp.error_code);
      target.searchParams.set("error_msg", rsp.error_msg == null ? "" : rsp.error_msg);
    }
    window.location.assign(target.toString());
  }

  function makeDeliver(params, callback) {
    var delivered = false;
    return function deliver(rsp) {
      if (delivered) {
        return;
      }
      delivered = true;
      if (typeof callback === "function") {
        try {
          callback(rsp);
        } catch (err) {
          // The page's bug must not break the SDK; surface it like an uncaught error.
          setTimeout(function () {
            throw err;
          }, 0);
        }
      } else if (params && typeof params.m_redirect_url === "string") {
        redirectTo(params.m_redirect_url, rsp);
      }
    };
  }

  function later(deliver, rsp) {
    setTimeout(function () {
      deliver(rsp);
    }, 0);
  }

  function setStyle(el, styles) {
    // CSSOM assignments work under a strict style-src CSP, inline style attributes do not.
    Object.keys(styles).forEach(function (key) {
      el.style.setProperty(key, styles[key]);
    });
  }

  function showWindow(session, params, deliver) {
    var overlay = document.createElement("div");
    overlay.setAttribute("data-imp-sandbox", "overlay");
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    setStyle(overlay, {
      position: "fixed",
      inset: "0",
      "z-index": "2147483647",
      display: "flex",
      "align-items": "center",
      "justify-content": "center",
      background: "rgba(0, 0, 0, 0.55)",
    });
    var iframe = document.createElement("iframe");
    iframe.setAttribute("title", "카카오페이");
    iframe.setAttribute("data-imp-sandbox", "window");
    // No popups or top navigation from the window; scripts and its own origin only.
    iframe.setAttribute("sandbox", "allow-scripts allow-same-origin");
    setStyle(iframe, {
      width: "min(420px, calc(100vw - 16px))",
      height: "min(700px, calc(100vh - 16px))",
      border: "0",
      "border-radius": "16px",
      background: "#ffffff",
      "box-shadow": "0 12px 40px rgba(0, 0, 0, 0.35)",
    });
    var windowUrl = new URL(session.window_url, SDK_ORIGIN);
    if (windowUrl.origin !== SDK_ORIGIN) {
      deliver(failure(params, "SANDBOX_ERROR", "결제창 주소가 올바르지 않습니다."));
      return null;
    }
    iframe.src = windowUrl.toString();

    function onMessage(event) {
      if (event.origin !== SDK_ORIGIN || event.source !== iframe.contentWindow) {
        return;
      }
      var data = event.data;
      if (!data || data.type !== MESSAGE_TYPE || data.session_id !== session.session_id) {
        return;
      }
      if (!data.rsp || typeof data.rsp !== "object") {
        return;
      }
      var rsp = Object.assign({}, data.rsp);
      if (rsp.merchant_uid == null) {
        rsp.merchant_uid = params.merchant_uid; // a window that lost its session does not know it
      }
      close();
      deliver(rsp);
    }

    function close() {
      window.removeEventListener("message", onMessage);
      if (overlay.parentNode) {
        overlay.parentNode.removeChild(overlay);
      }
      open = null;
    }

    window.addEventListener("message", onMessage);
    overlay.appendChild(iframe);
    (document.body || document.documentElement).appendChild(overlay);
    iframe.focus();
    return { close: close };
  }

  function request_pay(params, callback) {
    var deliver = makeDeliver(params, callback);
    if (!impCode) {
      later(deliver, failure(params, "NOT_INITIALIZED", "IMP.init()으로 가맹점 식별코드를 먼저 설정해 주세요."));
      return;
    }
    if (!params || typeof params !== "object") {
      later(deliver, failure(null, "INVALID_PARAMS", "결제 파라미터는 객체여야 합니다."));
      return;
    }
    if (open) {
      later(deliver, failure(params, "IN_PROGRESS", "이미 결제창이 열려 있습니다."));
      return;
    }
    open = { close: function () {} };
    var body;
    try {
      body = JSON.stringify({ imp_code: impCode, params: params });
    } catch (err) {
      open = null;
      later(deliver, failure(params, "INVALID_PARAMS", "결제 파라미터를 JSON으로 바꿀 수 없습니다."));
      return;
    }
    // text/plain keeps this a "simple" CORS request: no preflight round trip.
    fetch(SDK_ORIGIN + "/sandbox/kakaopay/checkout", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: body,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        if (answer.rsp) {
          open = null;
          deliver(answer.rsp); // refused before any window opened
          return;
        }
        open = showWindow(answer, params, deliver);
      })
      .catch(function (err) {
        open = null;
        deliver(failure(params, "NETWORK_ERROR", "결제 서버에 연결할 수 없습니다. (" + err.message + ")"));
      });
  }

  window.IMP = {
    sandbox: true,
    version: "sandbox-1",
    init: function (code) {
      impCode = typeof code === "string" ? code : null;
    },
    agency: function (code, tierCode) {
      // Sub-merchant accounts: the tier code only matters to the REST API's Tier header.
      void tierCode;
      impCode = typeof code === "string" ? code : null;
    },
    request_pay: request_pay,
  };
})();
