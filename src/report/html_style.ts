/**
 * The report's inline style sheet and its one script (sorting tables by a
 * header click). Kept apart from the markup; both are constants, so every
 * report carries the same bytes.
 *
 * @module
 */

/** The style sheet: screen (laptop and phone) and print. */
export const REPORT_CSS = `
:root{--fg:#1d2330;--muted:#5d6677;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--accent:#4e79a7;
--good:#59a14f;--bad:#e15759}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg)}
header{padding:20px 24px 8px;max-width:1200px;margin:auto}
header h1{margin:0;font-size:22px}
header p{margin:4px 0;color:var(--muted)}
main{max-width:1200px;margin:auto;padding:0 16px 32px;display:grid;gap:16px;
grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr))}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;
min-width:0}
section.wide{grid-column:1/-1}
.cols{display:grid;gap:8px 24px;grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr))}
.cols.two{grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr))}
h2{font-size:16px;margin:0 0 10px}
h3{font-size:13px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.kpis{display:grid;gap:10px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr))}
.kpi{border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.kpi b{display:block;font-size:22px;font-variant-numeric:tabular-nums}
.kpi span{color:var(--muted);font-size:12px}
.warn{border-left:4px solid var(--bad);background:#fdf1f1;padding:8px 12px;border-radius:4px;margin-top:10px}
.note{color:var(--muted);font-size:12px;margin:8px 0 0}
svg.chart{width:100%;height:auto;display:block}
svg.chart.bars{max-width:460px}
svg.chart.wide{min-width:540px}
svg .grid{stroke:var(--line)}
svg text{font-size:11px;fill:var(--muted)}
svg text.label{fill:var(--fg);font-size:12px}
svg text.value{font-size:11px;fill:var(--fg)}
svg .cumulative{fill:none;stroke:var(--fg);stroke-width:2}
svg .cumulative-dot{fill:var(--fg)}
svg .cost{fill:var(--accent)}
svg .ok{fill:var(--good)}
svg .failed{fill:var(--bad)}
svg .p50{fill:#76b7b2}
svg .p90{fill:#b07aa1}
svg .saved{fill:var(--good)}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px;color:var(--muted);margin-top:6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend i.line{height:2px;background:var(--fg);vertical-align:3px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child,td.text,th.text{text-align:left}
th{font-size:12px;color:var(--muted);font-weight:600}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" ▲"}
table.sortable th[aria-sort=descending]::after{content:" ▼"}
td.bar{width:30%;min-width:80px}
td.bar span{display:block;height:10px;background:var(--accent);border-radius:2px;min-width:1px}
td.failed{color:var(--bad)}
td.budget-warn span{background:#f28e2b}td.budget-over span{background:var(--bad)}
td.status-warn{color:#b8601a;font-weight:600}td.status-over{color:var(--bad);font-weight:600}
code{font-size:12px;overflow-wrap:anywhere}
p,.warn,.legend{overflow-wrap:anywhere}
@media (max-width:600px){header{padding:14px 12px 4px}main{padding:0 8px 24px}
section{padding:12px 10px}.kpi b{font-size:18px}td.bar{min-width:50px}}
@media print{body{background:#fff;font-size:11px}main{display:block;padding:0}
section{break-inside:avoid;border:none;border-top:1px solid #999;border-radius:0;margin:0 0 10px;padding:8px 0}
table.sortable th::after{content:""!important}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

/** Sorts a `table.sortable` by the clicked header: `data-sort` values when numeric, else text. */
export const SORT_SCRIPT = `
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.tabIndex = 0;
    var sort = function () {
      var down = th.getAttribute("aria-sort") !== "descending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var key = function (row) {
        var cell = row.cells[col];
        var v = cell.getAttribute("data-sort");
        return v === null ? cell.textContent : Number(v);
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
        return down ? -c : c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
});
`;
