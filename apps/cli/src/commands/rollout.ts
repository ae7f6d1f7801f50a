import { createInterface } from 'node:readline/promises';
import { InvalidAllowanceError, parseAllowances, renderTable } from '@hafleet/fleet';
import { describeDeferred } from '@hafleet/terraform';
import {
  RolloutInputError,
  RolloutJournal,
  createGates,
  describeGates,
  describePlan,
  dryRunRollout,
  executeRollout,
  formatDuration,
  gateConfigs,
  parseDuration,
  parseSetArgument,
  planRollout,
  signalExitCode,
  startRollout,
  stopOnSignals,
  workspaceDriver,
  type DryRunTenant,
  type GateFactoryOptions,
  type JournalData,
  type PlannedRollout,
  type RolloutEvent,
  type RolloutRequest,
  type SandboxableDriver,
} from '@hafleet/rollout';
import { ALLOW_DESTROY_OPTION } from '../allow-destroy-option.js';
import { EXIT, JSON_OPTION, UsageError, defineCommand, type Command, type CommandInput } from '../command.js';
import type { OptionDefs } from '../options.js';

type OptionValues = Readonly<Record<string, unknown>>;

/** What a check of one value says: undefined when valid, else the library's own message. */
const checked = (parse: (value: string) => unknown) => (value: string): string | undefined => {
  try {
    parse(value);
    return undefined;
  } catch (error) {
    if (error instanceof RolloutInputError) return error.message;
    throw error;
  }
};

const ROLLOUT_OPTIONS = {
  set: { type: 'string', value: 'field=value', multiple: true, description: 'the spec change: a dotted spec path, typed by the schema (numbers, true/false, JSON for lists)', example: 'app.release=2025.4.0', check: checked(parseSetArgument) },
  reapply: { type: 'boolean', description: 're-apply the current specs (after a shared-module change) instead of --set' },
  resume: { type: 'string', value: '<id>', description: 'continue the rollout of that journal (.hafleet/rollouts/<id>.json) from where it stopped', example: '20250612-101500-3fa2' },
  tag: { type: 'string', value: '<kind:value>', multiple: true, description: 'only tenants with that Nx tag (region:, ring:, env:); any of them', example: 'region:eu-west-2' },
  where: { type: 'string', value: 'field=value', multiple: true, description: 'only tenants whose spec field has that value, defaults included; all of them', example: 'database.engine=aurora-mysql' },
  waves: { type: 'string', value: '<waves>', description: 'rings (canary → early → general, default), or a list of rings, cumulative percentages and counts ending at 100%', example: 'canary,10%,100%' },
  'max-parallel': { type: 'integer', value: 'N', description: 'tenants at once inside a wave (default 2)', example: '4', min: 1, max: 64 },
  'wave-delay': { type: 'string', value: '<duration>', description: 'wait between waves (default 0)', example: '10m', check: checked((v) => parseDuration(v, '--wave-delay')) },
  'max-failures': { type: 'integer', value: 'N', description: 'failed tenants tolerated before the rollout halts (default 1)', example: '1', min: 1, max: 100_000 },
  gate: { type: 'string', value: '<gate>', multiple: true, description: 'health gate after each apply, all must pass: http (default), aws, command:<shell>, none', example: 'aws' },
  'gate-base-url': { type: 'string', value: '<url>', description: 'http gate URL instead of https://<domain> ({tenant} and {domain} are replaced)', example: 'http://10.0.0.5/{tenant}' },
  'gate-status': { type: 'string', value: '<statuses>', description: 'http statuses that pass (default 200-399)', example: '200,204' },
  'gate-retries': { type: 'string', value: 'N', description: 'http gate retries (default 5)', example: '5' },
  'gate-interval': { type: 'string', value: '<duration>', description: 'between gate retries (default 5s)', example: '5s', check: checked((v) => parseDuration(v, '--gate-interval')) },
  'gate-timeout': { type: 'string', value: '<duration>', description: 'per gate (default 10s for http, 30m for aws)', example: '30m', check: checked((v) => parseDuration(v, '--gate-timeout')) },
  'allow-destroy': ALLOW_DESTROY_OPTION,
  'apply-immediately': { type: 'boolean', description: "database and cache changes take effect now, not in each tenant's maintenance window (this rollout only; kept on resume)" },
  yes: { type: 'boolean', short: 'y', description: 'do not ask between waves in a terminal' },
  'dry-run': { type: 'boolean', description: 'the waves and every plan and guard verdict, in a sandbox; changes nothing' },
  ...JSON_OPTION,
} as const satisfies OptionDefs;

