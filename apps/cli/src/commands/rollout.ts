import { signalExitCode, type ExitCode } from '@hafleet/entry-point';
import { parseAllowances } from '@hafleet/fleet';
import {
  RESUMABLE_FIELDS,
  RolloutInputError,
  RolloutJournal,
  applyResumeOptions,
  checkAllowances,
  createGates,
  describeGates,
  dryRunExitCode,
  dryRunRollout,
  executeRollout,
  gateConfigs,
  parseDuration,
  parseSetArgument,
  planRollout,
  rolloutExitCode,
  startRollout,
  stopOnSignals,
  workspaceDriver,
  type GateFactoryOptions,
  type PlannedRollout,
  type RolloutRequest,
  type RuntimeOptions,
  type SandboxableDriver,
} from '@hafleet/rollout';
import { ALLOW_DESTROY_OPTION } from '../allow-destroy-option.js';
import { JSON_OPTION, UsageError, defineCommand, type Command, type CommandInput } from '../command.js';
import type { OptionDefs } from '../options.js';
import {
  confirmWave,
  describeApplyImmediately,
  printDryRun,
  printDryRunTenant,
  printRolloutReport,
  printWaves,
  progressPrinter,
} from '../rollout-output.js';

type OptionValues = Readonly<Record<string, unknown>>;

/** What a check of one value says: undefined when valid, else the library's own message. */
const checked =
  (parse: (value: string) => unknown) =>
  (value: string): string | undefined => {
    try {
      parse(value);
      return undefined;
    } catch (error) {
      if (error instanceof RolloutInputError) return error.message;
      throw error;
    }
  };

