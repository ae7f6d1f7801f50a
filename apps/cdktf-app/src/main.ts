/**
 * The cdktf app (`cdktf.json` runs it, so `npx cdktf synth` works too): synthesises every tenant,
 * or only those named as arguments or in HAFLEET_TENANTS (comma-separated). Exit codes as the
 * fleet CLI's (a bad spec is 2).
 */
import { EXIT, runMain, workspaceRootOf } from '@hafleet/entry-point';
import { synthesizeTenants } from '@hafleet/tenant-stack';

await runMain(() => {
  const named = [...process.argv.slice(2), ...(process.env['HAFLEET_TENANTS'] ?? '').split(',')].map((t) => t.trim()).filter(Boolean);
  const stacks = synthesizeTenants({
    workspaceRoot: workspaceRootOf(import.meta.url),
    only: named.length > 0 ? named : undefined,
    outdir: process.env['CDKTF_OUTDIR'],
  });
  console.log(`synthesized ${stacks.length} tenant stack(s): ${stacks.map((s) => s.tenant).join(', ')}`);
  return EXIT.ok;
});
