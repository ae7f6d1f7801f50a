import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT, InputError, exitCodeFrom, exitCodeOf, findWorkspaceRoot, signalExitCode, workspaceRootOf } from './index.js';

describe('the workspace root', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hafleet-root-'));
    writeFileSync(join(root, 'nx.json'), '{}');
    mkdirSync(join(root, 'apps/cli/src'), { recursive: true });
    writeFileSync(join(root, 'apps/cli/src/main.ts'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is the nearest folder with nx.json above a folder, a file or a module URL', () => {
    expect(findWorkspaceRoot(join(root, 'apps/cli/src'))).toBe(root);
    expect(findWorkspaceRoot(join(root, 'apps/cli/src/main.ts'))).toBe(root);
    expect(findWorkspaceRoot(pathToFileURL(join(root, 'apps/cli/src/main.ts')).href)).toBe(root);
    expect(findWorkspaceRoot(root)).toBe(root);
  });

  it('is this repository for its own code', () => {
    expect(findWorkspaceRoot(import.meta.url)).toBe(join(import.meta.dirname, '../../..'));
  });

  it('says so outside any workspace', () => {
    const outside = mkdtempSync(join(tmpdir(), 'hafleet-no-root-'));
    try {
      expect(() => findWorkspaceRoot(outside)).toThrow(/no nx\.json in .* or any folder above it: not inside a hafleet workspace/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('is HAFLEET_WORKSPACE when set (tests and benchmarks point at copies), refused when that is not a folder', () => {
    expect(workspaceRootOf(join(root, 'apps/cli/src'), { HAFLEET_WORKSPACE: '/tmp' })).toBe('/tmp');
    expect(workspaceRootOf(join(root, 'apps/cli/src'), {})).toBe(root);
    const error = (() => {
      try {
        workspaceRootOf(root, { HAFLEET_WORKSPACE: join(root, 'nope') });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^HAFLEET_WORKSPACE=.*nope is not a folder — fix: point it at a workspace/);
  });
});

describe('exit codes', () => {
  afterEach(() => vi.restoreAllMocks());

  it('bad input (every InputError, whatever library threw it) is 2; anything else 1', () => {
    class SpecLikeError extends InputError {}
    expect(exitCodeOf(new SpecLikeError('x'))).toBe(EXIT.usage);
    expect(new SpecLikeError('x').name).toBe('SpecLikeError');
    expect(exitCodeOf(new Error('terraform failed'))).toBe(EXIT.failed);
    expect(exitCodeOf('a string')).toBe(EXIT.failed);
  });

  it('a signal is 130 (SIGINT) or 143 (SIGTERM)', () => {
    expect([signalExitCode('SIGINT'), signalExitCode('SIGTERM')]).toEqual([130, 143]);
  });

  it('a run returns its code; an error prints its message alone (no stack trace) and maps to its code', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    expect(await exitCodeFrom(() => EXIT.drift)).toBe(EXIT.drift);
    expect(await exitCodeFrom(() => Promise.reject(new InputError('tenant x, field y: bad — fix: z')))).toBe(EXIT.usage);
    expect(
      await exitCodeFrom(() => {
        throw new Error('terraform exploded');
      }),
    ).toBe(EXIT.failed);
    expect(printed).toEqual(['tenant x, field y: bad — fix: z', 'terraform exploded']);
  });
});
