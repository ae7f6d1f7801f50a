import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import { EXIT } from '@hafleet/entry-point';

/** The README's exit-code table is the one every entry point uses (issue 13.7); `nx g` is checked to exit 2 in the generator's test. */
describe('exit codes', () => {
  const readme = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| exit code | meaning |'));
  const lines = table.split('\n');
  const rows = lines
    .slice(
      2,
      lines.findIndex((line) => !line.startsWith('|')),
    )
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, code, meaning]) => [code!, meaning!] as const);

  it('the README table lists exactly the codes the CLI uses', () => {
    const documented = rows.flatMap(([code]) => code.split('/').map((c) => Number(c.trim())));
    expect(documented.sort((a, b) => a - b)).toEqual([...Object.values(EXIT)].sort((a, b) => a - b));
  });

  it.each([
    [EXIT.usage, /^bad input/],
    [EXIT.refused, /^apply refused/],
    [EXIT.drift, /^drift/],
    [EXIT.interrupted, /^interrupted/],
    [EXIT.terminated, /^interrupted/],
  ])('code %i means what the README says', (code, meaning) => {
    expect(
      rows.find(([c]) =>
        c
          .split('/')
          .map((x) => Number(x.trim()))
          .includes(code),
      )?.[1],
    ).toMatch(meaning);
  });
});
