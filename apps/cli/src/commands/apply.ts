import { applyTenant, parseAllowances, refusalMessage, renderTable, type ApplyResult, type DestroyAllowance } from '@hafleet/fleet';
import { formatPlanSummary } from '@hafleet/terraform';
import { EXIT, UsageError, defineCommand } from '../command.js';
import { ALLOW_DESTROY_OPTION } from '../allow-destroy-option.js';
import { FLEET_RUN_OPTIONS, runAcrossFleet } from '../fleet-run.js';

/** The allowances, each naming a tenant of this run (a bad one throws InvalidAllowanceError: exit 2). */
function allowances(values: readonly string[], tenants: readonly string[]): DestroyAllowance[] {
  const parsed = parseAllowances(values);
  for (const a of parsed) {
    if (!tenants.includes(a.tenant)) {
      throw new UsageError(
        `--allow-destroy ${a.tenant}:${a.address} names tenant ${a.tenant}, which this run does not apply — fix: one of ${tenants.join(', ')}`,
      );
    }
  }
  return parsed;
}

const describe = (r: ApplyResult): string =>
  r.status === 'refused'
    ? `REFUSED: would lose ${r.verdict.blocked.length} stateful resource(s)`
    : r.status === 'unchanged'
      ? 'no changes'
      : `applied: ${formatPlanSummary(r.summary)}`;

export const apply = defineCommand({
  name: 'apply',
  args: '[tenant...]',
  summary: 'apply each tenant’s saved plan (never a new one); refuses to lose a stateful resource unless allowed (exit 3)',
  options: {
    ...FLEET_RUN_OPTIONS,
    'allow-destroy': ALLOW_DESTROY_OPTION,
    'keep-going': { type: 'boolean', description: 'go on after a failed or refused tenant (default: the first one stops the run)' },
  },
  examples: [
    'npx fleet apply harbour-health',
    'npx fleet apply harbour-health --allow-destroy harbour-health:aws_db_instance.database_instance_1A2B3C4D',
    'npx fleet apply --keep-going --max-parallel 4 --json',
  ],
  async run(input) {
    const { options } = input;
    let allowDestroy: DestroyAllowance[] = [];
    const { outcomes } = await runAcrossFleet('apply', input, {
      check: (tenants) => {
        allowDestroy = allowances(options['allow-destroy'], tenants);
      },
      each: (ctx, t, onStep) => applyTenant(ctx, t, { allowDestroy, onStep }),
      describe,
      status: (r) => (r.status === 'applied' ? 'succeeded' : r.status === 'unchanged' ? 'skipped' : 'failed'),
      // By default the first failure or refusal stops the run: the tenants left are skipped, untouched.
      stopWhen: options['keep-going'] ? undefined : (o) => !o.ok || o.value.status === 'refused',
    });
    if (options['json']) {
      console.log(
        JSON.stringify(
          outcomes.map((o) => (o.ok ? o.value : { tenant: o.tenant, status: o.skipped ? 'skipped' : 'failed', error: o.error.message })),
          null,
          2,
        ),
      );
    } else {
      const rows = outcomes.map((o) => {
        if (!o.ok) return [o.tenant, o.skipped ? 'skipped' : 'FAILED', '-', '-', '-', '-'];
        const s = o.value.summary;
        const allowed = o.value.status === 'applied' ? o.value.verdict.allowed.length : 0;
        return [o.tenant, o.value.status === 'refused' ? 'REFUSED' : o.value.status, s.add, s.change, s.destroy, allowed];
      });
      console.log(`\n${renderTable(['tenant', 'result', 'add', 'change', 'destroy', 'data loss allowed'], rows)}`);
    }
    for (const o of outcomes) {
      if (!o.ok) console.error(`\n${o.tenant}: ${o.error.message}`);
      else if (o.value.status === 'refused') console.error(`\n${refusalMessage(o.value.verdict)}`);
      else if (o.value.status === 'applied' && o.value.verdict.allowed.length)
        console.error(`\n${o.tenant}: allowed and applied the loss of ${o.value.verdict.allowed.map((c) => c.address).join(', ')}`);
      // A typo in an allowance never allows anything; say so, so the operator is not left guessing.
      if (o.ok)
        for (const a of o.value.verdict.unused)
          console.error(`warning: --allow-destroy ${a.tenant}:${a.address} matched nothing in the plan`);
    }
    if (outcomes.some((o) => !o.ok && !o.skipped)) return EXIT.failed;
    return outcomes.some((o) => o.ok && o.value.status === 'refused') ? EXIT.refused : EXIT.ok;
  },
});
