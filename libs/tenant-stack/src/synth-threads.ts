import { Worker } from 'node:worker_threads';
import type { TenantSpec } from '@hafleet/tenant-spec';
import type { Settings, StagedTenant } from './stage.js';

/**
 * Synth threads: each loads cdktf, the provider bindings and the libs once, then stages tenant
 * after tenant (stage.ts) as the main thread sends them. Synthesis is CPU-bound and single-threaded
 * in cdktf, so a fleet run uses one thread per core; the main thread only dispatches, places the
 * staged stacks and reports progress. Every write is still a staging folder moved into place.
 */

/**
 * At least this many tenants per thread: starting one (loading cdktf and the provider bindings)
 * costs about as much as synthesising this many, so a smaller run is faster in one thread.
 */
export const TENANTS_PER_THREAD = 20;

/** Threads for `tenants` tenants with at most `maxParallel` at once; 1 means synthesise in this thread. */
export function synthThreadCount(tenants: number, maxParallel: number): number {
  return Math.max(1, Math.min(Math.floor(maxParallel), Math.floor(tenants / TENANTS_PER_THREAD)));
}

export interface ThreadData {
  readonly settings: Settings;
  readonly libs: string;
}
export interface ThreadJob {
  readonly id: number;
  readonly staging: string;
  readonly spec: TenantSpec;
}
export type ThreadResult =
  | { readonly id: number; readonly ok: true; readonly staged: StagedTenant }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** One thread and the job it is running (a thread runs one job at a time). */
class SynthThread {
  private readonly worker: Worker;
  private pending: { resolve: (staged: StagedTenant) => void; reject: (error: Error) => void } | undefined;
  private stopped: Error | undefined;
  private nextId = 0;

  constructor(data: ThreadData) {
    this.worker = new Worker(new URL('./synth-thread-boot.mjs', import.meta.url), { workerData: data });
    this.worker.on('message', (result: ThreadResult) => {
      const pending = this.pending;
      this.pending = undefined;
      if (result.ok) pending?.resolve(result.staged);
      else pending?.reject(Object.assign(new Error(result.message), { name: result.name }));
    });
    this.worker.on('error', (error) => this.stop(new Error(`a synth thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.stop(new Error(`a synth thread exited (code ${code})`)));
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    this.pending?.reject(error);
    this.pending = undefined;
  }

  stage(staging: string, spec: TenantSpec): Promise<StagedTenant> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ id: this.nextId++, staging, spec } satisfies ThreadJob);
    });
  }

  async close(): Promise<void> {
    this.stopped ??= new Error('the synth threads were closed');
    await this.worker.terminate();
  }
}

/**
 * Runs `work` over `items` in `count` synth threads, yielding each result as soon as it is ready
 * (completion order). `work` answers for its own item's failures; a thread that dies ends the run
 * with its error. Breaking out of the loop stops handing out items and waits for those under way.
 */
export async function* inSynthThreads<T, R>(
  items: readonly T[],
  count: number,
  data: ThreadData,
  work: (item: T, stage: (staging: string, spec: TenantSpec) => Promise<StagedTenant>) => Promise<R>,
): AsyncGenerator<R> {
  const threads = Array.from({ length: count }, () => new SynthThread(data));
  const ready: R[] = [];
  let next = 0;
  let running = threads.length;
  let stopping = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const lane = async (thread: SynthThread): Promise<void> => {
    try {
      while (!stopping && next < items.length) {
        ready.push(await work(items[next++]!, (staging, spec) => thread.stage(staging, spec)));
        wake?.();
      }
    } catch (error) {
      failure ??= error;
      stopping = true;
    } finally {
      running--;
      wake?.();
    }
  };
  const lanes = Promise.all(threads.map(lane));
  try {
    for (;;) {
      if (ready.length > 0) {
        yield ready.shift()!;
        continue;
      }
      if (running === 0) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  } finally {
    stopping = true;
    await lanes;
    await Promise.all(threads.map((t) => t.close()));
  }
}
