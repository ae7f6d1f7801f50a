import { SIZING_TABLE_HEADERS, bandRange, sizingRows } from '@hafleet/sizing';
import { resourceLabel } from '@hafleet/guardrails';
import type { TenantReport } from '../collect.js';
import { esc, money, page, table } from './html.js';

const LISTED_CHANGES = 60;

function section(title: string, id: string, content: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>\n${content}\n</section>`;
}

export function tenantPage(t: TenantReport, diagramSvg: string | undefined, info: { generatedAt: string }): string {
  const { spec } = t;
  const p = t.policy;
  const s = t.plan?.summary;
  const cards = [
    ['region', spec.region],
    ['size band', `${spec.sizing.band.name} (${bandRange(spec.sizing.band)} users)`],
    [
      'expected load',
      `${spec.expectedLoad.concurrentUsers.toLocaleString('en-US')} of ${spec.expectedLoad.population.toLocaleString('en-US')}`,
    ],
    ['profile', t.profile],
    ['release', spec.app.release ?? '—'],
    ['ring', spec.rollout.ring],
    ['estimated monthly', t.cost ? money(t.cost.monthly) : '—'],
    ['guardrails', p.errors ? `${p.errors} error(s)` : `ok (${p.passed} checks)`],
  ]
    .map(([k, v]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`)
    .join('\n');

  const diagram = diagramSvg
    ? `<div class="diagram" role="img" aria-label="architecture of ${esc(spec.name)}">${diagramSvg}</div>` +
      `<p class="muted">Drawn by Graphviz from the synthesized stack ` +
      `(<code>cdktf.out/stacks/${esc(spec.name)}/cdk.tf.json</code>), not by hand: ` +
      `min / desired / max per group, one node per database instance and cache node, ` +
      `zones and subnet ranges per tier.</p>`
    : '<p class="muted">No diagram.</p>';

  const sizing = table(
    [...SIZING_TABLE_HEADERS],
    sizingRows(spec.sizing).map((row) => ({ cells: row.map(esc) })),
  );

  const cost = t.cost
    ? `<p><strong>${money(t.cost.monthly)}</strong> a month, on-demand, ${esc(t.cost.region)}. <span class="muted">${esc(t.cost.priceSource)}</span></p>` +
      table(
        [
          'component',
          'item',
          { label: 'quantity', num: true },
          'unit',
          { label: 'unit price', num: true },
          { label: 'monthly', num: true },
          'from',
        ],
        t.cost.lines.map((l) => ({
          cells: [
            esc(l.component),
            esc(l.item),
            esc(l.quantity.toLocaleString('en-US', { maximumFractionDigits: 2 })),
            esc(l.unit),
            esc(`$${l.unitPrice}`),
            esc(money(l.monthly)),
            l.basis === 'assumption' ? `<span class="badge warn">assumed</span> ${esc(l.how)}` : esc(l.how),
          ],
        })),
        'id="cost"',
      ) +
      `<h3>Assumptions</h3><ul>${t.cost.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`
    : `<p class="badge warn">no estimate</p> <span>${esc(t.costError ?? '')}</span>`;

  const guardrails =
    `<p>${p.checks} checks of ${p.rules} rules: ` +
    `<span class="badge ok">${p.passed} passed</span> ` +
    `<span class="badge ${p.errors ? 'bad' : 'none'}">${p.errors} errors</span> ` +
    `<span class="badge ${p.warnings ? 'warn' : 'none'}">${p.warnings} warnings</span> ` +
    `<span class="badge none">${p.suppressed} suppressed</span></p>` +
    (t.findings.length
      ? table(
          ['rule', 'result', 'resource', 'what', 'fix / reason'],
          t.findings.map((o) => ({
            className: o.result === 'fail' ? 'loss' : '',
            cells: [
              esc(o.rule),
              `<span class="badge ${o.result === 'fail' ? 'bad' : 'none'}">${esc(o.result)}</span>`,
              esc(resourceLabel(o)),
              esc(o.message),
              esc(o.result === 'suppressed' ? `suppressed: ${o.reason}` : o.fix),
            ],
          })),
        )
      : '<p class="muted">No failing or suppressed checks.</p>');

  const plan = s
    ? `<p>Planned ${esc(t.plan!.plannedAt)}: <strong>${s.add}</strong> to add, ` +
      `<strong>${s.change}</strong> to change, <strong>${s.destroy}</strong> to destroy ` +
      `(${s.replace} replaced); ${s.resourceCount} resources after ` +
      'apply.' +
      (s.dataLoss.length
        ? ` <span class="badge bad">${s.dataLoss.length} stateful resource(s) replaced or destroyed: apply refuses without --allow-destroy</span>`
        : '') +
      '</p>' +
      (s.changes.length
        ? table(
            ['action', 'address', 'holds'],
            s.changes.slice(0, LISTED_CHANGES).map((c) => ({
              className: c.stateful && (c.action === 'replace' || c.action === 'delete') ? 'loss' : '',
              cells: [esc(c.action), `<code>${esc(c.address)}</code>`, esc(c.holds ?? '')],
            })),
          ) +
          (s.changes.length > LISTED_CHANGES
            ? `<p class="muted">… and ${s.changes.length - LISTED_CHANGES} more (\`npm run fleet -- show ${esc(spec.name)}\`).</p>`
            : '')
        : '<p class="muted">No changes.</p>')
    : `<p class="muted">Not planned yet: <code>npx nx run ${esc(spec.name)}:plan</code>.</p>`;

  const drift = t.drift
    ? `<p>Checked ${esc(t.drift.checkedAt)}: ` +
      (t.drift.drifted
        ? `<span class="badge bad">drifted</span> ${t.drift.resources.length} resource(s)`
        : '<span class="badge ok">in sync</span>') +
      '</p>'
    : '<p class="muted">Never checked: <code>npm run fleet -- drift</code>.</p>';

  const config = t.runtimeConfig.length
    ? table(
        ['parameter', 'type', 'value'],
        t.runtimeConfig.map((c) => ({ cells: [`<code>${esc(c.name)}</code>`, esc(c.type), esc(c.value)] })),
      )
    : '<p class="muted">The stack publishes no runtime configuration parameters.</p>';

  const rollout = t.rollout
    ? `<p><a href="../rollouts/${esc(t.rollout.id)}.html">${esc(t.rollout.id)}</a> (${esc(t.rollout.status)}): ` +
      `this tenant ${esc(t.rollout.state)}${t.rollout.step ? ` at ${esc(t.rollout.step)}` : ''}.</p>`
    : '<p class="muted">In no rollout yet.</p>';

  const body = [
    `<p class="muted">${esc(spec.displayName)} · <code>${esc(spec.domain)}</code> · ${esc(spec.environment)} · ${t.resources} resources</p>`,
    `<div class="cards">${cards}</div>`,
    section('Architecture', 'architecture', diagram),
    section('Cost estimate', 'cost-estimate', cost),
    section(
      'Sizing',
      'sizing',
      `<p>${esc(spec.sizing.band.name)} band for ` +
        `${esc(spec.expectedLoad.concurrentUsers.toLocaleString('en-US'))} concurrent users ` +
        `(<code>npm run fleet -- size ${esc(spec.name)}</code>).</p>${sizing}`,
    ),
    section('Guardrails', 'guardrails', guardrails),
    section('Last plan', 'plan', plan),
    section('Drift', 'drift', drift),
    section('Published runtime configuration', 'runtime-configuration', config),
    section('Last rollout', 'rollout', rollout),
  ].join('\n');
  return page({ title: spec.name, root: '..', body, generatedAt: info.generatedAt });
}
