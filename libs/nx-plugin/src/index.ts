import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CreateNodes, CreateNodesResult, TargetConfiguration } from '@nx/devkit';

/**
 * hafleet's Nx plugin. Every `tenants/<name>/tenant.json` becomes a project with synth, validate,
 * plan, apply, drift and show targets; every lib and app gets typecheck, lint and test. Nothing is copied per tenant.
 * (Nx 23 calls the `createNodesV2` API `createNodes`; the signature is the same.)
 */

/** How Nx runs the operators' CLI; the same entry point people use by hand. */
export const FLEET_CLI = 'tsx apps/cli/src/main.ts';

/**
 * The projects a tenant's synthesis and planning load (their own dependencies follow from the
 * source analysis): the stack composition and, through it, the modules, guardrails and spec; the
 * fleet operations and terraform runner. Not the CLI, rollout, onboarding or reports, which
 * synthesis never loads: a change there affects no tenant.
 */
export const TENANT_DEPENDENCIES = ['tenant-stack', 'fleet'];

/** What a tenant's synthesized stack depends on, besides the libraries' sources: the executors that run it too. */
const STACK_INPUTS = [
  '{projectRoot}/tenant.json',
  '{workspaceRoot}/fleet.json',
  '^production',
  '{workspaceRoot}/libs/nx-plugin/executors.json',
  '{workspaceRoot}/libs/nx-plugin/src/executors/**/*',
  { env: 'HAFLEET_MODE' },
  { env: 'HAFLEET_APPLY_IMMEDIATELY' },
  { externalDependencies: ['cdktf', '@cdktf/provider-aws', 'constructs', 'zod'] },
];

export function tenantTargets(tenant: string): Record<string, TargetConfiguration> {
  const run = (command: string) => ({ command: `${FLEET_CLI} ${command}`, cwd: '{workspaceRoot}' });
  return {
    // synth, validate and plan run batched: one process for all the tenants a run needs, one
    // result (and cache entry) per tenant (libs/nx-plugin/src/executors).
    synth: {
      executor: '@hafleet/nx-plugin:synth',
      cache: true,
      inputs: STACK_INPUTS,
      outputs: [`{workspaceRoot}/cdktf.out/stacks/${tenant}`],
      metadata: { description: 'Validate the spec, synthesise the Terraform JSON stack and hold it to the guardrails.' },
    },
    validate: {
      executor: '@hafleet/nx-plugin:validate',
      dependsOn: ['synth'],
      cache: true,
      inputs: [...STACK_INPUTS, { runtime: 'terraform version' }],
      metadata: {
        description: 'A real `terraform validate` of the synthesized stack (synth has held it to the fleet rules and guardrails).',
      },
    },
    // Each task writes only its tenant's folder, so batches and `--parallel` share nothing;
    // the batch prints the fleet table, and `fleet show` assembles the fleet view afterwards.
    plan: {
      executor: '@hafleet/nx-plugin:plan',
      // Synth already holds the stack to the fleet rules and guardrails, and terraform plan
      // validates the configuration itself: a validate step first would only add a provider start.
      dependsOn: ['synth'],
      // A plan depends on real infrastructure and state, which Nx cannot hash.
      cache: false,
      // Never cached; the inputs say which changes affect it (`nx affected -t plan`).
      inputs: STACK_INPUTS,
      metadata: { description: 'terraform plan (offline unless HAFLEET_MODE=remote), saved for apply, with its summary.' },
    },
    apply: {
      executor: 'nx:run-commands',
      // Extra arguments reach the CLI: `nx run <t>:apply --allow-destroy=<t>:<address>`.
      options: run(`apply ${tenant} --tenant-only`),
      // The plan of this same run, and nothing else, is what gets applied.
      dependsOn: ['plan'],
      cache: false,
      inputs: STACK_INPUTS,
      metadata: { description: 'Apply the saved plan; refuses (exit 3) to lose a stateful resource unless allowed.' },
    },
    drift: {
      executor: 'nx:run-commands',
      options: run(`drift ${tenant} --tenant-only`),
      dependsOn: ['synth'],
      cache: false,
      metadata: { description: 'terraform plan -refresh-only -detailed-exitcode; exit 4 when drifted.' },
    },
    show: {
      executor: 'nx:run-commands',
      options: run(`show ${tenant} --tenant-only`),
      cache: false,
      metadata: { description: 'The saved plan apply would run, and any stateful resource it would lose.' },
    },
  };
}

