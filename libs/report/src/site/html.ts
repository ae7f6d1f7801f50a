/** Page building blocks: escaping, the page shell with its inline style (no external file, no CDN). */

export const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON safe inside a `<script type="application/json">` element. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export const money = (value: number | undefined): string =>
  value === undefined ? '—' : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The palette, as CSS custom properties (`var(--bad)`). */
const COLOURS = {
  fg: '#1f2933',
  muted: '#52606d',
  line: '#d9e2ec',
  bg: '#f5f7fa',
  bad: '#b42318',
  badbg: '#fde8e7',
  warn: '#8a5a00',
  warnbg: '#fff4d6',
  ok: '#1e6b3a',
  okbg: '#e3f4e8',
  link: '#1d4ed8',
};

/** A rollout step's colour on the timeline (rollout-page.ts), by step. */
const STEP_COLOURS = {
  spec: '#9fb3c8',
  synth: '#7b93db',
  plan: '#5a8dee',
  guard: '#f0b429',
  apply: '#3ebd93',
  gate: '#2f855a',
  failed: 'var(--bad)',
};

const STYLE = `
:root { ${Object.entries(COLOURS)
  .map(([name, value]) => `--${name}:${value};`)
  .join(' ')} }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.top { background: #102a43; color: #fff; padding: 12px 24px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header.top a { color: #bcccdc; }
header.top h1 { font-size: 18px; margin: 0; }
main { padding: 16px 24px 40px; max-width: 1800px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
a { color: var(--link); }
a.tenant, .nowrap { white-space: nowrap; font-weight: 600; }
.wide { overflow-x: auto; }
.muted { color: var(--muted); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .k { font-size: 12px; color: var(--muted); }
.card .v { font-size: 18px; font-weight: 600; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); width: 100%; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { all: unset; cursor: pointer; }
th button:focus-visible { outline: 2px solid var(--link); }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.bad { background: var(--badbg); color: var(--bad); }
.warn { background: var(--warnbg); color: var(--warn); }
.ok { background: var(--okbg); color: var(--ok); }
.none { background: #eceff1; color: var(--muted); }
tr.loss td { background: var(--badbg); }
.controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
.controls input, .controls select, .controls button { font: inherit; padding: 4px 8px; }
.totals { display: flex; gap: 24px; flex-wrap: wrap; }
.totals table { width: auto; min-width: 280px; }
.diagram { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow: auto; }
.diagram svg { max-width: 100%; height: auto; }
details { margin: 8px 0; }
summary { cursor: pointer; }
.timeline { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.tl-row { display: grid; grid-template-columns: 220px 1fr 120px; gap: 8px; align-items: center; padding: 3px 0; border-bottom: 1px dashed var(--line); }
.tl-track { position: relative; height: 18px; background: #f0f4f8; border-radius: 3px; }
.tl-step { position: absolute; top: 0; bottom: 0; min-width: 2px; border-right: 1px solid #fff; }
${Object.entries(STEP_COLOURS)
  .map(([step, colour]) => `.step-${step} { background: ${colour}; }`)
  .join(' ')}
.legend span { display: inline-block; margin-right: 12px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
code { background: #eef2f7; padding: 0 3px; border-radius: 3px; }
`;

export interface PageOptions {
  readonly title: string;
  /** Relative path from this page to the report root (`.` or `..`). */
  readonly root: string;
  readonly body: string;
  readonly generatedAt: string;
  readonly script?: string;
}

export function page({ title, root, body, generatedAt, script }: PageOptions): string {
  const generated = `<span class="muted" style="color:#9fb3c8">generated ${esc(generatedAt)}</span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · hafleet report</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>${esc(title)}</h1><a href="${root}/index.html">fleet</a>${generated}</header>
<main>
${body}
</main>
${script ? `<script>${script}</script>` : ''}
</body>
</html>
`;
}

export function table(
  headers: ReadonlyArray<string | { label: string; num?: boolean }>,
  rows: ReadonlyArray<{ cells: readonly string[]; className?: string }>,
  attrs = '',
): string {
  const head = headers
    .map((h) => (typeof h === 'string' ? `<th>${esc(h)}</th>` : `<th class="${h.num ? 'num' : ''}">${esc(h.label)}</th>`))
    .join('');
  const numeric = headers.map((h) => typeof h !== 'string' && h.num === true);
  const body = rows
    .map(
      (r) =>
        `<tr${r.className ? ` class="${r.className}"` : ''}>${r.cells.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table${attrs ? ` ${attrs}` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
