/**
 * The state bootstrap: `tsx apps/state-bootstrap/src/main.ts <synth|validate|plan|apply|show>`
 * (or `npx nx run state-bootstrap:<step>`). Creates the fleet's state bucket from fleet.json, with
 * the same plan, guard and apply as every tenant. Exit codes as the fleet CLI: 0, 1, 2, 3.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InvalidAllowanceError,
  applyStack,
  fleetContext,
  parseAllowances,
  planStack,
  readSavedPlan,
  refusalMessage,
  renderPlanTable,
  validateStack,
} from '@hafleet/fleet';
import { SpecValidationError } from '@hafleet/tenant-spec';
import { formatPlanSummary } from '@hafleet/terraform';
import { BOOTSTRAP_STACK, bootstrapLocation, synthesizeBootstrap } from './bootstrap.js';

const workspaceRoot = resolve(process.env['HAFLEET_WORKSPACE'] ?? resolve(fileURLToPath(import.meta.url), '../../../..'));
const STEPS = ['synth', 'validate', 'plan', 'apply', 'show'] as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'allow-destroy': { type: 'string', multiple: true, default: [] } } });
  const step = positionals[0] as (typeof STEPS)[number] | undefined;
  if (!step || !STEPS.includes(step)) {
    console.error(`usage: state-bootstrap <${STEPS.join('|')}> [--allow-destroy ${BOOTSTRAP_STACK}:<address>]`);
    return 2;
  }
  if (step === 'synth') {
    console.log(`synthesized ${synthesizeBootstrap({ workspaceRoot })}`);
    return 0;
  }
  const ctx = fleetContext(workspaceRoot);
  const location = bootstrapLocation(ctx);
  const progress = (name: string) => console.error(`… ${BOOTSTRAP_STACK}: ${step} › ${name}`);
  switch (step) {
    case 'validate':
      await validateStack(ctx, location);
      console.log(`${BOOTSTRAP_STACK}: terraform validate ok`);
      return 0;
    case 'plan': {
      const plan = await planStack(ctx, location, { onStep: progress });
      console.log(`${renderPlanTable([{ tenant: BOOTSTRAP_STACK, plan }])}\n\n${formatPlanSummary(plan.summary)}`);
      return 0;
    }
    case 'show':
      console.log(renderPlanTable([{ tenant: BOOTSTRAP_STACK, plan: readSavedPlan(ctx, location) }]));
      return 0;
    case 'apply': {
      const allowDestroy = parseAllowances(values['allow-destroy'] ?? []);
      const result = await applyStack(ctx, location, { allowDestroy, onStep: progress });
      if (result.status === 'refused') {
        console.error(refusalMessage(result.verdict));
        return 3;
      }
      console.log(`${BOOTSTRAP_STACK}: ${result.status}`);
      return 0;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = error instanceof SpecValidationError || error instanceof InvalidAllowanceError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1;
  },
);
