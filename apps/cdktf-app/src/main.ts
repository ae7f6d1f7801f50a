/**
 * The cdktf app (`cdktf.json` runs it, so `npx cdktf synth` works too): synthesises every tenant,
 * or only those named as arguments or in HAFLEET_TENANTS (comma-separated).
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { PolicyViolationError } from '@hafleet/guardrails';
import { SpecValidationError } from '@hafleet/tenant-spec';
import { synthesizeTenants } from '@hafleet/tenant-stack';

const workspaceRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const named = [...process.argv.slice(2), ...(process.env['HAFLEET_TENANTS'] ?? '').split(',')].map((t) => t.trim()).filter(Boolean);

try {
  const stacks = synthesizeTenants({
    workspaceRoot,
    only: named.length > 0 ? named : undefined,
    outdir: process.env['CDKTF_OUTDIR'],
  });
  console.log(`synthesized ${stacks.length} tenant stack(s): ${stacks.map((s) => s.tenant).join(', ')}`);
} catch (error) {
  console.error(error instanceof SpecValidationError || error instanceof PolicyViolationError ? error.message : error);
  process.exitCode = 1;
}
