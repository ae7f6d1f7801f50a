/**
 * CI: splits the affected tenants (a JSON array on stdin, as `nx show projects --json` prints it)
 * into at most fleet.json `ci.maxJobs` shards, plus the tenants that apply in their own approval
 * job (`ci.approvalTenants`; `--no-approvals` for plans, which need no reviewer). Prints
 * `shards=<json>` and `approvals=<json>` lines for $GITHUB_OUTPUT; a summary goes to stderr.
 *   npx nx show projects --affected -t plan --projects 'tag:type:tenant' --json | npx tsx scripts/ci/shards.ts
 */
import { readFileSync } from 'node:fs';
import { shardTenants } from '@hafleet/fleet';
import { loadFleetConfig } from '@hafleet/tenant-spec';
import { EXIT, workspaceRootOf } from '@hafleet/entry-point';

const workspaceRoot = workspaceRootOf(import.meta.url);
const input = readFileSync(0, 'utf8');
let tenants: unknown;
try {
  tenants = JSON.parse(input.slice(Math.max(0, input.indexOf('['))));
} catch {
  tenants = undefined;
}
if (!Array.isArray(tenants) || tenants.some((t) => typeof t !== 'string')) {
  console.error(
    `shards: stdin must be a JSON array of tenant names — fix: pipe \`nx show projects --affected -t plan --projects 'tag:type:tenant' --json\``,
  );
  process.exit(EXIT.usage);
}
const { ci } = loadFleetConfig(workspaceRoot);
const plan = shardTenants(tenants as string[], {
  maxJobs: ci.maxJobs,
  approvalTenants: process.argv.includes('--no-approvals') ? [] : ci.approvalTenants,
});
// Matrix entries carry their tenants as one comma-separated string: `nx run-many --projects` takes it as is.
const matrix = plan.shards.map((s) => ({ id: s.id, count: s.tenants.length, tenants: s.tenants.join(',') }));
console.log(`shards=${JSON.stringify(matrix)}`);
console.log(`approvals=${JSON.stringify(plan.approvals)}`);
const sizes = plan.shards.map((s) => s.tenants.length);
console.error(
  `${(tenants as string[]).length} affected tenant(s): ${plan.shards.length} shard job(s)` +
    (sizes.length ? ` of ${Math.min(...sizes)}–${Math.max(...sizes)} tenants` : '') +
    `, ${plan.approvals.length} approval job(s)${plan.approvals.length ? ` (${plan.approvals.join(', ')})` : ''}`,
);
