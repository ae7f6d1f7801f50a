import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '@hafleet/testing';
import { compareVersions, resolveTerraformBinary, TerraformNotFoundError } from './binary.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('resolveTerraformBinary', () => {
  it('finds terraform on PATH and reports its version', async () => {
    const env = { ...process.env };
    delete env['TERRAFORM_BINARY'];
    const found = await resolveTerraformBinary(env);
    expect(found.path).toBe('terraform');
    expect(found.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(compareVersions(found.version, '1.10.0')).toBeGreaterThanOrEqual(0);
  });

  it('TERRAFORM_BINARY=/nonexistent gives TerraformNotFoundError with the fix', async () => {
    const error = await resolveTerraformBinary({ ...process.env, TERRAFORM_BINARY: '/nonexistent' }).catch((e) => e);
    expect(error).toBeInstanceOf(TerraformNotFoundError);
    expect(error.message).toContain('/nonexistent');
    expect(error.message).toContain('install Terraform >= 1.10 and put it on PATH, or set TERRAFORM_BINARY=/path/to/terraform');
  });

  it('rejects an empty PATH (no terraform anywhere)', async () => {
    await expect(resolveTerraformBinary({ PATH: dirs.make() })).rejects.toBeInstanceOf(TerraformNotFoundError);
  });

  it('rejects an executable that is not terraform, and a too-old terraform', async () => {
    const dir = dirs.make();
    const notTerraform = join(dir, 'not-terraform');
    writeFileSync(notTerraform, '#!/bin/sh\necho hello\n');
    chmodSync(notTerraform, 0o755);
    await expect(resolveTerraformBinary({ ...process.env, TERRAFORM_BINARY: notTerraform })).rejects.toThrow(/did not report a version/);

    const old = join(dir, 'old-terraform');
    writeFileSync(old, '#!/bin/sh\necho \'{"terraform_version":"1.5.7"}\'\n');
    chmodSync(old, 0o755);
    await expect(resolveTerraformBinary({ ...process.env, TERRAFORM_BINARY: old })).rejects.toThrow(/1\.5\.7 is older than 1\.10\.0/);
  });
});

describe('compareVersions', () => {
  it('compares numerically, not lexically', () => {
    expect(compareVersions('1.11.4', '1.10.0')).toBe(1);
    expect(compareVersions('1.9.8', '1.10.0')).toBe(-1);
    expect(compareVersions('1.10.0-rc1', '1.10.0')).toBe(0);
  });
});
