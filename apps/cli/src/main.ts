/**
 * `fleet`: the operators' CLI (`npm run fleet -- <command>`). Thin: it parses arguments, calls the
 * libs and prints. Exit codes: 0 ok, 1 a tenant or terraform failed, 2 bad input.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@hafleet/fs-safe';
import { fleetContext, forEachTenant, planTenant, renderTable, validateTenantStack, type ProgressEvent } from '@hafleet/fleet';
import { JSON_SCHEMA_FILES, SpecValidationError, loadFleet } from '@hafleet/tenant-spec';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { TerraformCommandError, formatPlanSummary } from '@hafleet/terraform';

/** The workspace this CLI belongs to; HAFLEET_WORKSPACE points it at another (tests use copies). */
const workspaceRoot = resolve(process.env['HAFLEET_WORKSPACE'] ?? resolve(fileURLToPath(import.meta.url), '../../../..'));

const USAGE = `usage: fleet <command> [tenant...] [options]

commands:
  validate [tenant...] [--terraform]   check specs and fleet rules; --terraform also runs terraform validate
  synth [tenant...]                    synthesise Terraform JSON into cdktf.out/stacks/<tenant>
  plan [tenant...] [--max-parallel N]  terraform plan of synthesized stacks, with a summary table
  schema                               regenerate the JSON Schemas of tenant.json and fleet.json

options:
  --json            print machine-readable JSON instead of the table
  --max-parallel N  tenants at once (default 2)
  -h, --help        this text

Tenants default to the whole fleet. HAFLEET_MODE=offline (default) plans with no AWS account;
HAFLEET_MODE=remote uses the fleet's S3 state and real credentials.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      terraform: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'max-parallel': { type: 'string', default: '2' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...named] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const only = named.length > 0 ? named : undefined;
  const maxParallel = Number(values['max-parallel']);
  if (!Number.isInteger(maxParallel) || maxParallel < 1) {
    throw new UsageError(`--max-parallel "${values['max-parallel']}" must be a whole number ≥ 1 — fix: e.g. --max-parallel 4`);
  }

  switch (command) {
    case 'validate': {
      const tenants = loadFleet(workspaceRoot, { only }).map((t) => t.spec.name);
      if (!values.terraform) {
        console.log(`${tenants.length} tenant spec(s) valid: ${tenants.join(', ')}`);
        return 0;
      }
      const ctx = fleetContext(workspaceRoot);
      const outcomes = await forEachTenant(tenants, (t) => validateTenantStack(ctx, t), { maxParallel, onProgress: progress('validate') });
      return report(outcomes.map((o) => [o.tenant, o.ok ? 'valid' : 'INVALID']), ['tenant', 'terraform validate'], outcomes, values.json);
    }
    case 'synth': {
      const stacks = synthesizeTenants({ workspaceRoot, only });
      console.log(`synthesized ${stacks.length} stack(s): ${stacks.map((s) => s.tenant).join(', ')}`);
      return 0;
    }
    case 'plan': {
      const tenants = loadFleet(workspaceRoot, { only }).map((t) => t.spec.name);
      const ctx = fleetContext(workspaceRoot);
      const outcomes = await forEachTenant(tenants, (t) => planTenant(ctx, t), { maxParallel, onProgress: progress('plan') });
      const rows = outcomes.map((o) =>
        o.ok
          ? [o.tenant, o.value.summary.add, o.value.summary.change, o.value.summary.destroy, o.value.summary.replace, o.value.summary.resourceCount, 'planned']
          : [o.tenant, '-', '-', '-', '-', '-', 'FAILED'],
      );
      return report(rows, ['tenant', 'add', 'change', 'destroy', 'replace', 'resources', 'result'], outcomes, values.json);
    }
    case 'schema': {
      for (const [file, generate] of Object.entries(JSON_SCHEMA_FILES)) {
        writeFileAtomic(resolve(workspaceRoot, 'libs/tenant-spec', file), generate());
        console.log(`wrote libs/tenant-spec/${file}`);
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}" — fix: one of validate, synth, plan, schema (fleet --help)`);
  }
}

type Outcome = { tenant: string; ok: boolean; error?: Error; value?: unknown; durationMs: number };

/** Progress on stderr, so stdout stays a clean table or JSON. */
function progress(step: string) {
  return (event: ProgressEvent<unknown>) => {
    if (event.kind === 'start') console.error(`… ${event.tenant}: ${step}`);
    else {
      const { outcome } = event;
      const took = `${(outcome.durationMs / 1000).toFixed(1)}s`;
      const what = outcome.ok ? (isPlan(outcome.value) ? formatPlanSummary(outcome.value.summary) : 'ok') : 'FAILED';
      console.error(`[${event.done}/${event.total}] ${outcome.tenant}: ${step} ${what} (${took})`);
    }
  };
}

function isPlan(value: unknown): value is { summary: Parameters<typeof formatPlanSummary>[0] } {
  return typeof value === 'object' && value !== null && 'summary' in value;
}

function report(rows: Array<Array<string | number>>, headers: string[], outcomes: Outcome[], json: boolean): number {
  if (json) {
    console.log(JSON.stringify(outcomes.map((o) => ({ tenant: o.tenant, ok: o.ok, durationMs: Math.round(o.durationMs), ...(o.ok ? { result: o.value } : { error: o.error?.message }) })), null, 2));
  } else {
    console.log(`\n${renderTable(headers, rows)}`);
    for (const o of outcomes.filter((x) => !x.ok)) console.error(`\n${o.tenant}: ${o.error?.message}`);
  }
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SpecValidationError || error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
    } else if (error instanceof TerraformCommandError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = error instanceof TypeError && /parseArgs|Unknown option/i.test(String(error)) ? 2 : 1;
    }
  },
);
