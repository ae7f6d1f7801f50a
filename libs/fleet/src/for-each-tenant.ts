/** Runs one job per tenant with at most `maxParallel` at once, reporting progress as it goes. */

export type TenantOutcome<T> =
  | { readonly tenant: string; readonly ok: true; readonly value: T; readonly durationMs: number }
  | {
      readonly tenant: string;
      readonly ok: false;
      readonly error: Error;
      readonly durationMs: number;
      /** Never started, because `stopWhen` stopped the run (the error says why). */
      readonly skipped?: true;
    };

export type ProgressEvent<T> =
  | { readonly kind: 'start'; readonly tenant: string; readonly running: number; readonly total: number; readonly left: number }
  /** A job's own step inside one tenant (init, plan, apply…), from the `step` callback. */
  | { readonly kind: 'step'; readonly tenant: string; readonly step: string; readonly done: number; readonly total: number }
  | { readonly kind: 'end'; readonly outcome: TenantOutcome<T>; readonly done: number; readonly total: number };

export interface ForEachTenantOptions<T> {
  /** Default 2 (this fleet's CI machines have two cores; terraform is CPU-bound). */
  readonly maxParallel?: number;
  readonly onProgress?: (event: ProgressEvent<T>) => void;
  /** Start no further tenant once an outcome matches (those left become skipped). Default: never. */
  readonly stopWhen?: (outcome: TenantOutcome<T>) => boolean;
}

/** The error of a tenant that was never started. */
export class SkippedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkippedError';
  }
}

export async function forEachTenant<T>(
  tenants: readonly string[],
  job: (tenant: string, step: (name: string) => void) => Promise<T>,
  options: ForEachTenantOptions<T> = {},
): Promise<TenantOutcome<T>[]> {
  const maxParallel = Math.max(1, options.maxParallel ?? 2);
  const total = tenants.length;
  const outcomes: TenantOutcome<T>[] = new Array(total);
  let next = 0;
  let running = 0;
  let done = 0;
  let stoppedBy: string | undefined;
  const worker = async () => {
    while (next < total && stoppedBy === undefined) {
      const index = next++;
      const tenant = tenants[index]!;
      running++;
      options.onProgress?.({ kind: 'start', tenant, running, total, left: total - next });
      const step = (name: string) => options.onProgress?.({ kind: 'step', tenant, step: name, done, total });
      const started = performance.now();
      let outcome: TenantOutcome<T>;
      try {
        outcome = { tenant, ok: true, value: await job(tenant, step), durationMs: performance.now() - started };
      } catch (error) {
        const asError = error instanceof Error ? error : new Error(String(error));
        outcome = { tenant, ok: false, error: asError, durationMs: performance.now() - started };
      }
      running--;
      outcomes[index] = outcome;
      if (stoppedBy === undefined && options.stopWhen?.(outcome)) stoppedBy = tenant;
      options.onProgress?.({ kind: 'end', outcome, done: ++done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallel, total) }, worker));
  for (let index = 0; index < total; index++) {
    if (outcomes[index]) continue;
    const error = new SkippedError(`not started: the run stopped after ${stoppedBy}`);
    outcomes[index] = { tenant: tenants[index]!, ok: false, error, durationMs: 0, skipped: true };
  }
  return outcomes;
}
