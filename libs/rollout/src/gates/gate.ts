import type { TenantSpec } from '@hafleet/tenant-spec';

/**
 * A health gate decides, after a tenant's apply, whether the rollout may go on. Gates are
 * pluggable: the engine only calls `check`. Built in: `http`, `aws`, `command:<shell command>`.
 */

/** What a gate checks: one tenant, right after its apply. */
export interface GateTarget {
  readonly tenant: string;
  /** The tenant's spec after the rollout's change, defaults filled in. */
  readonly spec: TenantSpec;
  readonly rolloutId: string;
  /** Label of the tenant's wave, e.g. "canary" or "10%". */
  readonly wave: string;
  /** When this tenant's apply started (ISO): what happened before it is not this rollout's doing. */
  readonly appliedSince: string;
  /** The stack's terraform outputs (read on demand). */
  readonly outputs: () => Promise<Record<string, unknown>>;
  /** Aborted when the rollout is interrupted: stop waiting and report. */
  readonly signal: AbortSignal;
}

export interface GateResult {
  readonly ok: boolean;
  /** One line for the journal and the report: what was checked and what was seen. */
  readonly detail: string;
}

export interface HealthGate {
  /** Shown in progress and the report, e.g. "http" or "command". */
  readonly name: string;
  check(target: GateTarget): Promise<GateResult>;
}

/** HTTP: GET `https://<domain><app.healthCheckPath>` until it answers an expected status. */
export interface HttpGateConfig {
  readonly kind: 'http';
  /**
   * Instead of `https://<domain>`, e.g. a staging proxy or a local server in tests. `{tenant}` and
   * `{domain}` are replaced. Default: `https://{domain}`.
   */
  readonly baseUrl?: string;
  /** Statuses that count as healthy: "200", "200,204" or "200-399". Default "200". */
  readonly expectStatus: string;
  /** Further attempts after the first fails. Default 5. */
  readonly retries: number;
  /** Pause between attempts. Default 5 s. */
  readonly intervalMs: number;
  /** Per attempt. Default 10 s. */
  readonly timeoutMs: number;
}

/** AWS: the web ASG's instance refresh finished successfully and every target is healthy. */
export interface AwsGateConfig {
  readonly kind: 'aws';
  /** How long to wait for the refresh and the targets. Default 30 min. */
  readonly timeoutMs: number;
  /** Between polls. Default 15 s. */
  readonly intervalMs: number;
}

/** Any command: exit 0 is healthy. The tenant's fields arrive as HAFLEET_* variables. */
export interface CommandGateConfig {
  readonly kind: 'command';
  /** Run by /bin/sh. */
  readonly command: string;
  /** Killed after this. Default 5 min. */
  readonly timeoutMs: number;
}

/** `--gate none`: nothing checked (the report says so). */
export interface NoGateConfig {
  readonly kind: 'none';
}

export type GateConfig = HttpGateConfig | AwsGateConfig | CommandGateConfig | NoGateConfig;
