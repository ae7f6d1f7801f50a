import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '@hafleet/entry-point';
import { RolloutJournal, journalFile, rolloutLockFile, type JournalData } from '@hafleet/rollout';
import {
  FIXTURE_APPLIES_LOG,
  fixtureApplies,
  fixtureDriver,
  fixtureState,
  setFixtureApplySeconds,
  writeFixtureTenants,
} from '@hafleet/rollout/testing';
import { DEFAULT_OUTDIR, STACK_FILE, stackDir, tenantWorkDir } from '@hafleet/tenant-spec';
import { runFleet as fleet, tempWorkspace, WORKSPACE_ROOT, type TempWorkspace } from '@hafleet/testing';
import { parseOptions } from './options.js';
import { createRolloutCommand, rollout } from './commands/rollout.js';

/**
 * `fleet rollout` as operators run it, in child processes against throw-away workspace copies.
 * The real CLI (apps/cli/src/main.ts, runFleet) for argument errors and a dry run of a real example tenant;
 * the same command with the fixture driver (testing/fleet-rollout-fixture.ts: terraform_data
 * stacks, real terraform, local state) where tenants are applied, interrupted and resumed.
 */

const FIXTURE_MAIN = join(WORKSPACE_ROOT, 'apps/cli/src/testing/fleet-rollout-fixture.ts');

const envFor = (workspace: TempWorkspace) => ({ ...process.env, HAFLEET_WORKSPACE: workspace.root });

/** `fleet rollout` with the fixture driver in a child process (stdin closed: not a terminal). */
function fixtureFleet(workspace: TempWorkspace, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE_MAIN, ...args], {
    cwd: workspace.root,
    env: envFor(workspace),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file in the workspace copy (node_modules is a link to the real one) with its hash and mtime. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(path);
      else files.set(path.slice(root.length), `${createHash('sha1').update(readFileSync(path)).digest('hex')} ${statSync(path).mtimeMs}`);
    }
  };
  walk(root);
  return files;
}