/** What the command is built from; tests swap the driver for the fixture one. */
export interface RolloutCommandDeps {
  readonly driver: (workspaceRoot: string) => SandboxableDriver;
  readonly gates?: GateFactoryOptions;
}

const list = (options: OptionValues, name: string): string[] => (options[name] as string[] | undefined) ?? [];
const text = (options: OptionValues, name: string): string | undefined => options[name] as string | undefined;

/** Options that decide what a rollout does: fixed at its start, refused with --resume. */
const PLAN_OPTIONS = ['set', 'reapply', 'tag', 'where', 'waves', 'apply-immediately', 'dry-run'] as const;

export function createRolloutCommand(deps: RolloutCommandDeps): Command {
  return defineCommand({
    name: 'rollout',
    args: '[tenant...]',
    summary: 'roll a spec change (--set, or --reapply) across tenants in waves: synth, plan, guard, apply, health gate; halts on failure; --resume <id>',
    details: 'What: --set or --reapply. Which tenants: all, the names given, --tag and --where. --resume continues a stopped rollout; only how options (pace, failures, allowances, gates) may change then.',
    options: ROLLOUT_OPTIONS,
    examples: [
      'npx fleet rollout --set app.release=2025.4.0 --set app.amiId=ami-0a1b2c3d4e5f60719 --waves canary,10%,100% --max-parallel 4 --wave-delay 10m --gate aws --gate http',
      'npx fleet rollout --resume 20250612-101500-3fa2',
      'npx fleet rollout --reapply --tag region:eu-west-2 --dry-run',
    ],
    async run(input) {
      try {
        return await runRollout(input, deps);
      } catch (error) {
        if (error instanceof RolloutInputError || error instanceof InvalidAllowanceError) throw new UsageError(error.message);
        throw error;
      }
    },
  });
}

export const rollout: Command = createRolloutCommand({ driver: (workspaceRoot) => workspaceDriver({ workspaceRoot }) });

async function runRollout({ args, options, workspaceRoot }: CommandInput, deps: RolloutCommandDeps): Promise<number> {
  const driver = deps.driver(workspaceRoot);
  const json = options['json'] === true;
  const resumeId = text(options, 'resume');
  if (resumeId !== undefined) {
    const given = [...PLAN_OPTIONS.filter((o) => options[o] !== undefined && options[o] !== false && !(Array.isArray(options[o]) && options[o].length === 0)), ...(args.length ? ['tenant names'] : [])];
    if (given.length) {
      throw new UsageError(`--resume continues rollout ${resumeId} as it was planned, so ${given.map((g) => (g === 'tenant names' ? g : `--${g}`)).join(', ')} cannot change it — fix: drop them, or start a new rollout`);
    }
    const journal = RolloutJournal.load(workspaceRoot, resumeId);
    if (journal.data.status === 'completed') {
      console.error(`rollout ${journal.id} already completed: every tenant is healthy; nothing to do`);
      return report(journal.data, journal.displayPath, json);
    }
    const overrides = runtimeOptions(options, journal.data.request);
    checkAllowances(overrides.allowDestroy ?? [], Object.keys(journal.data.tenants));
    Object.assign(journal.data.request, overrides);
    console.error(`resuming rollout ${journal.id} (${journal.data.status}${journal.data.stopReason ? `: ${journal.data.stopReason}` : ''}); ${describeApplyImmediately(journal.data.request)}`);
    return execute(journal, driver, deps, options, overrides);
  }

  const defaults: RolloutRequest = {
    changes: list(options, 'set').map(parseSetArgument),
    reapply: options['reapply'] === true,
    selection: { tenants: args, tags: list(options, 'tag'), where: list(options, 'where') },
    waves: text(options, 'waves') ?? 'rings',
    maxParallel: 2,
    waveDelayMs: 0,
    maxFailures: 1,
    allowDestroy: [],
    gates: [],
    applyImmediately: options['apply-immediately'] === true,
  };
  const request: RolloutRequest = { ...defaults, ...runtimeOptions(options, defaults) };
  if (request.gates.length === 0) request.gates = gateConfigs({ gates: [] });
  const planned = planRollout(workspaceRoot, request);
  checkAllowances(request.allowDestroy, planned.tenants.map((t) => t.spec.name));
  for (const note of planned.notes) console.error(`note: ${note}`);
  printWaves(planned);

  if (options['dry-run']) return dryRun(planned, driver, json);

  const journal = startRollout(workspaceRoot, planned);
  console.error(`rollout ${journal.id}: journal ${journal.displayPath} (resume with: fleet rollout --resume ${journal.id})`);
  return execute(journal, driver, deps, options, undefined);
}

