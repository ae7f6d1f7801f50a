import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs, writeJson } from '@hafleet/testing';
import { ProviderMirrorError, renderCliConfig, resolveProviderMirror, writeCliConfig } from './cli-config.js';
import { TerraformRunner } from './runner.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** A fake mirror folder: just the layout resolveProviderMirror looks for. */
function mirrorDir(): string {
  const dir = dirs.make('hafleet-mirror-');
  mkdirSync(join(dir, 'registry.terraform.io', 'hashicorp'), { recursive: true });
  return dir;
}

describe('resolveProviderMirror', () => {
  it('HAFLEET_PROVIDER_MIRROR wins over candidates', () => {
    const [fromEnv, candidate] = [mirrorDir(), mirrorDir()];
    expect(resolveProviderMirror({ env: { HAFLEET_PROVIDER_MIRROR: fromEnv }, candidates: [candidate] })).toBe(fromEnv);
  });

  it('"none" disables the mirror even when a candidate exists', () => {
    expect(resolveProviderMirror({ env: { HAFLEET_PROVIDER_MIRROR: 'none' }, candidates: [mirrorDir()] })).toBeUndefined();
  });

  it('a set path without registry.terraform.io is a clear error naming the variable and the fix', () => {
    const empty = dirs.make();
    const call = () => resolveProviderMirror({ env: { HAFLEET_PROVIDER_MIRROR: empty }, candidates: [] });
    expect(call).toThrow(ProviderMirrorError);
    expect(call).toThrow(/HAFLEET_PROVIDER_MIRROR=.* is not a Terraform provider mirror/);
    expect(call).toThrow(/terraform providers mirror/);
    expect(call).toThrow(/HAFLEET_PROVIDER_MIRROR=none/);
  });

  it('discovers the first candidate holding registry.terraform.io/hashicorp', () => {
    const notAMirror = dirs.make();
    const onlyRegistry = dirs.make();
    mkdirSync(join(onlyRegistry, 'registry.terraform.io'));
    const good = mirrorDir();
    const candidates = [join(notAMirror, 'missing'), notAMirror, onlyRegistry, good, mirrorDir()];
    expect(resolveProviderMirror({ env: {}, candidates })).toBe(good);
    expect(resolveProviderMirror({ env: {}, candidates: [notAMirror] })).toBeUndefined();
    expect(resolveProviderMirror({ env: { HAFLEET_PROVIDER_MIRROR: '' }, candidates: [] })).toBeUndefined();
  });
});

describe('writeCliConfig', () => {
  it('writes the provider_installation block atomically into the project folder', () => {
    const workspace = dirs.make();
    const file = writeCliConfig(join(workspace, '.hafleet'), '/opt/tf-plugins');
    expect(file).toBe(join(workspace, '.hafleet', 'terraform.rc'));
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(renderCliConfig('/opt/tf-plugins'));
    expect(text).toMatch(/filesystem_mirror \{\s+path\s+= "\/opt\/tf-plugins"\s+include = \["registry\.terraform\.io\/hashicorp\/\*"\]/);
    expect(text).toMatch(/direct \{\s+exclude = \["registry\.terraform\.io\/hashicorp\/\*"\]/);
    expect(readdirSync(join(workspace, '.hafleet'))).toEqual(['terraform.rc']); // no temp file left over

    writeFileSync(file, 'stale');
    writeCliConfig(join(workspace, '.hafleet'), '/opt/tf-plugins');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  const MIRROR = '/opt/tf-plugins';
  it.skipIf(!existsSync(join(MIRROR, 'registry.terraform.io')))(
    'a real terraform init installs hashicorp/aws from the mirror as a symlink',
    async () => {
      const workspace = dirs.make();
      const stackDir = join(workspace, 'stack');
      mkdirSync(stackDir);
      writeJson(stackDir, 'main.tf.json', {
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
      });
      const cliConfigFile = writeCliConfig(join(workspace, '.hafleet'), MIRROR);
      const runner = new TerraformRunner({ workingDir: stackDir, cliConfigFile });

      const init = await runner.init();
      expect(init.stdout).toContain('Installed hashicorp/aws v5.100.0');

      const installed = join(stackDir, '.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64');
      expect(lstatSync(installed).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(stackDir, '.terraform.lock.hcl'), 'utf8')).toContain('version     = "5.100.0"');
    },
  );
});