/** Ids of the rollout journals written so far (temp files of an atomic write left out). */
const journalIds = (root: string): string[] => {
  const dir = join(root, '.hafleet', 'rollouts');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
    : [];
};
const onlyJournal = (root: string): string => {
  const ids = journalIds(root);
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
/** `--json` report: the journal's fields, with tenants as a list in wave order. */
type RolloutReport = Omit<JournalData, 'tenants'> & { tenants: Array<JournalData['tenants'][string] & { tenant: string }> };
const byTenant = (report: RolloutReport) => Object.fromEntries(report.tenants.map((t) => [t.tenant, t]));
const readJournal = (root: string, id: string) => JSON.parse(readFileSync(journalFile(root, id), 'utf8')) as JournalData;
const specRelease = (root: string, tenant: string) =>
  (JSON.parse(readFileSync(join(root, 'tenants', tenant, 'tenant.json'), 'utf8')) as { app: { release: string } }).app.release;

/** What the latest synth wrote into the tenant's fixture stack: the database's apply_immediately. */
const synthesized = (root: string, tenant: string): unknown =>
  (
    JSON.parse(readFileSync(join(stackDir(join(root, DEFAULT_OUTDIR), tenant), STACK_FILE), 'utf8')) as {
      resource: { terraform_data: { database: { input: { apply_immediately: unknown } } } };
    }
  ).resource.terraform_data.database.input.apply_immediately;

/** Is a process with `text` in its command line running? (Linux /proc) */
function processRunning(text: string): boolean {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // gone meanwhile
      }
    });
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('fleet rollout: bad input is refused before anything is touched', () => {
  // One copy for all: each case proves it changed no file in it.
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace();
  });
  afterAll(() => workspace.dispose());

  /** In process (fast): the errors the CLI turns into exit 2 — every InputError (UsageError, SpecValidationError, RolloutInputError...). */
  it.each([
    [['--set', 'app.ami=ami-0123456789abcdef0'], /--set app\.ami: unknown spec field — fix: one of app\.amiId, .*app\.release/],
    [['--set', 'web.minCapacity=two'], /--set web\.minCapacity="two" must be a whole number — fix: e\.g\. --set web\.minCapacity=3/],
    [['--set', 'app.amiId=ami-nope'], /tenant.json: tenant \S+, field app\.amiId: must be an AMI id/],
    [['--set', 'domain=same.example.org'], /field domain: same\.example\.org is also the domain of/],
    [['--set', 'name=other'], /a rollout cannot change a tenant's name/],
    [[], /nothing to roll out — fix: --set field=value/],
    [['--reapply', '--set', 'app.release=x'], /--reapply re-applies the specs as they are, so it takes no --set/],
    [
      ['--reapply', '--waves', 'canary,10%'],
      /--waves canary,10% leaves \d+ of \d+ selected tenants in no wave .* — fix: end the list with 100%/,
    ],
    [
      ['--reapply', '--tag', 'region:mars-north-1'],
      /--tag region:mars-north-1 selects no tenant — fix: check the names, tags \(.*region:eu-west-2/,
    ],
    [['--reapply', 'nobody'], /tenant nobody: no such tenant — fix: one of/],
    [['--reapply', '--gate', 'ping'], /--gate "ping" is not a gate — fix: http, aws, command:<shell command> or none/],
    [['--reapply', '--gate-status', 'ok'], /--gate-status "ok" is not a status list/],
    [['--reapply', '--max-failures', '0'], /--max-failures "0" is out of range — fix: a whole number 1–100000/],
    [['--reapply', '--allow-destroy', 'nobody'], /--allow-destroy "nobody" names no tenant/],
    [['--reapply', '--allow-destroy', 'nobody:aws_db_instance.x'], /names tenant nobody, which this rollout does not include/],
    [['--reapply', '--wave-delay', 'soon'], /--wave-delay "soon" is not a duration/],
    [['--resume', '20250101-000000-abcd'], /rollout 20250101-000000-abcd: no journal .* — fix: no rollout has been started/],
    [['--resume', '20250101-000000-abcd', '--set', 'app.release=x'], /--resume continues rollout .* so --set cannot change it/],
  ])('%j', async (args, message) => {
    const before = snapshot(workspace.root);
    const error = await Promise.resolve()
      .then(() => parseOptions(rollout.options, args, 'fleet rollout'))
      .then(({ options, positionals }) => rollout.run({ args: positionals, options, workspaceRoot: workspace.root }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error, String(error)).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect(snapshot(workspace.root)).toEqual(before);
  });

  it('exits 2 from the real CLI, with the message on stderr', () => {
    const unknown = fleet(workspace, 'rollout', '--set', 'app.ami=x');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('--set app.ami: unknown spec field')]);
    const invalid = fleet(workspace, 'rollout', '--set', 'app.amiId=ami-nope', '--dry-run');
    expect([invalid.code, invalid.stderr]).toEqual([2, expect.stringMatching(/field app\.amiId: must be an AMI id/)]);
  });
});