const ROLLOUT_OPTIONS = {
  set: {
    type: 'string',
    value: 'field=value',
    multiple: true,
    description: 'the spec change: a dotted spec path, typed by the schema (numbers, true/false, JSON for lists)',
    example: 'app.release=2025.4.0',
    check: checked(parseSetArgument),
  },
  reapply: { type: 'boolean', description: 're-apply the current specs (after a shared-module change) instead of --set' },
  resume: {
    type: 'string',
    value: '<id>',
    description: 'continue the rollout of that journal (.hafleet/rollouts/<id>.json) from where it stopped',
    example: '20250612-101500-3fa2',
  },
  tag: {
    type: 'string',
    value: '<kind:value>',
    multiple: true,
    description: 'only tenants with that Nx tag (region:, ring:, env:); any of them',
    example: 'region:eu-west-2',
  },
  where: {
    type: 'string',
    value: 'field=value',
    multiple: true,
    description: 'only tenants whose spec field has that value, defaults included; all of them',
    example: 'database.engine=aurora-mysql',
  },
  waves: {
    type: 'string',
    value: '<waves>',
    description: 'rings (canary → early → general, default), or a list of rings, cumulative percentages and counts ending at 100%',
    example: 'canary,10%,100%',
  },
  'max-parallel': { type: 'integer', value: 'N', description: 'tenants at once inside a wave (default 2)', example: '4', min: 1, max: 64 },
  'wave-delay': {
    type: 'string',
    value: '<duration>',
    description: 'wait between waves (default 0)',
    example: '10m',
    check: checked((v) => parseDuration(v, '--wave-delay')),
  },
  'max-failures': {
    type: 'integer',
    value: 'N',
    description: 'failed tenants tolerated before the rollout halts (default 1)',
    example: '1',
    min: 1,
    max: 100_000,
  },
  gate: {
    type: 'string',
    value: '<gate>',
    multiple: true,
    description: 'health gate after each apply, all must pass: http (default), aws, command:<shell>, none',
    example: 'aws',
  },
  'gate-base-url': {
    type: 'string',
    value: '<url>',
    description: 'http gate URL instead of https://<domain> ({tenant} and {domain} are replaced)',
    example: 'http://10.0.0.5/{tenant}',
  },
  'gate-status': { type: 'string', value: '<statuses>', description: 'http statuses that pass (default 200-399)', example: '200,204' },
  'gate-retries': { type: 'string', value: 'N', description: 'http gate retries (default 5)', example: '5' },
  'gate-interval': {
    type: 'string',
    value: '<duration>',
    description: 'between gate retries (default 5s)',
    example: '5s',
    check: checked((v) => parseDuration(v, '--gate-interval')),
  },
  'gate-timeout': {
    type: 'string',
    value: '<duration>',
    description: 'per gate (default 10s for http, 30m for aws)',
    example: '30m',
    check: checked((v) => parseDuration(v, '--gate-timeout')),
  },
  'allow-destroy': ALLOW_DESTROY_OPTION,
  'apply-immediately': {
    type: 'boolean',
    description: "database and cache changes take effect now, not in each tenant's maintenance window (this rollout only; kept on resume)",
  },
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

/** Options that decide what a rollout does (request fields outside RESUMABLE_FIELDS): refused with --resume. */
const PLAN_OPTIONS = ['set', 'reapply', 'tag', 'where', 'waves', 'apply-immediately', 'dry-run'] as const;

export function createRolloutCommand(deps: RolloutCommandDeps): Command {
  return defineCommand({
    name: 'rollout',
    args: '[tenant...]',
    summary:
      'roll a spec change (--set, or --reapply) across tenants in waves: synth, plan, guard, apply, health gate; halts on failure; --resume <id>',
    details:
      'What: --set or --reapply. Which tenants: all, the names given, --tag and --where. ' +
      '--resume continues a stopped rollout; only how options (pace, failures, allowances, gates) may change then.',
    options: ROLLOUT_OPTIONS,
    examples: [
      'npx fleet rollout --set app.release=2025.4.0 --set app.amiId=ami-0a1b2c3d4e5f60719 ' +
        '--waves canary,10%,100% --max-parallel 4 --wave-delay 10m --gate aws --gate http',
      'npx fleet rollout --resume 20250612-101500-3fa2',
      'npx fleet rollout --reapply --tag region:eu-west-2 --dry-run',
    ],
    run: (input) => (text(input.options, 'resume') === undefined ? startNew(input, deps) : resume(input, deps)),
  });
}

export const rollout: Command = createRolloutCommand({ driver: (workspaceRoot) => workspaceDriver({ workspaceRoot }) });

async function resume({ args, options, workspaceRoot }: CommandInput, deps: RolloutCommandDeps): Promise<ExitCode> {
  const id = text(options, 'resume')!;
  const given = [
    ...PLAN_OPTIONS.filter(
      (o) => options[o] !== undefined && options[o] !== false && !(Array.isArray(options[o]) && options[o].length === 0),
    ).map((o) => `--${o}`),
    ...(args.length ? ['tenant names'] : []),
  ];
  if (given.length)
    throw new UsageError(
      `--resume continues rollout ${id} as it was planned, so ${given.join(', ')} cannot change it — fix: drop them, or start a new rollout`,
    );
  const journal = RolloutJournal.open(workspaceRoot, id); // one process per rollout: the lock, then the latest journal
  try {
    if (journal.recoveredLock)
      console.error(`note: rollout ${id}: took over the lock of process ${journal.recoveredLock.pid}, which is gone`);
    if (journal.data.status === 'completed') {
      console.error(`rollout ${journal.id} already completed: every tenant is healthy; nothing to do`);
      printRolloutReport(journal.data, journal.displayPath, options['json'] === true);
      return rolloutExitCode(journal.data);
    }
    const overrides = runtimeOptions(options, journal.data.request);
    applyResumeOptions(journal, overrides);
    console.error(
      `resuming rollout ${journal.id} ` +
        `(${journal.data.status}${journal.data.stopReason ? `: ${journal.data.stopReason}` : ''}); ` +
        `${describeApplyImmediately(journal.data.request)}`,
    );
    return await execute(journal, deps, { workspaceRoot, options }, overrides);
  } finally {
    journal.release();
  }
}

async function startNew({ args, options, workspaceRoot }: CommandInput, deps: RolloutCommandDeps): Promise<ExitCode> {
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
  checkAllowances(
    request.allowDestroy,
    planned.tenants.map((t) => t.spec.name),
  );
  for (const note of planned.notes) console.error(`note: ${note}`);
  printWaves(planned, describeGates(request.gates));

  if (options['dry-run']) return dryRun(planned, deps.driver(workspaceRoot), options['json'] === true);

  const journal = startRollout(workspaceRoot, planned);
  console.error(`rollout ${journal.id}: journal ${journal.displayPath} (resume with: fleet rollout --resume ${journal.id})`);
  return execute(journal, deps, { workspaceRoot, options }, undefined);
}

/** The options a resume may change (RESUMABLE_FIELDS: how, not what), from their flags. */
function runtimeOptions(options: OptionValues, current: RolloutRequest): RuntimeOptions {
  const overrides: { -readonly [K in (typeof RESUMABLE_FIELDS)[number]]?: RolloutRequest[K] } = {};
  if (options['max-parallel'] !== undefined) overrides.maxParallel = options['max-parallel'] as number;
  if (options['wave-delay'] !== undefined) overrides.waveDelayMs = parseDuration(text(options, 'wave-delay')!, '--wave-delay');
  if (options['max-failures'] !== undefined) overrides.maxFailures = options['max-failures'] as number;
  const allow = list(options, 'allow-destroy');
  if (allow.length) overrides.allowDestroy = [...current.allowDestroy, ...parseAllowances(allow)];
  const gateFlags = ['gate-base-url', 'gate-status', 'gate-retries', 'gate-interval', 'gate-timeout'];
  if (list(options, 'gate').length || gateFlags.some((f) => options[f] !== undefined)) {
    const kinds = list(options, 'gate').length
      ? list(options, 'gate')
      : current.gates.map((g) => (g.kind === 'command' ? `command:${g.command}` : g.kind));
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

async function dryRun(planned: PlannedRollout, driver: SandboxableDriver, json: boolean): Promise<ExitCode> {
  const sandbox = driver.sandbox();
  try {
    const results = await dryRunRollout(planned, sandbox, { onTenant: printDryRunTenant });
    printDryRun(planned, results, json);
    return dryRunExitCode(results);
  } finally {
    sandbox.dispose();
  }
}

async function execute(
  journal: RolloutJournal,
  deps: RolloutCommandDeps,
  { workspaceRoot, options }: { workspaceRoot: string; options: OptionValues },
  overrides: RuntimeOptions | undefined,
): Promise<ExitCode> {
  const stopper = stopOnSignals((signal, count) =>
    console.error(
      count === 1
        ? `\n${signal}: stopping rollout ${journal.id} — no new tenant or step starts, running steps finish (${signal} again exits at once)`
        : `\n${signal} again: exiting now; resume re-plans the tenants that were mid-step: fleet rollout --resume ${journal.id}`,
    ),
  );
  const interactive = process.stdin.isTTY === true && options['yes'] !== true;
  let data;
  try {
    data = await executeRollout({
      journal,
      driver: deps.driver(workspaceRoot),
      gates: createGates(journal.data.request.gates, deps.gates),
      interrupt: stopper.signal,
      onEvent: progressPrinter(journal.data),
      overrides: overrides && Object.keys(overrides).length ? overrides : undefined,
      confirmWave: interactive ? confirmWave(journal.data, stopper.signal) : undefined,
    });
  } finally {
    stopper.dispose();
  }
  printRolloutReport(data, journal.displayPath, options['json'] === true);
  if (data.status !== 'completed')
    console.error(`\nrollout ${data.id} ${data.status}: ${data.stopReason ?? ''}\nresume with: fleet rollout --resume ${data.id}`);
  const signal = stopper.received();
  return signal && data.status === 'interrupted' ? signalExitCode(signal) : rolloutExitCode(data);
}
