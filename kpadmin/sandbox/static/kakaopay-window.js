/*
 * kpadmin sandbox — the simulated Kakao Pay billing window's behaviour.
 *
 * The page only reports which outcome happened on the (simulated) customer's phone; the server
 * decides what it means and answers with the callback `rsp`, which is then posted to the page that
 * opened the window (its origin was fixed when the session was opened). Plain ES2017.
 */
(function () {
  "use strict";

  var session = JSON.parse(document.body.getAttribute("data-session"));
  var $ = function (id) {
    return document.getElementById(id);
  };
  var activeTab = "qr";
  var phoneSent = false;
  var busy = false;
  var finished = false;
  var deadline = Date.now() + session.seconds_left * 1000;
  var timer = null;

  // ---------------------------------------------------------------- tabs
  function selectTab(name) {
    if (finished) {
      return;
    }
    activeTab = name;
    ["qr", "phone"].forEach(function (tab) {
      var on = tab === name;
      $("tab-" + tab).classList.toggle("active", on);
      $("tab-" + tab).setAttribute("aria-selected", on ? "true" : "false");
      $("panel-" + tab).hidden = !on;
    });
    updateControls();
  }

  function updateControls() {
    // By phone, the customer can only answer once the KakaoTalk request has been sent.
    var waiting = activeTab === "phone" && !phoneSent;
    $("approve").disabled = busy || finished || waiting;
    $("decline").disabled = busy || finished || waiting;
    $("cancel").disabled = busy || finished;
    $("simulate-timeout").disabled = busy || finished;
    $("close").disabled = busy || finished;
    $("sim-wait").hidden = !waiting;
  }

  // ---------------------------------------------------------------- phone tab
  function digits(text) {
    return (text || "").replace(/[^0-9]/g, "");
  }

  function formatPhone(d) {
    if (d.length === 11) {
      return d.slice(0, 3) + "-" + d.slice(3, 7) + "-" + d.slice(7);
    }
    if (d.length === 10) {
      return d.slice(0, 3) + "-" + d.slice(3, 6) + "-" + d.slice(6);
    }
    return d;
  }

  function maskPhone(d) {
    var f = formatPhone(d).split("-");
    if (f.length !== 3) {
      return d;
    }
    return f[0] + "-" + f[1].replace(/\d/g, "*") + "-" + f[2];
  }

  function sendRequest() {
    var phone = digits($("phone-input").value);
    var birth = $("birth-input").value.trim();
    var error = "";
    if (!/^01[016789]\d{7,8}$/.test(phone)) {
      error = "휴대폰 번호를 확인해 주세요. (Enter a mobile number like 010-1234-5678)";
    } else if (birth !== "" && !/^\d{6}$/.test(birth)) {
      error = "생년월일은 6자리 숫자로 입력해 주세요. (YYMMDD)";
    }
    $("phone-error").textContent = error;
    $("phone-error").hidden = error === "";
    if (error) {
      return;
    }
    $("phone-input").value = formatPhone(phone);
    $("sent-phone").textContent = maskPhone(phone);
    $("phone-form").hidden = true;
    $("request-sent").hidden = false;
    phoneSent = true;
    updateControls();
  }

  function changePhone() {
    phoneSent = false;
    $("phone-form").hidden = false;
    $("request-sent").hidden = true;
    updateControls();
    $("phone-input").focus();
  }

  // ---------------------------------------------------------------- countdown
  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60);
    var s = left % 60;
    $("countdown").textContent = (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    $("countdown").classList.toggle("urgent", left <= 30);
    var share = session.timeout_s > 0 ? left / session.timeout_s : 0;
    $("timer-fill").style.width = Math.min(100, share * 100).toFixed(1) + "%";
    if (left <= 0 && !finished && !busy) {
      submit("timeout");
    }
  }

  // ---------------------------------------------------------------- outcome
  function choice(outcome) {
    var money = $("method-money").checked;
    return {
      outcome: outcome,
      channel: activeTab,
      pay_method: money ? "point" : "card",
      card: $("card-select").value,
      decline_reason: $("decline-reason").value,
      phone: activeTab === "phone" ? digits($("phone-input").value) : null,
      birth: activeTab === "phone" ? $("birth-input").value.trim() : null,
    };
  }

  function submit(outcome) {
    if (busy || finished) {
      return;
    }
    busy = true;
    updateControls();
    $("submit-error").hidden = true;
    fetch(session.outcome_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Window-Token": session.window_token },
      body: JSON.stringify(choice(outcome)),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (answer) {
        busy = false;
        if (answer.body && answer.body.rsp) {
          finish(answer.body.rsp); // 200, or 409 = the outcome recorded earlier
          return;
        }
        showSubmitError((answer.body && answer.body.error) || "HTTP " + answer.status);
      })
      .catch(function (err) {
        busy = false;
        showSubmitError("샌드박스 서버에 연결할 수 없습니다. 다시 시도해 주세요. (" + err.message + ")");
      });
  }

  function showSubmitError(text) {
    $("submit-error").textContent = text;
    $("submit-error").hidden = false;
    updateControls();
  }

  function describe(rsp) {
    if (rsp.error_code == null) {
      if (rsp.status === "paid") {
        return { ok: true, title: "결제와 정기결제 등록이 완료되었어요", detail: "Approved — billing key issued and first payment taken" };
      }
      return { ok: true, title: "정기결제 등록이 완료되었어요", detail: "Approved — billing key issued" };
    }
    return { ok: false, title: rsp.error_msg || "결제가 완료되지 않았어요", detail: "error_code " + rsp.error_code };
  }

  function finish(rsp) {
    finished = true;
    if (timer !== null) {
      clearInterval(timer);
    }
    updateControls();
    var shown = describe(rsp);
    $("result-icon").textContent = shown.ok ? "✓" : "!";
    $("result-icon").classList.toggle("bad", !shown.ok);
    $("result-title").textContent = shown.title;
    $("result-detail").textContent = shown.detail;
    $("checkout").hidden = true;
    $("result").hidden = false;
    document.title = "kakaopay-result:" + (rsp.error_code == null ? "ok" : rsp.error_code);
    if (window.parent !== window) {
      // "null" = opened from a file:// page, which no origin string can name.
      var target = session.parent_origin === "null" ? "*" : session.parent_origin;
      window.parent.postMessage(
        { type: session.message_type, session_id: session.session_id, rsp: rsp },
        target
      );
    }
  }

  // ---------------------------------------------------------------- wiring
  $("tab-qr").addEventListener("click", function () {
    selectTab("qr");
  });
  $("tab-phone").addEventListener("click", function () {
    selectTab("phone");
  });
  $("send-request").addEventListener("click", sendRequest);
  $("phone-input").addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      sendRequest();
    }
  });
  $("change-phone").addEventListener("click", changePhone);
  $("approve").addEventListener("click", function () {
    submit("approve");
  });
  $("decline").addEventListener("click", function () {
    submit("decline");
  });
  $("cancel").addEventListener("click", function () {
    submit("cancel");
  });
  $("close").addEventListener("click", function () {
    submit("cancel");
  });
  $("simulate-timeout").addEventListener("click", function () {
    submit("timeout");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      submit("cancel");
    }
  });

  if (session.finished_rsp) {
    finish(session.finished_rsp); // reloaded after the outcome: say it again, change nothing
  } else {
    tick();
    timer = setInterval(tick, 1000);
    updateControls();
  }
  // Tests and the app's self-test wait for this before clicking (the script is deferred).
  document.body.setAttribute("data-ready", "1");
})();
