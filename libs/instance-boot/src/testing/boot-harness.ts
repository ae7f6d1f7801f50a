import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Test-only: runs a rendered boot script for real, with bash, in a temporary root, with the AWS
 * CLI, mount, systemd, dnf, chown and the database clients replaced by the recording fakes in
 * `fakes/` (AWS cannot be reached from a test; everything else in the script runs as on an instance).
 */

const FAKES = join(dirname(fileURLToPath(import.meta.url)), 'fakes');
/** What each fake stands in for. */
const FAKED_COMMANDS = {
  aws: 'fake-aws',
  mount: 'fake-command',
  systemctl: 'fake-command',
  dnf: 'fake-command',
  chown: 'fake-command',
  mariadb: 'fake-command',
  psql: 'fake-command',
};
export const FAKE_FILES = [...new Set(Object.values(FAKED_COMMANDS))].map((name) => join(FAKES, name));

export interface WrittenFile {
  readonly path: string;
  readonly content: string;
  readonly permissions: string;
  readonly owner: string;
}

/** The `write_files` of a `#cloud-config` user data, parsed with a real YAML parser. */
export function userDataFiles(userData: string): WrittenFile[] {
  const document = parse(userData) as { write_files?: WrittenFile[] };
  return document.write_files ?? [];
}

/** The `runcmd` commands of a `#cloud-config` user data. */
export function userDataCommands(userData: string): string[][] {
  return (parse(userData) as { runcmd?: string[][] }).runcmd ?? [];
}

export interface SsmParameter {
  readonly Name: string;
  readonly Type: 'String' | 'SecureString';
  readonly Value: string;
}

export interface BootFixture {
  /** What `aws ssm get-parameters-by-path` answers (all tenants; the fake filters by path). */
  readonly parameters: readonly SsmParameter[];
  /** Secret id -> SecretString; a missing id has no value yet. */
  readonly secrets: Record<string, string>;
}

export interface BootRun {
  readonly status: number | null;
  readonly stderr: string;
  /** Every faked call, in order: "aws ssm ...", "mount -t efs ...", "systemctl enable --now httpd". */
  readonly calls: string[];
  /** The whole fake log (the database clients' stdin included). */
  readonly log: string;
  /** The temporary root the script ran in. */
  readonly root: string;
  /** A file below the root, by its absolute path on an instance. */
  readonly read: (path: string) => string;
  readonly exists: (path: string) => boolean;
  /** The secrets after the run (put-secret-value updates them). */
  readonly secrets: () => Record<string, string>;
  /** Runs another command of the same script in the same root (e.g. `refresh` after `boot`). */
  readonly again: (args: readonly string[], fixture?: Partial<BootFixture>) => BootRun;
  readonly dispose: () => void;
}

export interface RunOptions {
  /** Which script of the user data to run (default: the first `runcmd`). */
  readonly args?: readonly string[];
  /** Extra environment, e.g. HAFLEET_SECRET_WAIT_SECONDS. */
  readonly env?: Record<string, string>;
  /** A file (absolute path on an instance) whose presence every faked call records. */
  readonly watch?: string;
}

/** Writes the user data's files into a fresh temporary root and runs its boot command there. */
export function runUserData(userData: string, fixture: BootFixture, options: RunOptions = {}): BootRun {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-boot-'));
  for (const file of userDataFiles(userData)) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, Number.parseInt(file.permissions, 8));
  }
  const bin = join(root, '.fakes-bin');
  mkdirSync(bin);
  for (const [command, fake] of Object.entries(FAKED_COMMANDS)) symlinkSync(join(FAKES, fake), join(bin, command));
  return run(root, options.args ?? userDataCommands(userData)[0]!, fixture, options);
}

function run(root: string, args: readonly string[], fixture: Partial<BootFixture>, options: RunOptions): BootRun {
  const fixtures = join(root, '.fixtures');
  mkdirSync(fixtures, { recursive: true });
  const log = join(fixtures, 'calls.log');
  const parameters = join(fixtures, 'parameters.json');
  const secrets = join(fixtures, 'secrets.json');
  if (fixture.parameters) writeFileSync(parameters, JSON.stringify(fixture.parameters));
  if (fixture.secrets) writeFileSync(secrets, JSON.stringify(fixture.secrets));
  const [script, ...rest] = args;
  const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
  const result = spawnSync('bash', [join(root, script!), ...rest], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: `${join(root, '.fakes-bin')}:${process.env.PATH}`,
      HOME: root,
      LANG: 'C.UTF-8',
      HAFLEET_ROOT: root,
      HAFLEET_SECRET_WAIT_SECONDS: '0',
      HAFLEET_DB_WAIT_SECONDS: '0',
      FAKE_LOG: log,
      FAKE_PARAMETERS: parameters,
      FAKE_SECRETS: secrets,
      ...(options.watch ? { FAKE_WATCH: join(root, options.watch) } : {}),
      ...options.env,
    },
  });
  const logText = existsSync(log) ? readFileSync(log, 'utf8').slice(before) : '';
  const at = (path: string) => join(root, path);
  return {
    status: result.status,
    stderr: result.stderr,
    log: logText,
    calls: logText.split('\n').filter((line) => /^(aws|mount|systemctl|dnf|chown|mariadb|psql) /.test(line)),
    root,
    read: (path) => readFileSync(at(path), 'utf8'),
    exists: (path) => existsSync(at(path)),
    secrets: () => JSON.parse(readFileSync(secrets, 'utf8')),
    again: (next, more = {}) => run(root, next, more, options),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
