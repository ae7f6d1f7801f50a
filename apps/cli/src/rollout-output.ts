import { createInterface } from 'node:readline/promises';
import { renderTable } from '@hafleet/fleet';
import { describeDeferred } from '@hafleet/terraform';
import {
  describePlan,
  formatDuration,
  type DryRunTenant,
  type JournalData,
  type PlannedRollout,
  type RolloutEvent,
  type RolloutRequest,
} from '@hafleet/rollout';

/** How the CLI shows a rollout: the waves before it starts, one progress line per event, the final table (or JSON). */

const firstLine = (s: string): string => s.split('\n')[0] ?? '';

export const describeApplyImmediately = (request: RolloutRequest): string =>
  request.applyImmediately
    ? 'database and cache changes: applied immediately (--apply-immediately), not in the maintenance window'
    : "database and cache changes: wait for each tenant's maintenance window (--apply-immediately applies them now)";

/** The plan on stderr: what changes, on how many tenants, each wave and its tenants. */
export function printWaves(planned: PlannedRollout, gates: string): void {
  const { request } = planned;
  const what = request.reapply
    ? 're-apply the current specs'
    : request.changes.map((c) => `set ${c.path}=${JSON.stringify(c.value)}`).join(', ');
  console.error(
    `rollout: ${what} on ${planned.tenants.length} tenant(s) in ${planned.waves.length} wave(s); gate: ` +
      `${gates || 'none'}; max ${request.maxParallel} at a time; halt after ${request.maxFailures} failure(s)`,
  );
  planned.waves.forEach((wave, i) => console.error(`  wave ${i + 1}/${planned.waves.length} (${wave.label}): ${wave.tenants.join(', ')}`));
  console.error(`  ${describeApplyImmediately(request)}`);
}

/** One line per dry-run tenant as it is planned. */
export const printDryRunTenant = (r: DryRunTenant): void =>
  console.error(
    `  ${r.tenant}: ${r.error ? `FAILED: ${firstLine(r.error)}` : `${describePlan(r.plan!)}${r.guard?.ok === false ? ' — guard would REFUSE' : ''}`}`,
  );

/** The dry run's table (or JSON): every wave's plans and guard verdicts. */
export function printDryRun(planned: PlannedRollout, results: readonly DryRunTenant[], json: boolean): void {
  if (json) {
    const waves = planned.waves.map((w) => ({ label: w.label, tenants: w.tenants }));
    console.log(JSON.stringify({ dryRun: true, request: planned.request, waves, tenants: results }, null, 2));
    return;
  }
  const rows = results.map((r) => [
    r.wave + 1,
    planned.waves[r.wave]!.label,
    r.tenant,
    r.specChanged === undefined ? '-' : r.specChanged ? 'changes' : 'as is',
    r.plan ? describePlan(r.plan) : 'FAILED',
    r.guard ? (r.guard.ok ? 'ok' : `REFUSE: ${r.guard.blocked.join(', ')}`) : '-',
  ]);
  console.log(`\n${renderTable(['wave', 'label', 'tenant', 'spec', 'plan', 'guard'], rows)}`);
  for (const r of results) if (r.guard && !r.guard.ok) console.error(`\n${r.guard.message}`);
  for (const r of results) if (r.error) console.error(`\n${r.tenant}: ${r.error}`);
  console.error('\ndry run: nothing was changed or applied');
}

/** One line per event on stderr: wave, tenant, step and the counts so far. */
export function progressPrinter(data: JournalData) {
  const counts = (c: { total: number; healthy: number; failed: number; applying: number }) =>
    `[${c.healthy}/${c.total} healthy, ${c.failed} failed, ${c.applying} running]`;
  return (event: RolloutEvent): void => {
    switch (event.kind) {
      case 'wave':
        console.error(`── wave ${event.wave + 1}/${event.waves} (${event.label}): ${event.tenants.join(', ')} ${counts(event.counts)}`);
        return;
      case 'wave-delay':
        console.error(`   waiting ${formatDuration(event.ms)} before wave ${event.wave + 1}`);
        return;
      case 'step':
        console.error(`${counts(event.counts)} ${event.tenant}: ${event.step}${event.detail ? ` › ${event.detail}` : ''}`);
        return;
      case 'tenant': {
        const record = data.tenants[event.tenant]!;
        const took =
          record.startedAt && record.endedAt ? ` (${formatDuration(Date.parse(record.endedAt) - Date.parse(record.startedAt))})` : '';
        const mark = event.state === 'healthy' ? '✓' : event.state === 'failed' ? '✗' : '…';
        const at = record.step && event.state !== 'healthy' ? ` at ${record.step}` : '';
        const detail = event.detail ? ` — ${firstLine(event.detail)}` : '';
        console.error(`${mark} ${event.tenant}: ${event.state.toUpperCase()}${at}${took}${detail}`);
        return;
      }
      case 'stop':
        console.error(`rollout ${event.status}: ${event.reason} ${counts(event.counts)}`);
        return;
    }
  };
}

/** The y/N question between waves; Ctrl-C while it is open interrupts the rollout like anywhere else. */
export function confirmWave(data: JournalData, interrupt: AbortSignal) {
  return async (next: { wave: number; label: string; tenants: readonly string[] }): Promise<boolean> => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT')); // readline takes the terminal's Ctrl-C
    try {
      const answer = await rl.question(
        `Continue with wave ${next.wave + 1}/${data.waves.length} (${next.label}: ${next.tenants.length} tenant(s))? [y/N] `,
        { signal: interrupt },
      );
      return /^y(es)?$/i.test(answer.trim());
    } catch {
      return false; // interrupted: the engine sees the signal
    } finally {
      rl.close();
    }
  };
}

/** The final table (or JSON) of a rollout: every tenant in wave order, where it stopped and why. */
export function printRolloutReport(data: JournalData, journalPath: string, json: boolean): void {
  const tenants = data.waves.flatMap((wave, index) =>
    wave.tenants.map((tenant) => {
      const r = data.tenants[tenant]!;
      const durationMs = r.startedAt && r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : undefined;
      return { tenant, ...r, wave: index + 1, waveLabel: wave.label, durationMs };
    }),
  );
  if (json) {
    const { checksum: _checksum, ...rest } = data;
    console.log(JSON.stringify({ ...rest, journal: journalPath, tenants }, null, 2));
    return;
  }
  const rows = tenants.map((t) => [
    t.tenant,
    `${t.wave} ${t.waveLabel}`,
    t.state,
    t.state === 'healthy' || !t.step ? '-' : t.step,
    t.plan ? describePlan(t.plan) : '-',
    t.applied ?? '-',
    t.gates?.length ? (t.gates.every((g) => g.ok) ? 'passed' : 'FAILED') : '-',
    t.durationMs === undefined ? '-' : formatDuration(t.durationMs),
    firstLine(t.error ?? t.note ?? ''),
  ]);
  console.log(`\nrollout ${data.id}: ${data.status} (journal ${journalPath})`);
  console.log(renderTable(['tenant', 'wave', 'state', 'stopped at', 'plan', 'apply', 'gate', 'time', 'note'], rows));
  const waiting = tenants.flatMap((t) => (t.plan?.deferred ?? []).map((d) => `  ${t.tenant}: ${describeDeferred(d)}`));
  if (waiting.length)
    console.log(`\nwaiting for the maintenance window (applied, but AWS makes these changes only in the window):\n${waiting.join('\n')}`);
  for (const t of tenants) if (t.state === 'failed' && t.error) console.error(`\n${t.tenant} failed at ${t.step}:\n${t.error}`);
}