export function codeProjectTargets(): Record<string, TargetConfiguration> {
  return {
    typecheck: {
      executor: 'nx:run-commands',
      options: { command: 'tsc --noEmit -p {projectRoot}/tsconfig.json', cwd: '{workspaceRoot}' },
      cache: true,
      inputs: ['default', '^production', '^testSupport', { externalDependencies: ['typescript'] }],
    },
    lint: {
      executor: 'nx:run-commands',
      // Type-free rules plus the module boundaries, which read the tags of every project (^default).
      options: { command: 'eslint --max-warnings=0 {projectRoot}', cwd: '{workspaceRoot}' },
      cache: true,
      inputs: [
        'default',
        '^default',
        '{workspaceRoot}/eslint.config.mjs',
        { externalDependencies: ['eslint', 'typescript-eslint', '@nx/eslint-plugin', 'eslint-config-prettier'] },
      ],
    },
    test: {
      executor: 'nx:run-commands',
      options: {
        // The JSON report lets CI print one fleet-wide "N passed, N failed" line.
        command:
          'vitest run --config vitest.config.ts --dir {projectRoot} --passWithNoTests --reporter=default ' +
          '--reporter=json --outputFile.json=.hafleet/test-results/{projectName}.json',
        cwd: '{workspaceRoot}',
      },
      cache: true,
      outputs: ['{workspaceRoot}/.hafleet/test-results/{projectName}.json'],
      // Tests synthesise and plan the example tenants with the real terraform.
      inputs: [
        'default',
        '^production',
        // Tests import other projects' fakes and fixtures, which `production` leaves out.
        '^testSupport',
        '{workspaceRoot}/vitest.config.ts',
        // The lint fixtures run the workspace's ESLint config.
        '{workspaceRoot}/eslint.config.mjs',
        '{workspaceRoot}/tenants/**/*',
        '{workspaceRoot}/fleet.json',
        // The CI workflows and scripts are validated and run by the libs' tests.
        '{workspaceRoot}/.github/**/*',
        '{workspaceRoot}/scripts/**/*',
        // Cost estimates and the report read the price file.
        '{workspaceRoot}/prices.json',
        { runtime: 'terraform version' },
      ],
    },
  };
}

function tenantProject(specFile: string, workspaceRoot: string): CreateNodesResult {
  const root = dirname(specFile);
  const name = basename(root);
  const tags = ['type:tenant', ...tenantTags(join(workspaceRoot, specFile))];
  return {
    projects: {
      [root]: {
        name,
        root,
        projectType: 'application',
        tags,
        implicitDependencies: TENANT_DEPENDENCIES,
        targets: tenantTargets(name),
      },
    },
  };
}

/**
 * Region, environment and rollout ring as tags, so `nx run-many --projects tag:region:eu-west-1`
 * works; `fleet rollout --tag` selects by the same tags (libs/rollout tenantTags, kept equal by its test).
 */
function tenantTags(specFile: string): string[] {
  try {
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { region?: unknown; environment?: unknown; rollout?: { ring?: unknown } };
    return [
      typeof spec.region === 'string' ? `region:${spec.region}` : undefined,
      `env:${typeof spec.environment === 'string' ? spec.environment : 'production'}`,
      `ring:${typeof spec.rollout?.ring === 'string' ? spec.rollout.ring : 'general'}`,
    ].filter((tag): tag is string => tag !== undefined);
  } catch {
    return []; // an unreadable spec still becomes a project, so `synth` can report why
  }
}

export const createNodes: CreateNodes = [
  '{tenants/*/tenant.json,libs/*/project.json,apps/*/project.json}',
  (files, _options, context) =>
    files.map((file) => {
      if (file.startsWith('tenants/')) return [file, tenantProject(file, context.workspaceRoot)] as const;
      const root = dirname(file);
      return [file, { projects: { [root]: { root, targets: codeProjectTargets() } } }] as const;
    }),
];
