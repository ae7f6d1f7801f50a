import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { fleetCli } from './cli.js';
import { ACME_ONBOARD_ARGS as ONBOARD } from './testing/onboard-flags.js';
import { COMMANDS } from './commands/index.js';

/**
 * The CLI's argument layer, in process (fast): the same `fleetCli` the `fleet` bin runs, with
 * stdout and stderr captured. The real bin in a child process is covered by bin.test.ts.
 */

let workspace: TempWorkspace;
beforeAll(() => {
  workspace = tempWorkspace({ tenants: ['harbour-health'] });
});
afterAll(() => workspace.dispose());
afterEach(() => vi.restoreAllMocks());

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const code = await fleetCli(argv, workspace.root);
  vi.restoreAllMocks();
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Every file of the workspace copy (node_modules is a link) with its hash: "nothing changed" compares these. */
function tree(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.parentPath.includes('node_modules'))
      .map((e) => [
        join(e.parentPath, e.name).slice(root.length),
        createHash('sha1')
          .update(readFileSync(join(e.parentPath, e.name)))
          .digest('hex'),
      ]),
  );
}

/** The onboarding flags with one answer replaced (or added). */
const onboard = (flag: string, value: string): string[] => {
  const at = ONBOARD.indexOf(flag);
  return at === -1 ? ['onboard', ...ONBOARD, flag, value] : ['onboard', ...ONBOARD.slice(0, at + 1), value, ...ONBOARD.slice(at + 2)];
};