describe('fleet rollout --dry-run', () => {
  let workspace: TempWorkspace;
  beforeEach(() => {
    workspace = tempWorkspace();
  });
  afterEach(() => workspace.dispose());

  it('plans a real example tenant (full AWS stack, offline) against a temp copy: no file in the workspace changes', () => {
    const tenant = readdirSync(join(workspace.root, 'tenants')).sort()[0]!;
    const before = snapshot(workspace.root);
    const { code, stdout, stderr } = fleet(
      workspace,
      'rollout',
      tenant,
      '--set',
      'app.release=2099.1.0',
      '--gate',
      'none',
      '--dry-run',
      '--json',
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      dryRun: boolean;
      tenants: { tenant: string; specChanged: boolean; plan: { add: number; hasChanges: boolean }; guard: { ok: boolean } }[];
    };
    expect(report.dryRun).toBe(true);
    expect(report.tenants).toEqual([expect.objectContaining({ tenant, specChanged: true, guard: expect.objectContaining({ ok: true }) })]);
    expect(report.tenants[0]!.plan.add).toBeGreaterThan(20); // never applied: the whole stack is to be created
    expect(snapshot(workspace.root)).toEqual(before);
  });

  it('shows every wave and plan of fixture tenants, the guard refusing data loss, and changes no file', async () => {
    writeFixtureTenants(workspace.root, [{ name: 'fx-01', ring: 'canary' }, { name: 'fx-02' }, { name: 'fx-03' }]);
    expect(fixtureFleet(workspace, 'rollout', '--reapply', '--gate', 'none', '--yes').code).toBe(0); // applied once
    const before = snapshot(workspace.root);

    const { code, stdout, stderr } = fixtureFleet(
      workspace,
      'rollout',
      '--set',
      'app.release=2025.4.0',
      '--set',
      'database.engine=postgres',
      '--waves',
      'canary,100%',
      '--dry-run',
    );
    expect(stdout).toMatch(
      /1\s+canary\s+fx-01\s+changes\s+\+2 ~1 -2 \(2 replace\), DATA LOSS: terraform_data\.database\s+REFUSE: terraform_data\.database/,
    );
    expect(stdout).toMatch(/2\s+100%\s+fx-03\s+changes/);
    expect(stderr).toContain('--allow-destroy fx-02:terraform_data.database');
    expect(stderr).toContain('dry run: nothing was changed or applied');
    expect(code).toBe(3); // the guard would refuse
    expect(snapshot(workspace.root)).toEqual(before);
  });
});

/**
 * Waits until the rollout's journal says `tenant` is applying and terraform's provisioner for it is
 * running; returns the journal id. Reads the journal itself, never the temp file of its first atomic write.
 */
async function midApply(root: string, tenant: string): Promise<string> {
  let id = '';
  await until(`${tenant} mid-apply`, () => {
    id = journalIds(root)[0] ?? '';
    return (
      id !== '' &&
      readJournal(root, id).tenants[tenant]?.step === 'apply' &&
      processRunning(join(tenantWorkDir(root, tenant), FIXTURE_APPLIES_LOG))
    );
  });
  return id;
}

