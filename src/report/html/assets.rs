//! The report's only inline assets: its stylesheet and its script.

/// The stylesheet: system fonts, no images, severity colours.
pub(super) const STYLE: &str = r#"body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#fff;border-bottom:1px solid #ddd;padding:12px 24px;position:sticky;top:0;z-index:1}
header h1{margin:0 0 4px;font-size:22px}header p{margin:2px 0}
main{padding:0 24px 48px;max-width:1400px}
h2{margin:28px 0 8px;font-size:19px}h3{margin:0 0 4px;font-size:15px}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
nav a{margin-right:12px}
#tools{margin:6px 0}#q{width:min(480px,70vw);padding:4px 8px;font:inherit}
[hidden]{display:none!important}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;font-weight:600}td.n{text-align:right}
table.totals th{font-weight:normal}
.matrix th[scope=row]{font-weight:normal;max-width:48ch;overflow-wrap:anywhere}
.matrix thead th{font-size:12px;max-width:12ch}
.sev-error{background:#fdecea;color:#8e1b10}.sev-warning{background:#fff4e0;color:#7a4a00}.sev-info{background:#e8f1fb;color:#0d4a8f}
.ok{background:#e8f5e9;color:#1b5e20}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:600}
.pill{display:inline-block;padding:0 6px;border-radius:9px;font-size:12px;font-weight:600;border:1px solid currentColor}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
.sens{background:#5b2a86;color:#fff}
tr.sensitive th{box-shadow:inset 4px 0 #5b2a86;background:#f4ecfb}
.tag{display:inline-block;padding:0 5px;border-radius:3px;background:#eee;color:#333;font-size:12px;font-weight:normal}
.alert{border:2px solid #c62828;background:#fdecea;padding:4px 16px;margin-top:20px}
details.group{background:#fff;border:1px solid #ddd;margin:6px 0;padding:4px 8px}
details.group>summary{cursor:pointer;padding:2px 0}
details.group table{margin:6px 0}
.card{background:#fff;border:1px solid #ddd;border-left-width:6px;margin:10px 0;padding:8px 12px;color:#1d1d1f}
.card.sev-error{border-left-color:#c62828}.card.sev-warning{border-left-color:#e0a000}.card.sev-info{border-left-color:#1565c0}
.msg{margin:2px 0 6px}
pre.excerpt{background:#f6f6f6;border:1px solid #e4e4e4;padding:6px 8px;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}
pre.excerpt .ln{color:#888;margin-right:10px;user-select:none}
mark{background:#ffe08a;color:inherit;outline:1px solid #d4a000}
.origin{color:#444;margin-left:6px}
.locs ol{margin:4px 0;padding-left:28px}
.note{color:#555;font-size:13px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"#;

/// The only script: filtering by the search box (prefilled from `?q=` in
/// the URL), expand/collapse all, and `data-ready="1"` on `<body>` once
/// wired (tests look for it). It reads
/// the DOM; it holds no report data.
/// It is the exact text between `<script>` and `</script>` (starting with
/// its newline): the CSP allows it by this text's SHA-256.
pub(super) const SCRIPT: &str = r#"
(function () {
  "use strict";
  var input = document.getElementById("q");
  var count = document.getElementById("q-count");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var texts = items.map(function (el) { return el.textContent.toLowerCase(); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("details[data-group]"));
  function apply() {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (el, i) {
      var hit = q === "" || texts[i].indexOf(q) !== -1;
      el.hidden = !hit;
      if (hit) { shown++; }
    });
    groups.forEach(function (g) {
      var any = g.querySelector("[data-filter]:not([hidden])") !== null;
      g.hidden = !any;
      if (q !== "" && any) { g.open = true; }
    });
    count.textContent = q === "" ? "" : shown + " of " + items.length + " rows and cards match";
  }
  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  function setAll(open) {
    document.querySelectorAll("main details").forEach(function (d) { d.open = open; });
  }
  document.getElementById("expand").addEventListener("click", function () { setAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { setAll(false); });
  // `report.html?q=hotjar` opens the report filtered.
  var m = /[?&]q=([^&]*)/.exec(location.search);
  if (m) {
    try { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { input.value = m[1]; }
    apply();
  }
  document.getElementById("tools").hidden = false;
  document.body.setAttribute("data-ready", "1");
})();
"#;
