// Injected by the app (QWebEngineScript, ApplicationWorld, main frame only, after qwebchannel.js).
// It lives in a script world the page's own scripts and every other frame cannot see, and forwards
// the checkout page's messages (CustomEvents on the page's own document) to the one bridge object.
(function () {
  'use strict';
  var EXPECTED_ORIGIN = '%CHECKOUT_ORIGIN%';
  if (window !== window.top || location.origin !== EXPECTED_ORIGIN) return;
  if (typeof qt === 'undefined' || !qt.webChannelTransport) return;

  var bridge = null;
  var pending = [];
  new QWebChannel(qt.webChannelTransport, function (channel) {
    bridge = channel.objects.kpadmin_bridge;
    pending.forEach(function (m) { bridge.post(m); });
    pending = null;
  });

  document.addEventListener('kpadmin-bridge', function (event) {
    var detail = event.detail;
    if (typeof detail !== 'string') return;
    if (bridge) {
      bridge.post(detail);
    } else if (pending && pending.length < 8) {
      pending.push(detail);
    }
  });
})();
