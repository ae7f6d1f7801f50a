import { renderTable, type ProgressEvent, type TenantOutcome } from '@hafleet/fleet';

/**
 * Progress goes to stderr, so stdout stays a clean table or JSON: which tenant, which step, and how
 * many are done and left, e.g. `[3/40 done, 2 running] harbour-health: plan › apply`.
 */
export function progress<T>(step: string, describe: (value: T) => string = () => 'ok') {
  let running = 0;
  return (event: ProgressEvent<T>): void => {
    if (event.kind === 'start') {
      running = event.running;
      console.error(`… ${event.tenant}: ${step} (${event.left} waiting)`);
      return;
    }
    if (event.kind === 'step') {
      console.error(`[${event.done}/${event.total} done, ${running} running] ${event.tenant}: ${step} › ${event.step}`);
      return;
    }
    running = Math.max(0, running - 1);
    const { outcome } = event;
    const what = outcome.ok ? describe(outcome.value) : 'skipped' in outcome && outcome.skipped ? 'SKIPPED' : 'FAILED';
    console.error(`[${event.done}/${event.total}] ${outcome.tenant}: ${step} ${what} (${(outcome.durationMs / 1000).toFixed(1)}s)`);
  };
}

/**
 * Prints per-tenant outcomes as a table (failures explained below it) or, with --json, as JSON.
 * Returns the exit code: 0 when every tenant succeeded, else 1.
 */
export function reportOutcomes<T>(
  outcomes: readonly TenantOutcome<T>[],
  table: { headers: string[]; row: (outcome: TenantOutcome<T>) => Array<string | number> },
  json: boolean,
): number {
  if (json) {
    const items = outcomes.map((o) => ({
      tenant: o.tenant,
      ok: o.ok,
      durationMs: Math.round(o.durationMs),
      ...(o.ok ? { result: o.value } : { error: o.error.message }),
    }));
    console.log(JSON.stringify(items, null, 2));
  } else {
    console.log(`\n${renderTable(table.headers, outcomes.map(table.row))}`);
    for (const o of outcomes) if (!o.ok) console.error(`\n${o.tenant}: ${o.error.message}`);
  }
  return outcomes.every((o) => o.ok) ? 0 : 1;
}
