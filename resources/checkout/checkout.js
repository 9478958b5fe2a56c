// The checkout page's script (page's main world). It has no access to the app's bridge: it only
// dispatches a CustomEvent on its own document, which relay.js (injected by the app into an
// isolated script world of the main frame only) forwards to the one bridge object. Frames of other
// origins (the Kakao Pay layer) cannot reach this document, so they cannot reach the bridge.
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('kp-config').textContent);
  var finished = false;

  function post(message) {
    document.dispatchEvent(new CustomEvent('kpadmin-bridge', { detail: JSON.stringify(message) }));
  }

  function show(text, state) {
    document.getElementById('status').textContent = text;
    document.getElementById('panel').setAttribute('data-state', state);
  }

  // Forward only the callback fields the app reads, each only with the type it expects; the app
  // checks again (strictly) on its side.
  function pick(rsp) {
    var out = {};
    if (!rsp || typeof rsp !== 'object') return out;
    Object.keys(cfg.fields).forEach(function (key) {
      if (!Object.prototype.hasOwnProperty.call(rsp, key)) return;
      var value = rsp[key];
      if (value === null || value === undefined) { out[key] = null; return; }
      if (typeof value === cfg.fields[key]) out[key] = value;
    });
    return out;
  }

  function onCallback(rsp) {
    if (finished) return;  // the SDK calls back once; a second call is ignored
    finished = true;
    post({ type: 'callback', rsp: pick(rsp) });
    show(cfg.text.checking, 'done');
  }

  function sdkFailed() {
    if (finished) return;
    finished = true;
    post({ type: 'status', status: 'sdk_failed' });
    show(cfg.text.sdk_failed, 'error');
  }

  var script = document.createElement('script');
  script.src = cfg.sdk_url;
  script.nonce = cfg.nonce;
  script.onerror = sdkFailed;
  script.onload = function () {
    var IMP = window.IMP;
    if (!IMP || typeof IMP.init !== 'function' || typeof IMP.request_pay !== 'function') {
      sdkFailed();
      return;
    }
    try {
      IMP.init(cfg.imp_code);
      post({ type: 'status', status: 'sdk_loaded' });
      IMP.request_pay(cfg.params, onCallback);
      post({ type: 'status', status: 'requested' });
      show(cfg.text.waiting, 'waiting');
    } catch (e) {
      sdkFailed();
    }
  };
  document.head.appendChild(script);
})();
