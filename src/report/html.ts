/**
 * One self-contained HTML report: sections of figures (inline SVG, or PNG as `data:` URIs),
 * captions, and tables (rendered, and downloadable as CSV through a `data:` link). No external
 * resources. A small inline script sets `document.title` to a JSON check summary once the page
 * has loaded — per `<img>` its natural size and whether it decoded, per inline `<svg>` its count
 * of drawn elements — so a headless browser can verify that every figure renders
 * (`chromium --headless --dump-dom`).
 *
 * ## Example
 * ```ts
 * const html = reportHtml({ title: 'spikeline experiments', intro: 'settings …', sections: [
 *   { id: 'fig3', title: 'Figure 3', figures: [{ svg: lineChartSvg(series), caption: 'loss vs noise' }] },
 * ] });
 * ```
 */

export interface ReportFigure {
  /** Inline SVG markup. */
  readonly svg?: string;
  /** PNG bytes (inlined as a data: URI). */
  readonly png?: Uint8Array;
  readonly caption: string;
}

export interface ReportTable {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** File name offered for the CSV download. */
  readonly csvName: string;
}

export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly text?: string;
  readonly figures?: readonly ReportFigure[];
  readonly tables?: readonly ReportTable[];
}

/** One row of the claims table shown above every section. */
export interface ReportClaim {
  readonly statement: string;
  readonly holds: boolean;
  readonly measured: string;
  /** Anchor of the section that shows it (`#figure-3`). */
  readonly href: string;
}

export interface Report {
  readonly title: string;
  readonly intro: string;
  /** The paper's claims with their verdicts, rendered first (`<table id="claims">`). */
  readonly claims?: readonly ReportClaim[];
  readonly sections: readonly ReportSection[];
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const csvCell = (v: string | number): string => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The table as CSV text (header line, then rows). */
export const tableCsv = (t: Pick<ReportTable, 'columns' | 'rows'>): string =>
  `${[t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;

const cellHtml = (v: string | number): string =>
  typeof v === 'number' ? (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : '—') : escapeHtml(v);

const CHECK_SCRIPT = `<script>
window.addEventListener('load', () => {
  const imgs = [...document.querySelectorAll('figure img')].map((i) => ({ w: i.naturalWidth, h: i.naturalHeight, ok: i.complete && i.naturalWidth > 0 }));
  const svgs = [...document.querySelectorAll('figure > svg')].map((s) => ({ marks: s.querySelectorAll('path,circle,line,rect,polyline').length, w: s.getBoundingClientRect().width }));
  document.title = JSON.stringify({ figures: document.querySelectorAll('figure').length, imgs, svgs });
});
</script>`;

const STYLE = `<style>
body { font-family: sans-serif; max-width: 1150px; margin: 1em auto; color: #222; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; max-width: 100%; }
figcaption { font-size: 0.85em; max-width: 640px; color: #444; }
figure img { image-rendering: pixelated; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { background: #f4f4f4; }
#claims td { text-align: left; vertical-align: top; }
#claims td.verdict { text-align: center; font-size: 1.2em; }
#claims tr.holds td.verdict { color: #1a7f37; }
#claims tr.fails td.verdict { color: #cf222e; }
section { border-top: 1px solid #ddd; margin-top: 1.5em; }
</style>`;

export const reportHtml = (r: Report): string => {
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(r.title)}</title>`,
    STYLE,
    '</head><body>',
    `<h1>${escapeHtml(r.title)}</h1>`,
    `<p>${escapeHtml(r.intro)}</p>`,
    '<nav><ul>',
    ...r.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`),
    '</ul></nav>',
  ];
  if (r.claims !== undefined && r.claims.length > 0) {
    const held = r.claims.filter((c) => c.holds).length;
    parts.push(
      `<section id="claims-summary"><h2>The paper’s claims: ${held} of ${r.claims.length} hold</h2>`,
      '<table id="claims"><tr><th>claim</th><th>holds</th><th>measured</th><th>figure</th></tr>',
      ...r.claims.map(
        (c) =>
          `<tr class="${c.holds ? 'holds' : 'fails'}"><td>${escapeHtml(c.statement)}</td><td class="verdict">${c.holds ? '✓' : '✗'}</td>` +
          `<td>${escapeHtml(c.measured)}</td><td><a href="${escapeHtml(c.href)}">${escapeHtml(c.href.replace(/^#/, ''))}</a></td></tr>`,
      ),
      '</table></section>',
    );
  }
  for (const s of r.sections) {
    parts.push(`<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>`);
    if (s.text) parts.push(`<p>${escapeHtml(s.text)}</p>`);
    for (const f of s.figures ?? []) {
      const body = f.svg !== undefined ? f.svg : f.png !== undefined ? `<img alt="${escapeHtml(f.caption)}" src="data:image/png;base64,${Buffer.from(f.png).toString('base64')}">` : '';
      parts.push(`<figure>${body}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`);
    }
    for (const t of s.tables ?? []) {
      const csv = `data:text/csv;base64,${Buffer.from(tableCsv(t)).toString('base64')}`;
      parts.push(
        `<table><caption>${escapeHtml(t.caption)} (<a download="${escapeHtml(t.csvName)}" href="${csv}">CSV</a>)</caption>`,
        `<tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`,
        ...t.rows.map((row) => `<tr>${row.map((v) => `<td>${cellHtml(v)}</td>`).join('')}</tr>`),
        '</table>',
      );
    }
    parts.push('</section>');
  }
  parts.push(CHECK_SCRIPT, '</body></html>');
  return `${parts.join('\n')}\n`;
};