describe('fleet rollout with fixture tenants (real terraform, local state)', () => {
  let workspace: TempWorkspace;
  beforeEach(() => {
    workspace = tempWorkspace();
    writeFixtureTenants(workspace.root, [{ name: 'fx-01' }, { name: 'fx-02' }, { name: 'fx-03' }]);
  });
  afterEach(() => workspace.dispose());

  it('killed mid-apply by SIGTERM to its process group (as a terminal or CI runner does) resumes cleanly', async () => {
    const root = workspace.root;
    setFixtureApplySeconds(root, 'fx-02', 60);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        FIXTURE_MAIN,
        'rollout',
        '--set',
        'app.release=2025.4.0',
        '--waves',
        '100%',
        '--max-parallel',
        '1',
        '--gate',
        'none',
        '--json',
      ],
      {
        cwd: root,
        env: envFor(workspace),
        detached: true, // its own process group, so terraform gets the signal too
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    const id = await midApply(root, 'fx-02');
    process.kill(-child.pid!, 'SIGTERM');
    const code = await exited;

    expect(code, stderr).toBe(143);
    expect(stderr).toContain('SIGTERM: stopping rollout');
    const journal = readJournal(root, id);
    expect(journal.status).toBe('interrupted');
    expect(journal.runner).toBeUndefined();
    expect(journal.tenants['fx-01']!.state).toBe('healthy');
    expect(journal.tenants['fx-02']).toMatchObject({
      state: 'applying',
      step: 'apply',
      note: 'interrupted during apply; resume re-plans it',
    });
    expect(journal.tenants['fx-03']).toMatchObject({ state: 'skipped', attempts: 0 });
    // Terraform was really stopped mid-apply: the provisioner was cut short, its resource tainted.
    expect(fixtureState(root, 'fx-02')!.tainted).toEqual(['terraform_data.apply_hook']);
    expect(fixtureApplies(root, 'fx-02')).toEqual([]);
    expect(fixtureState(root, 'fx-03')).toBeUndefined();
    const fx01 = fixtureState(root, 'fx-01');

    setFixtureApplySeconds(root, 'fx-02', 1);
    const resumed = fixtureFleet(workspace, 'rollout', '--resume', id, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as RolloutReport;
    const done = byTenant(report);
    expect(report.status).toBe('completed');
    expect(fixtureState(root, 'fx-01')).toEqual(fx01); // untouched
    expect(done['fx-01']!.attempts).toBe(1);
    // fx-02 re-planned (the tainted hook is replaced), applied once, converged.
    expect(done['fx-02']).toMatchObject({ state: 'healthy', attempts: 2, applied: 'applied' });
    expect(fixtureState(root, 'fx-02')).toMatchObject({ release: '2025.4.0', tainted: [] });
    expect(fixtureApplies(root, 'fx-02')).toEqual(['release=2025.4.0 ami=' + readAmi(root, 'fx-02')]);
    expect(fixtureState(root, 'fx-03')).toMatchObject({ release: '2025.4.0', tainted: [] });
    expect(report.runs.map((r) => r.status)).toEqual(['interrupted', 'completed']);
  });

  it('SIGINT to the CLI alone (terraform not signalled): the running apply finishes, the gate waits for resume', async () => {
    const root = workspace.root;
    setFixtureApplySeconds(root, 'fx-01', 3);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        FIXTURE_MAIN,
        'rollout',
        '--set',
        'app.release=2025.4.0',
        '--waves',
        '100%',
        '--max-parallel',
        '1',
        '--gate',
        'command:true',
      ],
      {
        cwd: root,
        env: envFor(workspace),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const id = await midApply(root, 'fx-01');
    child.kill('SIGINT');
    expect(await exited).toBe(130);

    const journal = readJournal(root, id);
    expect(journal.tenants['fx-01']).toMatchObject({
      state: 'applying',
      step: 'apply',
      applied: 'applied',
      note: 'interrupted before gate; resume re-plans it',
    });
    expect(fixtureState(root, 'fx-01')).toMatchObject({ release: '2025.4.0', tainted: [] });
    expect(journal.tenants['fx-02']!.state).toBe('skipped');
    const serial = fixtureState(root, 'fx-01')!.serial;

    const resumed = fixtureFleet(workspace, 'rollout', '--resume', id, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = byTenant(JSON.parse(resumed.stdout) as RolloutReport);
    // Re-planned: nothing left to apply; then gated.
    expect(done['fx-01']).toMatchObject({ state: 'healthy', applied: 'unchanged', plan: { hasChanges: false } });
    expect(done['fx-01']!.gates).toEqual([{ gate: 'command', ok: true, detail: '`true` exited 0' }]);
    expect(fixtureState(root, 'fx-01')!.serial).toBe(serial);
    expect(fixtureApplies(root, 'fx-01')).toHaveLength(1);
  });

  it('refuses a corrupted or hand-edited journal with a clear error (exit 2) and applies nothing', async () => {
    const root = workspace.root;
    // fx-01's gate fails: halted, fx-02 and fx-03 never started.
    const first = fixtureFleet(
      workspace,
      'rollout',
      '--set',
      'app.release=2025.4.0',
      '--waves',
      '100%',
      '--max-parallel',
      '1',
      '--gate',
      'command:[ "$HAFLEET_TENANT" != fx-01 ]',
    );
    expect(first.code, first.stderr).toBe(1);
    const id = onlyJournal(root);
    const file = journalFile(root, id);
    const original = readFileSync(file, 'utf8');
    expect(RolloutJournal.load(root, id).data.status).toBe('halted');

    const tampered: Array<[string, string, RegExp]> = [
      [
        'hand-edited',
        original.replace('"state": "skipped"', '"state": "healthy"'),
        /was changed outside hafleet \(its checksum does not match its content\)/,
      ],
      ['truncated', original.slice(0, original.length / 2), /is not valid JSON .*: it is corrupted/],
      [
        'unknown state',
        original.replace('"state": "skipped"', '"state": "done"'),
        /does not match the journal format at field tenants\.fx-0\d\.state/,
      ],
    ];
    const fixtureRollout = createRolloutCommand({ driver: (r) => fixtureDriver(r) });
    for (const [what, content, message] of tampered) {
      writeFileSync(file, content);
      const before = snapshot(root);
      // In process (the refusal happens before any terraform); the exit code is checked below.
      const error = await fixtureRollout.run({ args: [], options: { resume: id }, workspaceRoot: root }).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(InputError);
      expect((error as Error).message, what).toMatch(message);
      expect((error as Error).message, what).toContain(`rollout ${id}: journal .hafleet/rollouts/${id}.json`);
      expect((error as Error).message, what).toContain('nothing was applied. Fix: restore the file hafleet wrote');
      expect(snapshot(root), what).toEqual(before);
    }
    const refused = fixtureFleet(workspace, 'rollout', '--resume', id); // still the last, tampered journal
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('does not match the journal format')]);
    expect(fixtureState(root, 'fx-02')).toBeUndefined();
    expect(specRelease(root, 'fx-02')).toBe('2025.3.0');

    writeFileSync(file, original); // the journal as hafleet wrote it resumes (fx-01's gate still fails)
    const again = fixtureFleet(workspace, 'rollout', '--resume', id, '--max-failures', '3', '--json');
    expect(again.code).toBe(1);
    const data = JSON.parse(again.stdout) as RolloutReport;
    expect(data.status).toBe('failed');
    expect(data.tenants.map((t) => [t.tenant, t.state])).toEqual([
      ['fx-01', 'failed'],
      ['fx-02', 'healthy'],
      ['fx-03', 'healthy'],
    ]);
  });

  // Two real CLI processes started at once against one journal whose lock a dead process left behind.
  it('two resumes started at once: the stale lock is recovered, exactly one proceeds, the other exits 2 naming the journal and the holder', async () => {
    const root = workspace.root;
    // fx-01's gate fails: halted, fx-02 and fx-03 never started.
    const first = fixtureFleet(
      workspace,
      'rollout',
      '--set',
      'app.release=2025.4.0',
      '--waves',
      '100%',
      '--max-parallel',
      '1',
      '--gate',
      'command:[ "$HAFLEET_TENANT" != fx-01 ]',
    );
    expect(first.code, first.stderr).toBe(1);
    const id = onlyJournal(root);
    setFixtureApplySeconds(root, 'fx-02', 3); // the winner holds the rollout a while
    const dead = spawnSync('true').pid!; // a process that has exited: its lock is stale
    const lockFile = rolloutLockFile(root, id);
    mkdirSync(dirname(lockFile), { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: dead, host: hostname(), since: '2025-06-12T10:15:00.000Z' }));

    const resume = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE_MAIN, 'rollout', '--resume', id, '--gate', 'none', '--json'], {
        cwd: root,
        env: envFor(workspace),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      return new Promise<{ pid: number; code: number | null; stdout: string; stderr: string }>((resolve) =>
        child.on('close', (code) => resolve({ pid: child.pid!, code, stdout, stderr })),
      );
    };
    const both = await Promise.all([resume(), resume()]);

    expect(both.map((r) => r.code).sort()).toEqual([0, 2]);
    const winner = both.find((r) => r.code === 0)!;
    const loser = both.find((r) => r.code === 2)!;
    expect(winner.stderr).toContain(`note: rollout ${id}: took over the lock of process ${dead}, which is gone`);
    expect(loser.stderr).toContain(
      `rollout ${id} (journal .hafleet/rollouts/${id}.json) is being run by process ${winner.pid} on ${hostname()} since `,
    );
    expect(loser.stderr).toContain(`nothing was changed. Fix: wait for it to finish, or stop it with kill -INT ${winner.pid} and resume`);
    expect(loser.stdout).toBe('');
    const report = JSON.parse(winner.stdout) as RolloutReport;
    expect(report.status).toBe('completed');
    expect(report.runs.map((r) => [r.pid, r.status])).toEqual([
      [expect.any(Number), 'halted'],
      [winner.pid, 'completed'],
    ]); // the loser added no run
    for (const tenant of ['fx-01', 'fx-02', 'fx-03']) expect(fixtureApplies(root, tenant), tenant).toHaveLength(1); // each applied once
    expect(existsSync(lockFile)).toBe(false);
  });

  // Four CLI runs in child processes, each planning and applying with the real terraform.
  it(
    '--apply-immediately reaches the synth of that run only, is shown by the dry run, kept by a resume, and cannot be added on resume',
    { timeout: 300_000 },
    async () => {
      const root = workspace.root;
      const dry = fixtureFleet(
        workspace,
        'rollout',
        'fx-01',
        '--set',
        'app.release=2025.4.0',
        '--apply-immediately',
        '--gate',
        'none',
        '--dry-run',
        '--json',
      );
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stderr).toContain('database and cache changes: applied immediately (--apply-immediately), not in the maintenance window');
      expect((JSON.parse(dry.stdout) as { request: { applyImmediately: boolean } }).request.applyImmediately).toBe(true);
      expect(existsSync(join(root, DEFAULT_OUTDIR))).toBe(false); // the dry run synthesised in its sandbox

      // fx-01 is applied, then its gate fails: halted, fx-02 never started.
      const first = fixtureFleet(
        workspace,
        'rollout',
        'fx-01',
        'fx-02',
        '--set',
        'app.release=2025.4.0',
        '--apply-immediately',
        '--waves',
        '100%',
        '--max-parallel',
        '1',
        '--gate',
        'command:[ "$HAFLEET_TENANT" != fx-01 ]',
      );
      expect(first.code, first.stderr).toBe(1);
      const id = onlyJournal(root);
      expect(readJournal(root, id).request.applyImmediately).toBe(true);
      expect(synthesized(root, 'fx-01')).toBe(true);
      expect(fixtureState(root, 'fx-01')).toMatchObject({ release: '2025.4.0', applyImmediately: true }); // applied so by terraform
      expect(fixtureState(root, 'fx-02')).toBeUndefined();

      const added = fixtureFleet(workspace, 'rollout', '--resume', id, '--apply-immediately');
      expect([added.code, added.stderr]).toEqual([2, expect.stringContaining('so --apply-immediately cannot change it')]);

      const resumed = fixtureFleet(workspace, 'rollout', '--resume', id, '--gate', 'none', '--json');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain('database and cache changes: applied immediately');
      const report = JSON.parse(resumed.stdout) as RolloutReport;
      expect([report.status, report.request.applyImmediately]).toEqual(['completed', true]);
      expect([synthesized(root, 'fx-01'), synthesized(root, 'fx-02')]).toEqual([true, true]);
      expect(fixtureState(root, 'fx-02')).toMatchObject({ release: '2025.4.0', applyImmediately: true });

      // The next rollout without the flag: back to waiting for the window, an in-place update of the database.
      const next = fixtureFleet(workspace, 'rollout', 'fx-01', '--set', 'app.release=2025.5.0', '--gate', 'none', '--json');
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).toContain("database and cache changes: wait for each tenant's maintenance window");
      const fx01 = byTenant(JSON.parse(next.stdout) as RolloutReport)['fx-01']!;
      // The release and the database (apply_immediately back to false) change in place; the apply hook is replaced as on every release.
      expect(fx01.plan).toMatchObject({ change: 2, dataLoss: [], deferred: [] });
      expect(synthesized(root, 'fx-01')).toBe(false);
      expect(fixtureState(root, 'fx-01')).toMatchObject({ release: '2025.5.0', applyImmediately: false });
    },
  );
});

function readAmi(root: string, tenant: string): string {
  return (JSON.parse(readFileSync(join(root, 'tenants', tenant, 'tenant.json'), 'utf8')) as { app: { amiId: string } }).app.amiId;
}
