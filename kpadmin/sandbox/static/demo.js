/* kpadmin sandbox demo page: IMP.init + IMP.request_pay from a form, the callback shown as JSON. */
(function () {
  "use strict";

  var $ = function (id) {
    return document.getElementById(id);
  };

  function stamp() {
    var d = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    var rand = Math.random().toString(36).slice(2, 8);
    return d.getFullYear() + pad(d.getMonth() + 1) + pad(d.getDate()) + "_" + pad(d.getHours()) +
      pad(d.getMinutes()) + pad(d.getSeconds()) + "_" + rand;
  }

  function newIds() {
    var s = stamp();
    $("customer-uid").value = "demo_cust_" + s;
    $("merchant-uid").value = "demo_issue_" + s;
  }

  function text(id) {
    var value = $(id).value.trim();
    return value === "" ? undefined : value;
  }

  $("imp-code").value = document.body.getAttribute("data-imp-code");
  newIds();
  $("new-ids").addEventListener("click", newIds);
  $("demo-form").addEventListener("submit", function (event) {
    event.preventDefault();
    $("rsp").textContent = "(window open…)";
    window.IMP.init($("imp-code").value.trim());
    window.IMP.request_pay(
      {
        pg: text("pg"),
        pay_method: "card",
        merchant_uid: text("merchant-uid"),
        customer_uid: text("customer-uid"),
        name: text("name"),
        amount: Number($("amount").value),
        buyer_name: text("buyer-name"),
        buyer_tel: text("buyer-tel"),
        buyer_email: text("buyer-email"),
        custom_data: { source: "sandbox demo page" },
      },
      function (rsp) {
        $("rsp").textContent = JSON.stringify(rsp, null, 2);
        document.title = "rsp:" + (rsp.error_code == null ? "ok" : rsp.error_code);
        if (rsp.error_code == null) {
          newIds(); // the next try needs a fresh merchant_uid
        }
      }
    );
  });
})();
