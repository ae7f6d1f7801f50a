/** Messages between a batch executor and its worker (IPC). */

export type TenantStep = 'synth' | 'validate' | 'plan';

export interface WorkerRequest {
  readonly step: TenantStep;
  readonly tenants: readonly string[];
  readonly maxParallel: number;
  readonly workspaceRoot: string;
}

export type WorkerMessage = {
  readonly kind: 'result';
  readonly tenant: string;
  readonly ok: boolean;
  /** The task's terminal output (what Nx caches and replays for it). */
  readonly output: string;
  readonly startTime: number;
  readonly endTime: number;
};
