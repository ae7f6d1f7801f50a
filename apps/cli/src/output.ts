import { EXIT, type ExitCode } from '@hafleet/entry-point';
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
 * Returns the exit code: ok when every tenant succeeded, else failed.
 */
export function reportOutcomes<T>(
  outcomes: readonly TenantOutcome<T>[],
  table: { headers: string[]; row: (outcome: TenantOutcome<T>) => Array<string | number> },
  json: boolean,
): ExitCode {
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
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed;
}

/** Names for a summary line: all of them up to `max`, then "… and N more" (never a wall of names). */
export function nameList(names: readonly string[], max = 20): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} … and ${names.length - max} more`;
}

/**
 * Progress of a long fleet step as one line: on a terminal a bar redrawn in place, otherwise (CI,
 * pipes) a line at every 10 %. Goes to stderr, so stdout stays the summary or JSON.
 */
export function progressLine(step: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastTenth = 0;
  let drawn = false;
  return {
    update(tenant: string, done: number, total: number): void {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.round((done / total) * width);
        stream.write(`\r\x1b[2K${step} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${seconds} s ${tenant}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${step}: ${done}/${total} (${seconds} s)\n`);
      }
    },
    end(): void {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
