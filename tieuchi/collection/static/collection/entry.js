// The entry form (collection/entry/page.html): the percentage of numerator/denominator rows as
// you type, Enter moves to the next field like Tab, and saved numbers are shown back the
// Vietnamese way ("1234" → "1.234") in fields the user has already left.
(function () {
  "use strict";
  var FORMAT = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  // Same reading as tieuchi/collection/numbers.py for the common cases: 87,5  1.234  1.234,5
  function parse(text) {
    var t = (text || "").replace(/[\s\u00a0%]/g, "");
    if (!t) return null;
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^\d+,\d+$/.test(t)) t = t.replace(",", ".");
    else if (!/^\d+(\.\d+)?$/.test(t)) return NaN;
    return Number(t);
  }

  function showPercent(row) {
    var out = row.querySelector(".entry-percent");
    var num = row.querySelector("input[name=numerator]");
    var den = row.querySelector("input[name=denominator]");
    if (!out || !num || !den) return;
    var n = parse(num.value), d = parse(den.value);
    out.textContent = n === null || d === null || isNaN(n) || isNaN(d) || d === 0
      ? "" : "= " + FORMAT.format((n * 100) / d) + " %";
  }

  function fields() {
    return Array.prototype.filter.call(
      document.querySelectorAll(".entry-row input:not([type=hidden]), .entry-row select, .entry-move button"),
      function (el) { return !el.disabled && el.offsetParent !== null; });
  }

  document.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest(".entry-row[data-mode=ratio]");
    if (row) showPercent(row);
  });

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el.closest || !el.closest(".entry-row")) return;
    if (el.tagName === "BUTTON") return;
    event.preventDefault();
    var all = fields(), at = all.indexOf(el);
    if (at >= 0 && at + 1 < all.length) all[at + 1].focus();
    else el.blur();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail.elt;
    var row = elt && elt.isConnected && elt.closest && elt.closest(".entry-row");
    var status = row && row.querySelector(".row-status");
    if (!status) return;
    var shown = {};
    try { shown = JSON.parse(status.getAttribute("data-shown") || "{}"); } catch (e) { shown = {}; }
    Object.keys(shown).forEach(function (name) {
      var input = row.querySelector("[name=" + name + "]");
      if (input && input !== document.activeElement) input.value = shown[name];
    });
    showPercent(row);
  });
})();
