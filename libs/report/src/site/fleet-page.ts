import { readFileSync } from 'node:fs';
import { SIZING_BANDS } from '@hafleet/sizing';
import type { RolloutEntry, TenantReport } from '../collect.js';
import { esc, money, page, scriptJson } from './html.js';

/** One fleet table row as the page's script reads it (short keys: a thousand rows stay small). */
export interface FleetRow {
  readonly tenant: string;
  readonly name: string;
  readonly region: string;
  readonly profile: string;
  readonly band: string;
  /** Index of the band, so sorting by band goes small → xxlarge. */
  readonly bandOrder: number;
  readonly users: number;
  readonly population: number;
  readonly release: string;
  readonly ring: string;
  readonly env: string;
  readonly resources: number;
  /** `ok`, `N errors` ...; `guardrailErrors` sorts. */
  readonly guardrails: string;
  readonly guardrailErrors: number;
  readonly plan: string;
  readonly dataLoss: number;
  readonly drift: string;
  /** The tenant's state in its latest rollout, and that rollout's id. */
  readonly rollout: string;
  readonly rolloutId: string;
  readonly cost: number | null;
  readonly costNote: string;
}

export function fleetRow(t: TenantReport): FleetRow {
  const s = t.plan?.summary;
  const p = t.policy;
  return {
    tenant: t.spec.name,
    name: t.spec.displayName,
    region: t.spec.region,
    profile: t.profile,
    band: t.spec.sizing.band.name,
    bandOrder: SIZING_BANDS.findIndex((b) => b.name === t.spec.sizing.band.name),
    users: t.spec.expectedLoad.concurrentUsers,
    population: t.spec.expectedLoad.population,
    release: t.spec.app.release ?? '',
    ring: t.spec.rollout.ring,
    env: t.spec.environment,
    resources: t.resources,
    guardrails: p.errors > 0 ? `${p.errors} error${p.errors === 1 ? '' : 's'}` : p.suppressed > 0 ? `ok, ${p.suppressed} suppressed` : 'ok',
    guardrailErrors: p.errors * 1000 + p.warnings * 10 + p.suppressed,
    plan: s ? `+${s.add} ~${s.change} -${s.destroy}${s.replace ? ` (${s.replace} replaced)` : ''}` : 'not planned',
    dataLoss: s?.dataLoss.length ?? 0,
    drift: t.drift ? (t.drift.drifted ? `drifted (${t.drift.resources.length})` : 'in sync') : 'not checked',
    rollout: t.rollout ? `${t.rollout.state}${t.rollout.step && t.rollout.state !== 'healthy' ? ` at ${t.rollout.step}` : ''}` : '—',
    rolloutId: t.rollout?.id ?? '',
    cost: t.cost?.monthly ?? null,
    costNote: t.cost ? (t.cost.examplePrices ? 'example prices' : '') : (t.costError ?? 'no estimate'),
  };
}

const CLIENT_SCRIPT = readFileSync(new URL('./fleet-table.client.js', import.meta.url), 'utf8');

/** What a rollout set (`path=value, …`), or `reapply`. */
const changesOf = (request: NonNullable<RolloutEntry['journal']>['request']): string =>
  request.changes.map((c) => `${c.path}=${JSON.stringify(c.value)}`).join(', ') || (request.reapply ? 'reapply' : '');

export function fleetPage(
  rows: readonly FleetRow[],
  rollouts: readonly RolloutEntry[],
  info: { generatedAt: string; priceSource: string },
): string {
  const regions = [...new Set(rows.map((r) => r.region))].sort();
  const bands = SIZING_BANDS.map((b) => b.name).filter((b) => rows.some((r) => r.band === b));
  const option = (v: string) => `<option value="${esc(v)}">${esc(v)}</option>`;
  const total = rows.reduce((sum, r) => sum + (r.cost ?? 0), 0);
  const rolloutList = rollouts.length
    ? `<ul>${[...rollouts]
        .reverse()
        .map((r) =>
          r.journal
            ? `<li><a href="rollouts/${esc(r.id)}.html">${esc(r.id)}</a> — ${esc(r.journal.status)}, ` +
              `${r.journal.waves.length} wave(s), ${Object.keys(r.journal.tenants).length} tenant(s), ` +
              `${esc(changesOf(r.journal.request))}</li>`
            : `<li>${esc(r.id)} — <span class="badge bad">unreadable</span> ${esc(r.error)}</li>`,
        )
        .join('\n')}</ul>`
    : '<p class="muted">No rollouts in <code>.hafleet/rollouts</code>.</p>';
  const body = `
<div class="cards">
  <div class="card"><div class="k">tenants</div><div class="v" id="count-tenants">${rows.length}</div></div>
  <div class="card"><div class="k">estimated monthly (on-demand)</div><div class="v">${money(total)}</div></div>
  <div class="card"><div class="k">guardrail errors</div><div class="v">${rows.filter((r) => r.guardrailErrors >= 1000).length} tenant(s)</div></div>
  <div class="card"><div class="k">plans losing data</div><div class="v">${rows.filter((r) => r.dataLoss > 0).length} tenant(s)</div></div>
</div>
<p class="muted">Prices: ${esc(info.priceSource)}. Each tenant's page lists every priced item and its assumptions.</p>
<div class="controls" role="search">
  <label>filter <input id="filter" type="search" placeholder="tenant, region, release…" autocomplete="off"></label>
  <label>region <select id="region"><option value="">all</option>${regions.map(option).join('')}</select></label>
  <label>band <select id="band"><option value="">all</option>${bands.map(option).join('')}</select></label>
  <span id="shown" class="muted" aria-live="polite"></span>
  <button id="prev" type="button">‹ previous</button><button id="next" type="button">next ›</button>
</div>
<div class="wide"><table id="fleet"><thead><tr id="fleet-head"></tr></thead><tbody id="fleet-body"></tbody></table></div>
<h2>Totals of the tenants shown</h2>
<div class="totals"><table id="totals-region"></table><table id="totals-band"></table></div>
<h2>Rollouts</h2>
${rolloutList}
<script type="application/json" id="fleet-data">${scriptJson(rows)}</script>`;
  return page({ title: 'hafleet fleet report', root: '.', body, generatedAt: info.generatedAt, script: CLIENT_SCRIPT });
}