/** [arguments, what the message must name: the flag (or argument) and the value]. Every message must also carry a fix. */
const CASES: Array<[argv: string[], names: string[]]> = [
  // commands and unknown flags
  [['plna'], ['unknown command "plna"', 'did you mean "plan"']],
  [['frobnicate', 'harbour-health'], ['unknown command "frobnicate"']],
  [
    ['plan', '--jsn'],
    ['--jsn', 'did you mean --json?'],
  ],
  [
    ['show', '--markdwon'],
    ['--markdwon', 'did you mean --markdown?'],
  ],
  [
    ['apply', '--keep-gong'],
    ['--keep-gong', 'did you mean --keep-going?'],
  ],
  [['policy', '-x'], ['unknown option -x']],
  [['size', '--all'], ['unknown option --all']],
  [
    ['rollout', '--reaply'],
    ['--reaply', 'did you mean --reapply?'],
  ],
  // wrong types, negative and huge numbers, missing values
  [
    ['plan', '--max-parallel', 'abc'],
    ['--max-parallel', '"abc" is not a whole number'],
  ],
  [
    ['plan', '--max-parallel', '-3'],
    ['--max-parallel', '"-3" is out of range', '1–64'],
  ],
  [
    ['plan', '--max-parallel', '0'],
    ['--max-parallel', '"0" is out of range'],
  ],
  [
    ['plan', '--max-parallel', '99999999999999999999'],
    ['--max-parallel', '"99999999999999999999" is out of range'],
  ],
  [
    ['plan', '--max-parallel=1.5'],
    ['--max-parallel', '"1.5" is not a whole number'],
  ],
  [
    ['drift', '--max-parallel', '1e3'],
    ['--max-parallel', '"1e3" is not a whole number'],
  ],
  [
    ['validate', '--max-parallel'],
    ['--max-parallel needs a value', '--max-parallel 4'],
  ],
  [['plan', '--max-parallel', '--json'], ['--max-parallel needs a value']],
  [
    ['plan', '--json=yes'],
    ['--json takes no value', '"yes"'],
  ],
  [
    ['plan', '--max-parallel', '2', '--max-parallel', '3'],
    ['--max-parallel given twice', '"2"', '"3"'],
  ],
  // tenant arguments: path tricks and unknown names
  [
    ['synth', '../../etc'],
    ['../../etc', 'no such tenant', 'harbour-health'],
  ],
  [
    ['plan', '/etc/passwd'],
    ['/etc/passwd', 'no such tenant'],
  ],
  [
    ['policy', 'harbour-health/../harbour-health'],
    ['harbour-health/../harbour-health', 'no such tenant'],
  ],
  // --allow-destroy
  [
    ['apply', '--allow-destroy', 'nobody'],
    ['--allow-destroy', '"nobody" names no tenant', '<tenant>:<address>'],
  ],
  [
    ['apply', '--allow-destroy', 'harbour-health:'],
    ['--allow-destroy', '"harbour-health:" names no resource address'],
  ],
  [
    ['apply', '--allow-destroy', ':aws_db_instance.x'],
    ['--allow-destroy', '":aws_db_instance.x" names no tenant'],
  ],
  [
    ['apply', '--allow-destroy', 'harbour-health:aws db'],
    ['--allow-destroy', 'has a space in the address'],
  ],
  [
    ['apply', 'harbour-health', '--allow-destroy', 'lakeside-state:aws_db_instance.x'],
    ['--allow-destroy lakeside-state:aws_db_instance.x', 'which this run does not apply'],
  ],
  // onboarding answers
  [onboard('--concurrent-users', 'abc'), ['--concurrent-users', '"abc" is not a whole number', '800']],
  [onboard('--concurrent-users', '-5'), ['--concurrent-users', '"-5" is out of range']],
  [onboard('--population', '1e9'), ['--population', '"1e9" is not a whole number']],
  [onboard('--population', '99999999999'), ['--population', '"99999999999" is out of range']],
  [onboard('--region', 'eu-west-9'), ['--region', '"eu-west-9" is not one of', 'did you mean eu-west-1?']],
  [onboard('--database-engine', 'oracle'), ['--database-engine', '"oracle"', 'aurora-mysql']],
  [onboard('--ring', 'canery'), ['--ring', '"canery"', 'did you mean canary?']],
  [onboard('--environment', 'prod'), ['--environment', '"prod"', 'production']],
  [onboard('--domain', 'Learn Acme'), ['--domain', 'must be a lowercase hostname']],
  [onboard('--certificate-arn', 'arn:aws:iam::1:role/x'), ['--certificate-arn', 'must be an ACM certificate ARN']],
  [onboard('--alert-emails', 'ops at acme'), ['--alert-emails', 'must be an email address']],
  [onboard('--vpc-cidr', '10.1.0/16'), ['--vpc-cidr', '"10.1.0/16" is not an IPv4 network']],
  [onboard('--account-id', '1234'), ['--account-id', 'must be a 12-digit AWS account id']],
  [
    ['onboard', 'acme-college', 'other-college'],
    ['one tenant at a time', 'acme-college, other-college'],
  ],
  [
    ['onboard', '../evil', ...ONBOARD.slice(1)],
    ['../evil', '(--name)', 'must be DNS-safe'],
  ],
  [
    ['onboard', 'acme-college', '--name', 'acme-two', ...ONBOARD.slice(1)],
    ['two names', '"acme-college"', '"acme-two"'],
  ],
  [
    ['onboard', 'acme-college', '--region', 'eu-west-1'],
    ['missing --display-name', '--concurrent-users'],
  ],
  // rollout: --set, --waves, --gate, --resume, --where, durations
  [
    ['rollout', '--set', 'app.release'],
    ['--set', '"app.release" has no value', '--set field=value'],
  ],
  [
    ['rollout', '--set', '=2025.4.0'],
    ['--set', '"=2025.4.0" has no value'],
  ],
  [['rollout', '--set', 'web.minCapacity=two'], ['--set web.minCapacity="two" must be a whole number']],
  [
    ['rollout', '--set', 'app.ami=ami-0123456789abcdef0'],
    ['--set app.ami', 'unknown spec field', 'app.amiId'],
  ],
  [
    ['rollout', '--reapply', '--waves', 'canary,150%'],
    ['--waves canary,150%', '"150%" is not a wave', '10%'],
  ],
  [
    ['rollout', '--reapply', '--waves', ','],
    ['--waves', '","', 'names no wave'],
  ],
  [['rollout', '--reapply', '--gate', 'ping'], ['--gate "ping" is not a gate']],
  [['rollout', '--reapply', '--gate-status', 'ok'], ['--gate-status "ok" is not a status list']],
  [
    ['rollout', '--reapply', '--gate-retries', '-1'],
    ['--gate-retries "-1"', '≥ 0'],
  ],
  [['rollout', '--reapply', '--gate-base-url', 'ftp://example.org'], ['--gate-base-url "ftp://example.org" is not an http(s) URL']],
  [['rollout', '--reapply', '--wave-delay', 'soon'], ['--wave-delay "soon" is not a duration']],
  [['rollout', '--reapply', '--wave-delay', '-5m'], ['--wave-delay "-5m" is not a duration']],
  [
    ['rollout', '--reapply', '--max-failures', '0'],
    ['--max-failures', '"0" is out of range'],
  ],
  [['rollout', '--reapply', '--where', 'region'], ['--where "region" is not field=value']],
  [['rollout', '--reapply', '--tag', 'region:mars-north-1'], ['--tag region:mars-north-1 selects no tenant']],
  [['rollout', '--resume', '../../etc/passwd'], ['--resume "../../etc/passwd" is not a rollout id']],
  [
    ['rollout', '--resume', '20250101-000000-abcd', '--set', 'app.release=x'],
    ['--resume continues rollout 20250101-000000-abcd', '--set cannot change it'],
  ],
  [['rollout', '-z'], ['unknown option -z']],
];

