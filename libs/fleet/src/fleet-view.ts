import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '@hafleet/fs-safe';
import { describeDeferred, describeWindow } from '@hafleet/terraform';
import { ALLOW_DESTROY_FLAG, describeLoss } from './guard.js';
import type { SavedPlanRecord } from './plan.js';
import { renderTable } from './table.js';

/** One tenant in the fleet view of a plan run: its plan, or why it has none. */
export interface FleetPlanEntry {
  readonly tenant: string;
  readonly plan?: Pick<SavedPlanRecord, 'plannedAt' | 'summary'>;
  /** Set when the tenant failed to plan (or has no usable saved plan). */
  readonly error?: string;
}

export const FLEET_PLAN_JSON = 'plan-summary.json';
export const FLEET_PLAN_MARKDOWN = 'plan-summary.md';
/** GitHub refuses comments over 65,536 characters; leave room for the header the workflow adds. */
const MARKDOWN_LIMIT = 60_000;
/** Changes listed per tenant in the markdown; replacements and deletions are always all listed. */
const LISTED_CHANGES = 40;

function verdict(entry: FleetPlanEntry): string {
  if (!entry.plan) return 'FAILED';
  const s = entry.plan.summary;
  if (s.dataLoss.length > 0) return 'DATA LOSS — apply refuses';
  if (s.add + s.change + s.destroy + s.forget === 0 && s.outputChanges.length === 0) return 'no changes';
  const waiting = (s.deferred ?? []).length;
  return waiting ? `changes; ${waiting} wait${waiting === 1 ? 's' : ''} for the maintenance window` : 'changes';
}

/** The terminal view: one row per tenant. */
export function renderPlanTable(entries: readonly FleetPlanEntry[]): string {
  return renderTable(
    ['tenant', 'add', 'change', 'destroy', 'replace', 'data loss', 'result'],
    entries.map((e) => {
      const s = e.plan?.summary;
      return s
        ? [e.tenant, s.add, s.change, s.destroy, s.replace, s.dataLoss.length, verdict(e)]
        : [e.tenant, '-', '-', '-', '-', '-', verdict(e)];
    }),
  );
}

/** Lines naming every stateful resource a plan would replace or destroy, with the allowance. */
export function dataLossLines(entries: readonly FleetPlanEntry[]): string[] {
  return entries.flatMap((e) =>
    (e.plan?.summary.dataLoss ?? []).map(
      (c) => `${e.tenant}: ${describeLoss(c)} (allow with ${ALLOW_DESTROY_FLAG} ${e.tenant}:${c.address})`,
    ),
  );
}

/** Lines naming every database or cache update AWS holds until the resource's maintenance window. */
export function deferredLines(entries: readonly FleetPlanEntry[]): string[] {
  return entries.flatMap((e) => (e.plan?.summary.deferred ?? []).map((d) => `${e.tenant}: ${describeDeferred(d)}`));
}