function checkAllowances(allowances: RolloutRequest['allowDestroy'], tenants: readonly string[]): void {
  for (const a of allowances) {
    if (!tenants.includes(a.tenant)) {
      throw new UsageError(`--allow-destroy ${a.tenant}:${a.address} names tenant ${a.tenant}, which this rollout does not include — fix: one of ${tenants.join(', ')}`);
    }
  }
}

/** The options a resume may change (how, not what): parallelism, pacing, failures, allowances, gates. */
function runtimeOptions(options: OptionValues, current: RolloutRequest): Partial<RolloutRequest> {
  const overrides: { -readonly [K in keyof RolloutRequest]?: RolloutRequest[K] } = {};
  if (options['max-parallel'] !== undefined) overrides.maxParallel = options['max-parallel'] as number;
  if (options['wave-delay'] !== undefined) overrides.waveDelayMs = parseDuration(text(options, 'wave-delay')!, '--wave-delay');
  if (options['max-failures'] !== undefined) {
    const value = Number(options['max-failures']);
    if (!Number.isInteger(value) || value < 1) {
      throw new UsageError(`--max-failures "${String(options['max-failures'])}" must be a whole number ≥ 1 — fix: --max-failures 1 halts on the first failure`);
    }
    overrides.maxFailures = value;
  }
  const allow = list(options, 'allow-destroy');
  if (allow.length) overrides.allowDestroy = [...current.allowDestroy, ...parseAllowances(allow)];
  const gateFlags = ['gate-base-url', 'gate-status', 'gate-retries', 'gate-interval', 'gate-timeout'];
  if (list(options, 'gate').length || gateFlags.some((f) => options[f] !== undefined)) {
    const kinds = list(options, 'gate').length ? list(options, 'gate') : current.gates.map((g) => (g.kind === 'command' ? `command:${g.command}` : g.kind));
    overrides.gates = gateConfigs({
      gates: kinds,
      baseUrl: text(options, 'gate-base-url'),
      status: text(options, 'gate-status'),
      retries: text(options, 'gate-retries'),
      interval: text(options, 'gate-interval'),
      timeout: text(options, 'gate-timeout'),
    });
  }
  return overrides;
}

function printWaves(planned: PlannedRollout): void {
  const { request } = planned;
  const what = request.reapply ? 're-apply the current specs' : request.changes.map((c) => `set ${c.path}=${JSON.stringify(c.value)}`).join(', ');
  console.error(`rollout: ${what} on ${planned.tenants.length} tenant(s) in ${planned.waves.length} wave(s); gate: ${describeGates(request.gates) || 'none'}; max ${request.maxParallel} at a time; halt after ${request.maxFailures} failure(s)`);
  planned.waves.forEach((wave, i) => console.error(`  wave ${i + 1}/${planned.waves.length} (${wave.label}): ${wave.tenants.join(', ')}`));
  console.error(`  ${describeApplyImmediately(request)}`);
}

