import type { TenantSpec } from '@hafleet/tenant-spec';
import { formatDuration, sleep } from '../durations.js';
import { RolloutInputError } from '../errors.js';
import type { GateResult, GateTarget, HealthGate, HttpGateConfig } from './gate.js';

/** The URL the HTTP gate probes for a tenant: base (default `https://<domain>`) + health path. */
export function healthUrl(spec: TenantSpec, baseUrl?: string): string {
  const base = (baseUrl ?? 'https://{domain}').replaceAll('{tenant}', spec.name).replaceAll('{domain}', spec.domain);
  return `${base.replace(/\/+$/, '')}${spec.app.healthCheckPath}`;
}

/** "200", "200,204", "200-399" → a predicate; throws RolloutInputError when malformed. */
export function statusMatcher(expect: string): (status: number) => boolean {
  const ranges = expect.split(',').map((part) => {
    const match = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
    if (!match) throw new RolloutInputError(`--gate-status "${expect}" is not a status list — fix: e.g. 200, 200,204 or 200-399`);
    return [Number(match[1]), Number(match[2] ?? match[1])] as const;
  });
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

type Probe = { ok: true; status: number } | { ok: false; reason: string };

/**
 * GETs the tenant's health URL until it answers an expected status, `retries` more times after
 * the first failure, `intervalMs` apart, each attempt bounded by `timeoutMs`. Redirects are not
 * followed: a health endpoint that redirects is reported, not trusted.
 */
export class HttpGate implements HealthGate {
  readonly name = 'http';
  private readonly healthy: (status: number) => boolean;

  constructor(private readonly config: HttpGateConfig) {
    this.healthy = statusMatcher(config.expectStatus);
  }

  async check(target: GateTarget): Promise<GateResult> {
    const url = healthUrl(target.spec, this.config.baseUrl);
    const attempts = this.config.retries + 1;
    const reasons: string[] = [];
    for (let attempt = 1; attempt <= attempts && !target.signal.aborted; attempt++) {
      const probe = await this.probe(url, target.signal);
      if (probe.ok) return { ok: true, detail: `GET ${url} → ${probe.status} (attempt ${attempt} of ${attempts})` };
      reasons.push(probe.reason);
      if (attempt < attempts) await sleep(this.config.intervalMs, target.signal);
    }
    const last = reasons.at(-1) ?? 'interrupted';
    const interrupted = target.signal.aborted ? ', interrupted' : '';
    return { ok: false, detail: `GET ${url}: ${last} (${reasons.length} of ${attempts} attempts failed${interrupted})` };
  }

  private async probe(url: string, stop: AbortSignal): Promise<Probe> {
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const response = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.any([stop, timeout]),
        headers: { 'user-agent': 'hafleet-rollout-gate' },
      });
      await response.body?.cancel(); // only the status matters; free the connection
      if (this.healthy(response.status)) return { ok: true, status: response.status };
      return { ok: false, reason: `got ${response.status}, expected ${this.config.expectStatus}` };
    } catch (error) {
      if (timeout.aborted) return { ok: false, reason: `no answer within ${formatDuration(this.config.timeoutMs)}` };
      if (stop.aborted) return { ok: false, reason: 'interrupted' };
      return { ok: false, reason: describeFetchError(error) };
    }
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    default:
      return cause?.message ?? (error as Error).message;
  }
}