/** What a person must know under the plan table: data apply would refuse to lose, and changes that wait for a window. */
export function planNotes(entries: readonly FleetPlanEntry[]): string[] {
  const block = (title: string, lines: readonly string[]) => (lines.length ? [`${title}\n${lines.map((l) => `  ${l}`).join('\n')}`] : []);
  return [
    ...block('stateful resources replaced or destroyed — apply refuses these without --allow-destroy:', dataLossLines(entries)),
    ...block(
      'waiting for the maintenance window — apply succeeds, but AWS makes these changes only in the window ' +
        '(fleet rollout --apply-immediately applies them at once):',
      deferredLines(entries),
    ),
  ];
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A pull-request comment: totals, the table, data loss first, then each tenant's changes folded. */
export function renderPlanMarkdown(entries: readonly FleetPlanEntry[], options: { title?: string } = {}): string {
  const planned = entries.filter((e) => e.plan);
  const losses = entries.flatMap((e) => (e.plan?.summary.dataLoss ?? []).map((c) => ({ tenant: e.tenant, change: c })));
  const failed = entries.filter((e) => !e.plan);
  const sum = (pick: (s: SavedPlanRecord['summary']) => number) => planned.reduce((n, e) => n + pick(e.plan!.summary), 0);
  const lines = [
    `### ${options.title ?? 'hafleet plan'}: ${entries.length} tenant${entries.length === 1 ? '' : 's'}`,
    '',
    `**${sum((s) => s.add)}** to add, **${sum((s) => s.change)}** to change, **${sum((s) => s.destroy)}** to destroy` +
      ` (${sum((s) => s.replace)} replacements)` +
      (losses.length
        ? ` · :warning: **${losses.length} stateful resource${losses.length === 1 ? '' : 's'} replaced or destroyed**`
        : ' · no data loss') +
      (failed.length ? ` · :x: **${failed.length} failed**` : ''),
    '',
    '| tenant | add | change | destroy | replace | data loss | result |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...entries.map((e) => {
      const s = e.plan?.summary;
      const counts = s ? [s.add, s.change, s.destroy, s.replace, s.dataLoss.length] : ['–', '–', '–', '–', '–'];
      return `| ${cell(e.tenant)} | ${counts.join(' | ')} | ${verdict(e)} |`;
    }),
  ];
  if (losses.length) {
    lines.push('', '#### :warning: Data that apply would lose', '', 'Apply refuses these unless the run allows each one exactly:', '');
    for (const { tenant, change } of losses)
      lines.push(
        `- **${cell(tenant)}**: ${change.action} ${code(change.address)} — ` +
          `${cell(change.holds ?? change.type)}; ` +
          `allow with ${code(`${ALLOW_DESTROY_FLAG} ${tenant}:${change.address}`)}`,
      );
  }
  const deferred = entries.flatMap((e) => (e.plan?.summary.deferred ?? []).map((d) => ({ tenant: e.tenant, change: d })));
  if (deferred.length) {
    lines.push(
      '',
      '#### :hourglass: Waiting for the maintenance window',
      '',
      'Apply succeeds, but AWS makes these changes only in the window (`fleet rollout --apply-immediately` applies them at once):',
      '',
    );
    for (const { tenant, change } of deferred)
      lines.push(`- **${cell(tenant)}**: ${code(change.address)} (${change.attributes.map(code).join(', ')}) ${describeWindow(change)}`);
  }
  if (failed.length) {
    lines.push('', '#### :x: Failed', '');
    for (const e of failed)
      lines.push(`<details><summary>${cell(e.tenant)}</summary>`, '', '```', (e.error ?? 'failed').slice(0, 3000), '```', '</details>');
  }
  for (const e of planned) {
    const s = e.plan!.summary;
    const changes = s.changes.filter((c) => c.action !== 'read');
    if (changes.length === 0) continue;
    // Destructive changes first, so the cap never hides one.
    const ordered = [
      ...changes.filter((c) => c.action === 'replace' || c.action === 'delete'),
      ...changes.filter((c) => c.action !== 'replace' && c.action !== 'delete'),
    ];
    const shown = ordered.filter((c, i) => i < LISTED_CHANGES || c.action === 'replace' || c.action === 'delete');
    lines.push(
      '',
      `<details><summary>${cell(e.tenant)}: ${changes.length} change${changes.length === 1 ? '' : 's'}, planned ${e.plan!.plannedAt}</summary>`,
      '',
    );
    const waits = new Map((s.deferred ?? []).map((d) => [d.address, d]));
    for (const c of shown) {
      const deferral = waits.get(c.address);
      lines.push(
        `- ${c.action}${c.stateful ? ' **(stateful)**' : ''} ${code(c.address)}${deferral ? ` — ${describeWindow(deferral)}` : ''}`,
      );
    }
    if (shown.length < changes.length) lines.push(`- … and ${changes.length - shown.length} more (full list in plan-summary.json)`);
    lines.push('', '</details>');
  }
  const text = `${lines.join('\n')}\n`;
  return text.length <= MARKDOWN_LIMIT
    ? text
    : `${text.slice(0, MARKDOWN_LIMIT)}\n\n… cut to fit a comment: the full summary is in plan-summary.json\n`;
}

/** Writes `.hafleet/plan-summary.json` and `.hafleet/plan-summary.md` (each atomically). */
export function writeFleetPlanView(workspaceRoot: string, entries: readonly FleetPlanEntry[]): { jsonFile: string; markdownFile: string } {
  const dir = join(workspaceRoot, '.hafleet');
  const jsonFile = join(dir, FLEET_PLAN_JSON);
  const markdownFile = join(dir, FLEET_PLAN_MARKDOWN);
  writeJsonAtomic(jsonFile, {
    generatedAt: new Date().toISOString(),
    tenants: entries.map((e) =>
      e.plan
        ? { tenant: e.tenant, plannedAt: e.plan.plannedAt, summary: e.plan.summary }
        : { tenant: e.tenant, error: e.error ?? 'failed' },
    ),
  });
  writeFileAtomic(markdownFile, renderPlanMarkdown(entries));
  return { jsonFile, markdownFile };
}