const describeApplyImmediately = (request: RolloutRequest): string =>
  request.applyImmediately
    ? 'database and cache changes: applied immediately (--apply-immediately), not in the maintenance window'
    : 'database and cache changes: wait for each tenant\'s maintenance window (--apply-immediately applies them now)';

async function dryRun(planned: PlannedRollout, driver: SandboxableDriver, json: boolean): Promise<number> {
  const sandbox = driver.sandbox();
  let results: DryRunTenant[];
  try {
    results = await dryRunRollout(planned, sandbox, {
      onTenant: (r) => console.error(`  ${r.tenant}: ${r.error ? `FAILED: ${firstLine(r.error)}` : `${describePlan(r.plan!)}${r.guard?.ok === false ? ' — guard would REFUSE' : ''}`}`),
    });
  } finally {
    sandbox.dispose();
  }
  if (json) {
    const waves = planned.waves.map((w) => ({ label: w.label, tenants: w.tenants }));
    console.log(JSON.stringify({ dryRun: true, request: planned.request, waves, tenants: results }, null, 2));
  } else {
    const rows = results.map((r) => [
      r.wave + 1,
      planned.waves[r.wave]!.label,
      r.tenant,
      r.specChanged === undefined ? '-' : r.specChanged ? 'changes' : 'as is',
      r.plan ? describePlan(r.plan) : 'FAILED',
      r.guard ? (r.guard.ok ? 'ok' : `REFUSE: ${r.guard.blocked.join(', ')}`) : '-',
    ]);
    console.log(`\n${renderTable(['wave', 'label', 'tenant', 'spec', 'plan', 'guard'], rows)}`);
    for (const r of results) if (r.guard && !r.guard.ok) console.error(`\n${r.guard.message}`);
    for (const r of results) if (r.error) console.error(`\n${r.tenant}: ${r.error}`);
    console.error('\ndry run: nothing was changed or applied');
  }
  if (results.some((r) => r.error)) return EXIT.failed;
  return results.some((r) => r.guard && !r.guard.ok) ? EXIT.refused : EXIT.ok;
}

async function execute(journal: RolloutJournal, driver: SandboxableDriver, deps: RolloutCommandDeps, options: OptionValues, overrides: Partial<RolloutRequest> | undefined): Promise<number> {
  const stopper = stopOnSignals((signal, count) =>
    console.error(
      count === 1
        ? `\n${signal}: stopping rollout ${journal.id} — no new tenant or step starts, running steps finish (${signal} again exits at once)`
        : `\n${signal} again: exiting now; resume re-plans the tenants that were mid-step: fleet rollout --resume ${journal.id}`,
    ),
  );
  const interactive = process.stdin.isTTY === true && options['yes'] !== true;
  let data: JournalData;
  try {
    data = await executeRollout({
      journal,
      driver,
      gates: createGates(journal.data.request.gates, deps.gates),
      interrupt: stopper.signal,
      onEvent: progressPrinter(journal.data),
      overrides: overrides && Object.keys(overrides).length ? overrides : undefined,
      confirmWave: interactive ? confirmWave(journal.data, stopper.signal) : undefined,
    });
  } finally {
    stopper.dispose();
  }
  const code = report(data, journal.displayPath, options['json'] === true);
  if (data.status !== 'completed') console.error(`\nrollout ${data.id} ${data.status}: ${data.stopReason ?? ''}\nresume with: fleet rollout --resume ${data.id}`);
  const signal = stopper.received();
  return signal && data.status === 'interrupted' ? signalExitCode(signal) : code;
}

/** The y/N question between waves; Ctrl-C while it is open interrupts the rollout like anywhere else. */
function confirmWave(data: JournalData, interrupt: AbortSignal) {
  return async (next: { wave: number; label: string; tenants: readonly string[] }): Promise<boolean> => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT')); // readline takes the terminal's Ctrl-C
    try {
      const answer = await rl.question(`Continue with wave ${next.wave + 1}/${data.waves.length} (${next.label}: ${next.tenants.length} tenant(s))? [y/N] `, { signal: interrupt });
      return /^y(es)?$/i.test(answer.trim());
    } catch {
      return false; // interrupted: the engine sees the signal
    } finally {
      rl.close();
    }
  };
}

