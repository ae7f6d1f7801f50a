import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@hafleet/testing';

/**
 * The workspace's real ESLint config (eslint.config.mjs) and Nx's enforce-module-boundaries rule,
 * run on lint fixtures: source text linted as if it lived at the given path (nothing is written).
 */
async function findings(filePath: string, code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: WORKSPACE_ROOT }).lintText(code, { filePath: `${WORKSPACE_ROOT}/${filePath}` });
  return result!.messages.map((m) => `${m.line} ${m.ruleId}: ${m.message.split('\n')[0]}`);
}

describe('module boundaries (eslint.config.mjs)', () => {
  // The rule reads the cached project graph and skips itself without one: build it first.
  beforeAll(async () => {
    await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  it('rejects a library importing an app', async () => {
    const found = await findings(
      'libs/fleet/src/boundary-fixture.ts',
      "import { fleetCli } from '../../../apps/cli/src/cli.js';\nexport const cli = fleetCli;\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/^1 @nx\/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path/),
    ]);
  });

  it('rejects production code importing test support: the test-support project, a testing/ folder, a test runner', async () => {
    const code = [
      "import { tempWorkspace } from '@hafleet/testing';",
      "import { fixtureDriver } from '@hafleet/rollout/testing';",
      "import { fakeAws } from './testing/fake-aws.js';",
      "import { expect } from 'vitest';",
      'export const used = [tempWorkspace, fixtureDriver, fakeAws, expect];',
    ].join('\n');
    const found = await findings('apps/cli/src/boundary-fixture.ts', code);
    expect(found).toEqual([
      '1 @nx/enforce-module-boundaries: A project tagged with "type:app" can only depend on libs tagged with "type:lib"',
      expect.stringMatching(/^1 no-restricted-imports: .*production code never imports test support/),
      expect.stringMatching(/^2 no-restricted-imports: '@hafleet\/rollout\/testing' .*production code never imports test support/),
      expect.stringMatching(/^3 no-restricted-imports: '\.\/testing\/fake-aws\.js' .*production code never imports test support/),
      '4 @nx/enforce-module-boundaries: A project tagged with "type:app" is not allowed to import "vitest"',
    ]);
  });

  it('lets apps use libraries, and tests and test support use test support', async () => {
    expect(
      await findings('apps/cli/src/boundary-fixture.ts', "import { loadFleet } from '@hafleet/fleet';\nexport const load = loadFleet;\n"),
    ).toEqual([]);
    const testCode = [
      "import { expect } from 'vitest';",
      "import { tempWorkspace } from '@hafleet/testing';",
      "import { fixtureDriver } from '@hafleet/rollout/testing';",
      'export const used = [expect, tempWorkspace, fixtureDriver];',
    ].join('\n');
    expect(await findings('apps/cli/src/boundary-fixture.test.ts', testCode)).toEqual([]);
    expect(await findings('apps/cli/src/testing/boundary-fixture.ts', testCode)).toEqual([]);
  });

  it('rejects a line over 160 characters, such as an unbroken message (the one stylistic rule)', async () => {
    const long = `export const message = '${'a long message, '.repeat(10)}';\n`;
    expect(await findings('libs/fleet/src/boundary-fixture.ts', long)).toEqual([
      expect.stringMatching(/^1 @stylistic\/max-len: This line has a length of \d+\. Maximum allowed is 160\./),
    ]);
    const split = `export const message =\n${Array.from({ length: 10 }, () => "  'a long message, ' +").join('\n')}\n  '';\n`;
    expect(await findings('libs/fleet/src/boundary-fixture.ts', split)).toEqual([]);
  });

  it('keeps the test-support project from importing an app', async () => {
    const found = await findings(
      'libs/testing/src/boundary-fixture.ts',
      "import { fleetCli } from '../../../apps/cli/src/cli.js';\nexport const cli = fleetCli;\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/^1 @nx\/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path/),
    ]);
  });
});
