import type { JournalData } from '@hafleet/rollout';
import { esc, page } from './html.js';

const STEP_NAMES = ['spec', 'synth', 'plan', 'guard', 'apply', 'gate'];
const STATE_BADGE: Record<string, string> = { healthy: 'ok', failed: 'bad', applying: 'warn', pending: 'none', skipped: 'none' };

const seconds = (ms: number) =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** One rollout journal as a timeline: a row per tenant, grouped by wave, its steps as bars on one time axis. */
export function rolloutPage(id: string, journal: JournalData, info: { generatedAt: string }): string {
  const times = Object.values(journal.tenants).flatMap((t) =>
    t.steps.flatMap((s) => [Date.parse(s.startedAt), Date.parse(s.endedAt ?? journal.updatedAt)]),
  );
  const start = Math.min(Date.parse(journal.createdAt), ...times);
  const end = Math.max(Date.parse(journal.updatedAt), ...times, start + 1);
  const span = end - start;
  const pct = (t: number) => ((t - start) / span) * 100;

  const waves = journal.waves
    .map((wave, w) => {
      const rows = wave.tenants
        .map((tenant) => {
          const record = journal.tenants[tenant]!;
          const bars = record.steps
            .map((s) => {
              const from = Date.parse(s.startedAt);
              const to = Date.parse(s.endedAt ?? journal.updatedAt);
              const cls = s.ok === false ? 'step-failed' : `step-${s.step}`;
              const title = `${tenant} ${s.step}: ${seconds(to - from)}${s.ok === false ? ' FAILED' : ''}${s.detail ? ` — ${s.detail}` : ''}`;
              return (
                `<div class="tl-step ${cls}" style="left:${pct(from).toFixed(3)}%;width:${Math.max(0.2, pct(to) - pct(from)).toFixed(3)}%" ` +
                `title="${esc(title)}"></div>`
              );
            })
            .join('');
          const took = record.startedAt && record.endedAt ? seconds(Date.parse(record.endedAt) - Date.parse(record.startedAt)) : '';
          const badge = `<span class="badge ${STATE_BADGE[record.state] ?? 'none'}">${esc(record.state)}</span>`;
          const error = record.error ? `<div class="muted" style="margin-left:228px">${esc(record.error)}</div>` : '';
          return (
            `<div class="tl-row" data-tenant="${esc(tenant)}">` +
            `<div><a href="../tenants/${esc(tenant)}.html">${esc(tenant)}</a></div>` +
            `<div class="tl-track">${bars}</div>` +
            `<div>${badge} ${esc(took)}</div>` +
            `</div>${error}`
          );
        })
        .join('\n');
      return (
        `<h3>wave ${w + 1}: ${esc(wave.label)} (${wave.tenants.length} tenant${wave.tenants.length === 1 ? '' : 's'})</h3>\n` +
        `<div class="timeline">${rows}</div>`
      );
    })
    .join('\n');

  const changes =
    journal.request.changes.map((c) => `<code>${esc(c.path)}=${esc(JSON.stringify(c.value))}</code>`).join(' ') ||
    (journal.request.reapply ? 'reapply' : '—');
  const legend =
    STEP_NAMES.map((s) => `<span><i class="step-${s}"></i>${s}</span>`).join('') + '<span><i class="step-failed"></i>failed step</span>';
  const resume = `Resume with <code>npm run fleet -- rollout --resume ${esc(id)}</code>.`;
  const body = `
<div class="cards">
  <div class="card"><div class="k">status</div><div class="v">${esc(journal.status)}</div></div>
  <div class="card"><div class="k">changes</div><div class="v" style="font-size:14px">${changes}</div></div>
  <div class="card"><div class="k">waves</div><div class="v">${journal.waves.length} (${esc(journal.request.waves)})</div></div>
  <div class="card"><div class="k">started</div><div class="v" style="font-size:14px">${esc(journal.createdAt)}</div></div>
  <div class="card"><div class="k">duration</div><div class="v">${seconds(span)}</div></div>
</div>
${journal.stopReason ? `<p><span class="badge bad">stopped</span> ${esc(journal.stopReason)}</p>` : ''}
<p class="legend">${legend}</p>
${waves}
<p class="muted">From <code>.hafleet/rollouts/${esc(id)}.json</code> (checksum verified). ${resume}</p>`;
  return page({ title: `rollout ${id}`, root: '..', body, generatedAt: info.generatedAt });
}
