/** Runs one job per tenant with at most `maxParallel` at once, reporting progress as it goes. */

export type TenantOutcome<T> =
  | { readonly tenant: string; readonly ok: true; readonly value: T; readonly durationMs: number }
  | { readonly tenant: string; readonly ok: false; readonly error: Error; readonly durationMs: number };

export type ProgressEvent<T> =
  | { readonly kind: 'start'; readonly tenant: string; readonly running: number; readonly total: number }
  | { readonly kind: 'end'; readonly outcome: TenantOutcome<T>; readonly done: number; readonly total: number };

export interface ForEachTenantOptions<T> {
  /** Default 2 (this fleet's CI machines have two cores; terraform is CPU-bound). */
  readonly maxParallel?: number;
  readonly onProgress?: (event: ProgressEvent<T>) => void;
}

export async function forEachTenant<T>(
  tenants: readonly string[],
  job: (tenant: string) => Promise<T>,
  options: ForEachTenantOptions<T> = {},
): Promise<TenantOutcome<T>[]> {
  const maxParallel = Math.max(1, options.maxParallel ?? 2);
  const outcomes: TenantOutcome<T>[] = new Array(tenants.length);
  let next = 0;
  let running = 0;
  let done = 0;
  const worker = async () => {
    while (next < tenants.length) {
      const index = next++;
      const tenant = tenants[index]!;
      running++;
      options.onProgress?.({ kind: 'start', tenant, running, total: tenants.length });
      const started = performance.now();
      let outcome: TenantOutcome<T>;
      try {
        outcome = { tenant, ok: true, value: await job(tenant), durationMs: performance.now() - started };
      } catch (error) {
        const asError = error instanceof Error ? error : new Error(String(error));
        outcome = { tenant, ok: false, error: asError, durationMs: performance.now() - started };
      }
      running--;
      outcomes[index] = outcome;
      options.onProgress?.({ kind: 'end', outcome, done: ++done, total: tenants.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallel, tenants.length) }, worker));
  return outcomes;
}
