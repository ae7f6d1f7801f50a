import { spawn } from 'node:child_process';
import { formatDuration } from '../durations.js';
import type { CommandGateConfig, GateResult, GateTarget, HealthGate } from './gate.js';
import { healthUrl } from './http-gate.js';

const OUTPUT_TAIL = 400;

/** The tenant's fields as the command gate's environment. */
export function gateEnvironment(target: GateTarget): Record<string, string> {
  const { spec } = target;
  return {
    HAFLEET_TENANT: spec.name,
    HAFLEET_DOMAIN: spec.domain,
    HAFLEET_REGION: spec.region,
    HAFLEET_ENVIRONMENT: spec.environment,
    HAFLEET_RING: spec.rollout.ring,
    HAFLEET_RELEASE: spec.app.release ?? '',
    HAFLEET_AMI_ID: spec.app.amiId,
    HAFLEET_HEALTH_CHECK_PATH: spec.app.healthCheckPath,
    HAFLEET_HEALTH_URL: healthUrl(spec),
    HAFLEET_ROLLOUT_ID: target.rolloutId,
    HAFLEET_WAVE: target.wave,
    /** Everything else: the whole spec, defaults filled in. */
    HAFLEET_SPEC: JSON.stringify(spec),
  };
}

/**
 * Runs a shell command per tenant; exit 0 is healthy. The command runs in its own process group,
 * so a timeout or an interrupt stops it and everything it started.
 */
export class CommandGate implements HealthGate {
  readonly name = 'command';

  constructor(private readonly config: CommandGateConfig) {}

  check(target: GateTarget): Promise<GateResult> {
    const { command, timeoutMs } = this.config;
    return new Promise((resolve) => {
      let output = '';
      let stoppedBy: string | undefined;
      const child = spawn('/bin/sh', ['-c', command], {
        env: { ...process.env, ...gateEnvironment(target) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL * 2));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const stop = (why: string) => {
        stoppedBy ??= why;
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => stop(`timed out after ${formatDuration(timeoutMs)}`), timeoutMs);
      const onAbort = () => stop('interrupted');
      target.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ ok: false, detail: `\`${command}\` could not start: ${error.message}` });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        target.signal.removeEventListener('abort', onAbort);
        const tail = output.trim().split('\n').slice(-3).join(' | ').slice(-OUTPUT_TAIL);
        const said = tail ? `: ${tail}` : '';
        if (stoppedBy) return resolve({ ok: false, detail: `\`${command}\` ${stoppedBy}${said}` });
        if (code === 0) return resolve({ ok: true, detail: `\`${command}\` exited 0${said}` });
        resolve({ ok: false, detail: `\`${command}\` ${signal ? `was killed by ${signal}` : `exited ${code}`}${said}` });
      });
    });
  }
}
