import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import type { WorkerMessage, WorkerRequest, TenantStep } from './worker-protocol.js';

/**
 * What every hafleet batch executor shares: Nx hands a batch of tenant tasks of one target to one
 * process; here that process forks one tsx worker (the libs are ESM TypeScript, which Nx's
 * CommonJS executor loader cannot run: cdktf's class hierarchy does not survive the conversion),
 * which loads cdktf, the provider bindings and the fleet once for the whole batch. Each task still
 * gets its own result as soon as it is known, so Nx caches and restores each tenant on its own.
 */

export interface TenantTaskOptions {
  /** Tenants at once inside the batch (terraform is CPU-bound). */
  readonly maxParallel?: number;
}

/** One task's result as Nx's batch runner expects it. */
export interface BatchTaskResult {
  readonly task: string;
  readonly result: { success: boolean; terminalOutput: string; startTime?: number; endTime?: number };
}

/** Default parallelism inside a batch: the target's maxParallel, else HAFLEET_MAX_PARALLEL, else 2 (two-core CI runners). */
export function batchParallelism(options: Record<string, TenantTaskOptions>): number {
  const fromOptions = Object.values(options)
    .map((o) => o.maxParallel)
    .find((n) => typeof n === 'number');
  const fromEnv = Number(process.env['HAFLEET_MAX_PARALLEL']);
  const value = fromOptions ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 2);
  return Math.max(1, Math.floor(value));
}

/**
 * Runs `step` for the batch's tenants in one worker and yields each task's result as the worker
 * reports it. Progress is a count line on stderr (every 5 %, and each failure by name), never a
 * line per tenant. A task the worker never reported fails with the reason.
 */
export async function* tenantBatch(
  step: TenantStep,
  taskGraph: TaskGraph,
  options: Record<string, TenantTaskOptions>,
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  const tasks = new Map(Object.values(taskGraph.tasks).map((task) => [task.target.project, task.id]));
  const total = tasks.size;
  const every = Math.max(1, Math.ceil(total / 20));
  const queue: BatchTaskResult[] = [];
  const reported = new Set<string>();
  const batchStart = Date.now();
  let failed = 0;
  let finished = false;
  let crash = '';
  let wake: (() => void) | undefined;

  const worker = fork(join(__dirname, 'worker.ts'), [], {
    cwd: context.root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind !== 'result' || !tasks.has(message.tenant) || reported.has(message.tenant)) return;
    reported.add(message.tenant);
    if (!message.ok) {
      failed++;
      process.stderr.write(`${step}: ${message.tenant} FAILED\n`);
    }
    if (reported.size % every === 0 || reported.size === total) {
      process.stderr.write(
        `${step}: ${reported.size}/${total} done${failed ? `, ${failed} failed` : ''} (${((Date.now() - batchStart) / 1000).toFixed(0)} s)\n`,
      );
    }
    const result = {
      success: message.ok,
      terminalOutput: `${message.output.trimEnd()}\n`,
      startTime: message.startTime,
      endTime: message.endTime,
    };
    queue.push({ task: tasks.get(message.tenant)!, result });
    wake?.();
  });
  worker.on('error', (error) => (crash = error.message));
  worker.on('exit', (code, signal) => {
    if (code !== 0) crash ||= `the ${step} worker exited with ${signal ?? `code ${code}`}`;
    finished = true;
    wake?.();
  });
  const request: WorkerRequest = { step, tenants: [...tasks.keys()], maxParallel: batchParallelism(options), workspaceRoot: context.root };
  worker.send(request);

  while (!finished || queue.length > 0) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  const why = crash || 'the batch ended without a result for it';
  for (const [tenant, task] of tasks) {
    if (!reported.has(tenant)) yield { task, result: { success: false, terminalOutput: `${tenant}: ${step} failed: ${why}\n` } };
  }
}

/** A batch executor for one step: what executors.json names as `batchImplementation`. */
export const batchExecutor =
  (step: TenantStep) =>
  (
    taskGraph: TaskGraph,
    options: Record<string, TenantTaskOptions>,
    _overrides: TenantTaskOptions,
    context: ExecutorContext,
  ): AsyncGenerator<BatchTaskResult> =>
    tenantBatch(step, taskGraph, options, context);

/** One task on its own (`nx run <tenant>:<target>` with batching off), through the same worker. */
export const singleExecutor =
  (step: TenantStep) =>
  async (options: TenantTaskOptions, context: ExecutorContext): Promise<{ success: boolean }> => {
    const project = context.projectName!;
    const id = `${project}:${context.targetName}`;
    const task = { id, target: { project, target: context.targetName! }, overrides: {}, outputs: [], parallelism: true };
    const taskGraph = {
      roots: [id],
      tasks: { [id]: task },
      dependencies: { [id]: [] },
      continuousDependencies: { [id]: [] },
    } as unknown as TaskGraph;
    let success = true;
    for await (const { result } of tenantBatch(step, taskGraph, { [id]: options }, context)) {
      process.stdout.write(result.terminalOutput);
      success &&= result.success;
    }
    return { success };
  };
