import { relative } from 'node:path';
import { disasterRecoveryRunbook, formatRunbook, planRestoreDrill } from '@hafleet/disaster-recovery';
import { stackModeFromEnv } from '@hafleet/tenant-stack';
import { formatPlanSummary } from '@hafleet/terraform';
import { EXIT, JSON_OPTION, UsageError, defineCommand } from '../command.js';

const USAGE = '<tenant> [--json] | <tenant> --drill --database-recovery-point <arn> --certificate-arn <arn>';

export const dr = defineCommand({
  name: 'dr',
  args: '<tenant>',
  summary:
    "the tenant's recovery runbook from its stack: what is copied where, the RPO of each copy, " +
    'the restore steps; --drill plans the restore stack in the DR region',
  details: 'HAFLEET_MODE=remote plans the drill against the account instead of offline.',
  options: {
    ...JSON_OPTION,
    drill: {
      type: 'boolean',
      description: 'synthesise the restore stack (the tenant in its DR region, database from the recovery point) and plan it',
    },
    'database-recovery-point': {
      type: 'string',
      value: '<arn>',
      description: 'the RDS/Aurora recovery point ARN in the DR vault (aws backup list-recovery-points-by-backup-vault)',
      example: 'arn:aws:backup:us-west-2:444455556666:recovery-point:awsbackup:job-0f1e2d3c',
    },
    'certificate-arn': {
      type: 'string',
      value: '<arn>',
      description: 'ACM certificate for the tenant domain in the DR region',
      example: 'arn:aws:acm:us-west-2:444455556666:certificate/3c4d5e6f-7a8b-4c9d-8e0f-3a4b5c6d7e8f',
    },
  },
  examples: ['npx fleet dr lakeside-state', 'npx fleet dr lakeside-state --drill --database-recovery-point <arn> --certificate-arn <arn>'],
  async run({ args, options, workspaceRoot }) {
    if (args.length !== 1) throw new UsageError(`fleet dr takes one tenant, got ${args.length} — fix: fleet dr ${USAGE}`);
    const tenant = args[0]!;
    if (!options['drill']) {
      const runbook = disasterRecoveryRunbook(workspaceRoot, tenant);
      console.log(options['json'] ? JSON.stringify(runbook, null, 2) : formatRunbook(runbook));
      return EXIT.ok;
    }
    const missing = (['database-recovery-point', 'certificate-arn'] as const).filter(
      (flag) => typeof options[flag] !== 'string' || options[flag] === '',
    );
    if (missing.length)
      throw new UsageError(`fleet dr --drill needs ${missing.map((f) => `--${f}`).join(' and ')} — fix: fleet dr ${USAGE}`);
    const drill = await planRestoreDrill(
      {
        workspaceRoot,
        tenant,
        databaseRecoveryPointArn: String(options['database-recovery-point']),
        certificateArn: String(options['certificate-arn']),
        mode: stackModeFromEnv(),
      },
      { onStep: (step) => console.error(`${tenant}: restore stack ${step}…`) },
    );
    if (options['json']) {
      console.log(
        JSON.stringify(
          {
            tenant,
            restoreStack: drill.spec.name,
            region: drill.spec.region,
            stack: relative(workspaceRoot, drill.dir),
            summary: drill.plan.summary,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(`${tenant}: restore stack ${drill.spec.name} in ${drill.spec.region} (${relative(workspaceRoot, drill.dir)})`);
      console.log(`guardrails: ${drill.policy.outcomes.filter((o) => o.result === 'pass').length} checks passed`);
      console.log(`plan: ${formatPlanSummary(drill.plan.summary)}; saved in ${relative(workspaceRoot, drill.plan.planFile)}`);
    }
    return EXIT.ok;
  },
});
