import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROFILES, type ApplicationProfile, type ProfileName } from '@hafleet/app-profiles';
import { FAKE_FILES, runUserData, userDataFiles, type BootRun, type SsmParameter } from './boot-harness.js';
import { expectedConfig, runtimeValues } from './fixtures.js';

/**
 * Test-only: the boot as a synthesized tenant stack defines it. The user data comes from the
 * stack's launch templates, the fake AWS CLI answers with exactly the `aws_ssm_parameter`
 * resources the stack publishes (values verbatim, Terraform expressions included).
 */

type StackJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** The text of a launch template's `user_data`: base64 of the document, encoded at synth. */
export function decodeUserData(value: string): string {
  if (value.startsWith('${'))
    throw new Error(`user_data is a Terraform expression (${value.slice(0, 60)}…): base64-encode the rendered user data at synth instead`);
  return Buffer.from(value, 'base64').toString('utf8');
}

export interface StackUserData {
  /** Logical id of the launch template. */
  readonly id: string;
  readonly name: string;
  readonly text: string;
  /** From the user data's first comment: `web`, `worker` or `database provisioner`. */
  readonly role: 'web' | 'worker' | 'database provisioner' | 'unknown';
  /** The profile named in the user data (web and worker). */
  readonly profile?: ApplicationProfile;
}

export function stackUserData(stack: StackJson): StackUserData[] {
  return Object.entries(stack.resource?.aws_launch_template ?? {})
    .filter(([, template]) => typeof template.user_data === 'string')
    .map(([id, template]) => {
      const text = decodeUserData(template.user_data as string);
      const head = /^# hafleet (web|worker) node of tenant \S+ \(\S+\), profile (\S+), release/m.exec(text);
      const role = head
        ? (head[1] as 'web' | 'worker')
        : /^# hafleet database provisioner /m.test(text)
          ? 'database provisioner'
          : 'unknown';
      const profile = head ? PROFILES[head[2] as ProfileName] : undefined;
      return { id, name: String(template.name), text, role, ...(profile ? { profile } : {}) };
    });
}

/** The stack's SSM parameters, as the fake AWS CLI serves them. */
export function stackParameters(stack: StackJson): SsmParameter[] {
  return Object.values(stack.resource?.aws_ssm_parameter ?? {}).map((p) => ({
    Name: String(p.name),
    Type: p.type === 'SecureString' ? 'SecureString' : 'String',
    Value: String(p.value ?? p.insecure_value),
  }));
}

/** `cloud-init schema` on every document (in parallel); resolves to one line per document. */
export async function cloudInitSchema(documents: readonly { name: string; text: string }[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hafleet-schema-'));
  try {
    return await Promise.all(
      documents.map(async ({ name, text }, i) => {
        const file = join(dir, `${i}.yaml`);
        writeFileSync(file, text);
        try {
          const { stdout } = await promisify(execFile)('cloud-init', ['schema', '--config-file', file]);
          return `${name}: ${stdout.trim().replace(file, '')}`;
        } catch (error) {
          return `${name}: ${String((error as { stderr?: string }).stderr ?? error).trim()}`;
        }
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `shellcheck` on every `#!/bin/bash` file the documents write (and the fakes), in one call. */
export function shellcheckUserData(documents: readonly { name: string; text: string }[]): {
  status: number | null;
  output: string;
  scripts: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'hafleet-shellcheck-'));
  try {
    const files = documents.flatMap(({ text }, i) =>
      userDataFiles(text)
        .filter((file) => file.content.startsWith('#!/bin/bash'))
        .map((file, j) => {
          const path = join(dir, `${i}-${j}.sh`);
          writeFileSync(path, file.content);
          return path;
        }),
    );
    const result = spawnSync('shellcheck', ['--severity=style', ...files, ...FAKE_FILES], { encoding: 'utf8' });
    if (result.error) throw result.error;
    return { status: result.status, output: result.stdout, scripts: files.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const STACK_SECRET_FIXTURE = { username: 'hafleet_app_a', password: 'fixture-Password-1' };

/**
 * Runs a web user data of the stack with the stack's own parameters; every `*-secret-arn` value
 * (a Terraform expression) names a secret holding `STACK_SECRET_FIXTURE`. Returns the run, the
 * config it wrote, and the config those values must give, computed independently.
 */
export function bootWithStackParameters(
  userData: StackUserData,
  parameters: readonly SsmParameter[],
  parameterPath: string,
): { run: BootRun; config: string | undefined; expected: string } {
  const profile = userData.profile;
  if (!profile) throw new Error(`${userData.name}: no profile in its user data`);
  const values: Record<string, string> = {};
  for (const p of parameters) if (p.Name.startsWith(parameterPath)) values[p.Name.slice(parameterPath.length)] = p.Value;
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (key.endsWith('-secret-arn')) secrets[value] = JSON.stringify(STACK_SECRET_FIXTURE);
  const run = runUserData(userData.text, { parameters, secrets });
  const config = run.exists(profile.config.path) ? run.read(profile.config.path) : undefined;
  return { run, config, expected: expectedConfig(profile, runtimeValues(values, secrets)) };
}
