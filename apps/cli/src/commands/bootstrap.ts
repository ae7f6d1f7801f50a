import { relative } from 'node:path';
import {
  applyStack,
  fleetContext,
  parseAllowances,
  planStack,
  readSavedPlan,
  refusalMessage,
  renderPlanTable,
  validateStack,
} from '@hafleet/fleet';
import { BOOTSTRAP_STACK, bootstrapLocation, synthesizeBootstrap } from '@hafleet/state-bootstrap';
import { nearest } from '@hafleet/tenant-spec';
import { formatPlanSummary } from '@hafleet/terraform';
import { ALLOW_DESTROY_OPTION } from '../allow-destroy-option.js';
import { EXIT, JSON_OPTION, UsageError, defineCommand, type ExitCode } from '../command.js';

const STEPS = ['synth', 'validate', 'plan', 'apply', 'show'] as const;
type Step = (typeof STEPS)[number];

/**
 * `fleet bootstrap <step>`: the fleet's state bucket (from fleet.json) through the same synth,
 * validate, plan, guard and apply as every tenant. Its Nx targets (`nx run state-bootstrap:<step>`) run this.
 */
export const bootstrap = defineCommand({
  name: 'bootstrap',
  args: `<${STEPS.join('|')}>`,
  summary:
    "the fleet's S3 state bucket from fleet.json (once per fleet, before the first remote plan): synth, validate, plan, apply or show, as for a tenant",
  details: `The stack is ${BOOTSTRAP_STACK}; its own state stays local in .hafleet/${BOOTSTRAP_STACK} (it cannot live in the bucket it creates).`,
  options: { ...JSON_OPTION, 'allow-destroy': { ...ALLOW_DESTROY_OPTION, example: `${BOOTSTRAP_STACK}:aws_s3_bucket.state` } },
  examples: ['npx fleet bootstrap plan', `npx fleet bootstrap apply`, 'npx fleet bootstrap show --json'],
  async run({ args, options, workspaceRoot }): Promise<ExitCode> {
    const step = checkedStep(args);
    const json = options['json'] === true;
    if (step === 'synth') {
      const file = synthesizeBootstrap({ workspaceRoot });
      if (json) console.log(JSON.stringify({ stack: BOOTSTRAP_STACK, file: relative(workspaceRoot, file) }, null, 2));
      else console.log(`synthesized ${relative(workspaceRoot, file)}`);
      return EXIT.ok;
    }
    const ctx = fleetContext(workspaceRoot);
    const location = bootstrapLocation(ctx);
    const progress = (name: string) => console.error(`… ${BOOTSTRAP_STACK}: ${step} › ${name}`);
    switch (step) {
      case 'validate': {
        const result = await validateStack(ctx, location);
        if (json) console.log(JSON.stringify({ stack: BOOTSTRAP_STACK, ...result }, null, 2));
        else console.log(`${BOOTSTRAP_STACK}: terraform validate ok`);
        return EXIT.ok;
      }
      case 'plan': {
        const plan = await planStack(ctx, location, { onStep: progress });
        if (json) console.log(JSON.stringify({ stack: BOOTSTRAP_STACK, plannedAt: plan.plannedAt, summary: plan.summary }, null, 2));
        else console.log(`${renderPlanTable([{ tenant: BOOTSTRAP_STACK, plan }])}\n\n${formatPlanSummary(plan.summary)}`);
        return EXIT.ok;
      }
      case 'show': {
        const plan = readSavedPlan(ctx, location);
        if (json) console.log(JSON.stringify({ stack: BOOTSTRAP_STACK, plannedAt: plan.plannedAt, summary: plan.summary }, null, 2));
        else console.log(renderPlanTable([{ tenant: BOOTSTRAP_STACK, plan }]));
        return EXIT.ok;
      }
      case 'apply': {
        const result = await applyStack(ctx, location, { allowDestroy: parseAllowances(options['allow-destroy']), onStep: progress });
        if (json) console.log(JSON.stringify({ stack: BOOTSTRAP_STACK, ...result }, null, 2));
        if (result.status === 'refused') {
          console.error(refusalMessage(result.verdict));
          return EXIT.refused;
        }
        if (!json) console.log(`${BOOTSTRAP_STACK}: ${result.status}`);
        return EXIT.ok;
      }
    }
  },
});

function checkedStep(args: readonly string[]): Step {
  const [step, ...extra] = args;
  const fix = `fix: fleet bootstrap <${STEPS.join('|')}>, e.g. fleet bootstrap plan`;
  if (step === undefined) throw new UsageError(`fleet bootstrap: which step? — ${fix}`);
  if (!(STEPS as readonly string[]).includes(step)) {
    const near = nearest(step, STEPS);
    throw new UsageError(`fleet bootstrap: unknown step "${step}"${near ? ` — did you mean "${near}"?` : ''} — ${fix}`);
  }
  if (extra.length) throw new UsageError(`fleet bootstrap ${step}: one step at a time, not ${extra.join(' ')} — ${fix}`);
  return step as Step;
}