/** One line per event on stderr: wave, tenant, step and the counts so far. */
function progressPrinter(data: JournalData) {
  const counts = (c: { total: number; healthy: number; failed: number; applying: number }) => `[${c.healthy}/${c.total} healthy, ${c.failed} failed, ${c.applying} running]`;
  return (event: RolloutEvent): void => {
    switch (event.kind) {
      case 'wave':
        console.error(`── wave ${event.wave + 1}/${event.waves} (${event.label}): ${event.tenants.join(', ')} ${counts(event.counts)}`);
        return;
      case 'wave-delay':
        console.error(`   waiting ${formatDuration(event.ms)} before wave ${event.wave + 1}`);
        return;
      case 'step':
        console.error(`${counts(event.counts)} ${event.tenant}: ${event.step}${event.detail ? ` › ${event.detail}` : ''}`);
        return;
      case 'tenant': {
        const record = data.tenants[event.tenant]!;
        const took = record.startedAt && record.endedAt ? ` (${formatDuration(Date.parse(record.endedAt) - Date.parse(record.startedAt))})` : '';
        const mark = event.state === 'healthy' ? '✓' : event.state === 'failed' ? '✗' : '…';
        console.error(`${mark} ${event.tenant}: ${event.state.toUpperCase()}${record.step && event.state !== 'healthy' ? ` at ${record.step}` : ''}${took}${event.detail ? ` — ${firstLine(event.detail)}` : ''}`);
        return;
      }
      case 'stop':
        console.error(`rollout ${event.status}: ${event.reason} ${counts(event.counts)}`);
        return;
    }
  };
}

/** The final table (or JSON); returns the exit code for the outcome. */
function report(data: JournalData, journalPath: string, json: boolean): number {
  const tenants = data.waves.flatMap((wave, index) =>
    wave.tenants.map((tenant) => {
      const r = data.tenants[tenant]!;
      const durationMs = r.startedAt && r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : undefined;
      return { tenant, ...r, wave: index + 1, waveLabel: wave.label, durationMs };
    }),
  );
  if (json) {
    const { checksum: _checksum, ...rest } = data;
    console.log(JSON.stringify({ ...rest, journal: journalPath, tenants }, null, 2));
  } else {
    const rows = tenants.map((t) => [
      t.tenant,
      `${t.wave} ${t.waveLabel}`,
      t.state,
      t.state === 'healthy' || !t.step ? '-' : t.step,
      t.plan ? describePlan(t.plan) : '-',
      t.applied ?? '-',
      t.gates?.length ? (t.gates.every((g) => g.ok) ? 'passed' : 'FAILED') : '-',
      t.durationMs === undefined ? '-' : formatDuration(t.durationMs),
      firstLine(t.error ?? t.note ?? ''),
    ]);
    console.log(`\nrollout ${data.id}: ${data.status} (journal ${journalPath})`);
    console.log(renderTable(['tenant', 'wave', 'state', 'stopped at', 'plan', 'apply', 'gate', 'time', 'note'], rows));
    const waiting = tenants.flatMap((t) => (t.plan?.deferred ?? []).map((d) => `  ${t.tenant}: ${describeDeferred(d)}`));
    if (waiting.length) console.log(`\nwaiting for the maintenance window (applied, but AWS makes these changes only in the window):\n${waiting.join('\n')}`);
    for (const t of tenants) if (t.state === 'failed' && t.error) console.error(`\n${t.tenant} failed at ${t.step}:\n${t.error}`);
  }
  if (data.status === 'completed' || data.status === 'paused') return EXIT.ok;
  const failed = tenants.filter((t) => t.state === 'failed');
  if (failed.length && failed.every((t) => t.step === 'guard')) return EXIT.refused;
  return EXIT.failed;
}

const firstLine = (s: string): string => s.split('\n')[0] ?? '';