describe('bad CLI arguments: exit 2, one message naming the flag, the value and the fix, nothing changed', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)('%j', async (argv, names) => {
    const before = tree(workspace.root);
    const { code, stdout, stderr } = await run(...argv);
    expect(code, stderr).toBe(2);
    for (const name of names) expect(stderr).toContain(name);
    expect(stderr).toMatch(/fix: \S/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(stdout).toBe('');
    expect(tree(workspace.root)).toEqual(before);
  });
});

describe('--help (issue 13.4)', () => {
  it('fleet rollout --help lists every option the README documents, with defaults and an example', async () => {
    const { code, stdout } = await run('rollout', '--help');
    expect(code).toBe(0);
    for (const flag of [
      '--set',
      '--reapply',
      '--resume',
      '--tag',
      '--where',
      '--waves',
      '--max-parallel',
      '--wave-delay',
      '--max-failures',
      '--gate',
      '--gate-base-url',
      '--gate-status',
      '--gate-retries',
      '--gate-interval',
      '--gate-timeout',
      '--allow-destroy',
      '--yes',
      '--dry-run',
      '--json',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  (-y, )?${flag}\\b`, 'm'));
    }
    expect(stdout).not.toContain('README');
    expect(stdout).toMatch(/examples:\n {2}npx fleet rollout --set app\.release=/);
  });

  it.each(COMMANDS.map(([name]) => name))('fleet %s --help is generated from the options that parse it', async (name) => {
    const command = await COMMANDS.find(([n]) => n === name)![1]();
    const { code, stdout } = await run(name, '--help');
    expect(code).toBe(0);
    for (const [option, def] of Object.entries(command.options)) {
      expect(stdout).toMatch(
        new RegExp(
          `^  (-\\w, )?--${option}\\b.*${def.type !== 'boolean' && def.default !== undefined ? `default ${def.default}` : ''}`,
          'm',
        ),
      );
    }
    expect(command.examples.length).toBeGreaterThan(0);
    for (const example of command.examples) expect(stdout).toContain(`  ${example}`);
  });

  it('fleet --help lists every command and the exit codes', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    for (const [name] of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    expect(stdout).toContain('2 bad input');
  });
});

describe('fleet size and fleet validate with one broken tenant (issue 13.8)', () => {
  it('report every other tenant, then the broken one, and exit 2', async () => {
    const { writeFileSync, cpSync, rmSync } = await import('node:fs');
    const copy = join(workspace.root, 'tenants/broken-copy');
    cpSync(join(workspace.root, 'tenants/harbour-health'), copy, { recursive: true });
    writeFileSync(join(copy, 'tenant.json'), '{ "name": "broken-copy", ');
    try {
      const size = await run('size');
      expect(size.code).toBe(2);
      expect(size.stdout).toMatch(/^harbour-health\s+eu-west-2/m);
      expect(size.stderr).toContain('tenants/broken-copy/tenant.json:1:26: tenant broken-copy: is not valid JSON');
      const validate = await run('validate');
      expect(validate.code).toBe(2);
      expect(validate.stdout).toContain('1 tenant spec(s) valid: harbour-health');
      expect(validate.stderr).toContain('tenant broken-copy: is not valid JSON');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('fleet bootstrap', () => {
  it.each([
    [[], /fleet bootstrap: which step\? — fix: fleet bootstrap <synth\|validate\|plan\|apply\|show>, e\.g\. fleet bootstrap plan/],
    [['plna'], /fleet bootstrap: unknown step "plna" — did you mean "plan"\? — fix: /],
    [['plan', 'apply'], /fleet bootstrap plan: one step at a time, not apply — fix: /],
    [['apply', '--allow-destroy', 'nothing'], /--allow-destroy "nothing"/],
  ])('refuses %j with exit 2 and writes nothing', async (...args) => {
    const [argv, message] = args as [string[], RegExp];
    const before = tree(workspace.root);
    const { code, stderr, stdout } = await run('bootstrap', ...argv);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(message);
    expect(tree(workspace.root)).toEqual(before);
  });

  it('synth writes the state-bucket stack from fleet.json', async () => {
    const { code, stdout, stderr } = await run('bootstrap', 'synth', '--json');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ stack: 'state-bootstrap', file: 'cdktf.out/bootstrap/state-bootstrap/cdk.tf.json' });
    const stack = JSON.parse(readFileSync(join(workspace.root, 'cdktf.out/bootstrap/state-bootstrap/cdk.tf.json'), 'utf8')) as {
      resource: Record<string, unknown>;
    };
    expect(Object.keys(stack.resource)).toContain('aws_s3_bucket');
  });
});
