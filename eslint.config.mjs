// ESLint for every lib and app (each project's `lint` target runs `eslint <projectRoot>`).
// Correctness rules, plus one line-length limit: layout is Prettier's (`npm run format:check`), so
// eslint-config-prettier comes last but for that limit.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Test support (one rule, libs/testing/README.md): tests (`*.test.ts`); a project's own fakes and
 * fixtures in its `src/testing/` folder; what no single project owns in libs/testing
 * (`type:test-support`). nx.json's `production` input leaves the same files out.
 */
export const TEST_SUPPORT_FILES = ['**/*.test.ts', '**/testing/**', 'libs/testing/**'];

/** Packages only test support may import (the boundaries rule bans them from production code). */
const TEST_ONLY_PACKAGES = ['vitest', 'puppeteer-core'];

/** The layers, by the tags each project.json declares: apps use libs, libs never apps. */
const layers = (extra) => [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', ...extra] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...extra] },
  { sourceTag: 'type:test-support', onlyDependOnLibsWithTags: ['type:lib', 'type:test-support'] },
];

const BOUNDARY_OPTIONS = {
  allow: [],
  // A library imported lazily in one place and statically in another is fine here: nothing is
  // bundled, the lazy imports only defer loading cdktf until a command needs it.
  checkDynamicDependenciesExceptions: ['@hafleet/*'],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'cdktf.out/**', '.hafleet/**', '.nx/**', '**/__snapshots__/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          ...BOUNDARY_OPTIONS,
          depConstraints: layers([]).map((c) =>
            c.sourceTag === 'type:test-support' ? c : { ...c, bannedExternalImports: TEST_ONLY_PACKAGES },
          ),
        },
      ],
      // Inside a project, boundaries are folders: production code never reaches into its test support.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/testing', '**/testing/**', '@hafleet/testing', '@hafleet/*/testing'],
              message: 'production code never imports test support: move what both need into the library itself',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: TEST_SUPPORT_FILES,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...BOUNDARY_OPTIONS, depConstraints: layers(['type:test-support']) }],
      'no-restricted-imports': 'off',
      // Tests break synthesised JSON and specs on purpose, field by field: typing each edit would add nothing.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The report's browser script runs in the page, not in Node.
    files: ['**/*.client.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
  {
    // After eslint-config-prettier, which turns it off: Prettier breaks code at 140 but not strings
    // or comments, and those must stay readable too. A long message is concatenated, not reworded.
    plugins: { '@stylistic': stylistic },
    rules: { '@stylistic/max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
);
