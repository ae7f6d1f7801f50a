import { parseDuration } from '../durations.js';
import { RolloutInputError } from '../errors.js';
import { AwsGate, type AwsGateOptions } from './aws-gate.js';
import { CommandGate } from './command-gate.js';
import type { GateConfig, HealthGate } from './gate.js';
import { HttpGate, statusMatcher } from './http-gate.js';

export * from './aws-gate.js';
export * from './command-gate.js';
export * from './gate.js';
export * from './http-gate.js';

/** The `--gate*` options as given. */
export interface GateOptionsInput {
  /** `http`, `aws`, `command:<shell command>` or `none`; several gates all have to pass. */
  readonly gates: readonly string[];
  readonly baseUrl?: string;
  readonly status?: string;
  readonly retries?: string;
  readonly interval?: string;
  readonly timeout?: string;
}

export const GATE_KINDS = 'http, aws, command:<shell command> or none';

/** Parses the gate options into the configs a journal records; every mistake is a RolloutInputError. */
export function gateConfigs(input: GateOptionsInput): GateConfig[] {
  const specs = input.gates.length ? input.gates : ['http'];
  const interval = input.interval === undefined ? undefined : parseDuration(input.interval, '--gate-interval');
  const timeout = input.timeout === undefined ? undefined : parseDuration(input.timeout, '--gate-timeout');
  const configs = specs.map((spec): GateConfig => {
    if (spec === 'none') return { kind: 'none' };
    if (spec === 'http') {
      const retries = input.retries === undefined ? 5 : Number(input.retries);
      if (!Number.isInteger(retries) || retries < 0)
        throw new RolloutInputError(`--gate-retries "${input.retries}" must be a whole number ≥ 0 — fix: e.g. --gate-retries 5`);
      const expectStatus = input.status ?? '200';
      statusMatcher(expectStatus);
      if (input.baseUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(input.baseUrl)) {
        throw new RolloutInputError(
          `--gate-base-url "${input.baseUrl}" is not an http(s) URL — fix: e.g. --gate-base-url https://{domain} or http://127.0.0.1:8080/{tenant}`,
        );
      }
      return {
        kind: 'http',
        ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        expectStatus,
        retries,
        intervalMs: interval ?? 5_000,
        timeoutMs: timeout ?? 10_000,
      };
    }
    if (spec === 'aws') return { kind: 'aws', intervalMs: interval ?? 15_000, timeoutMs: timeout ?? 30 * 60_000 };
    if (spec.startsWith('command:') && spec.slice('command:'.length).trim()) {
      return { kind: 'command', command: spec.slice('command:'.length).trim(), timeoutMs: timeout ?? 5 * 60_000 };
    }
    throw new RolloutInputError(`--gate "${spec}" is not a gate — fix: ${GATE_KINDS}`);
  });
  if (configs.some((c) => c.kind === 'none') && configs.length > 1) {
    throw new RolloutInputError('--gate none cannot be combined with other gates — fix: drop --gate none');
  }
  return configs;
}

export interface GateFactoryOptions {
  readonly aws?: AwsGateOptions;
}

export function createGates(configs: readonly GateConfig[], options: GateFactoryOptions = {}): HealthGate[] {
  return configs.flatMap((config): HealthGate[] => {
    switch (config.kind) {
      case 'none':
        return [];
      case 'http':
        return [new HttpGate(config)];
      case 'aws':
        return [new AwsGate(config, options.aws)];
      case 'command':
        return [new CommandGate(config)];
    }
  });
}

/** "http, command" for the progress line and the report. */
export const describeGates = (configs: readonly GateConfig[]): string =>
  configs.map((c) => (c.kind === 'command' ? `command \`${c.command}\`` : c.kind)).join(' + ');
