/**
 * CI: merges the plan shards' views (each shard's `.hafleet/plan-summary.json`, downloaded under
 * one folder) into one pull-request comment on stdout and `.hafleet/plan-summary.{json,md}`.
 * Tenants a shard was given but never reported (`--expect a,b,c`) count as failed. Exit 1 when any
 * tenant failed, so the workflow fails after posting the comment.
 *   npx tsx scripts/ci/merge-plans.ts shards/ --expect "$TENANTS" > plan-comment.md
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mergeShardViews, readFleetPlanView, renderPlanMarkdown, writeFleetPlanView } from '@hafleet/fleet';
import { EXIT, workspaceRootOf } from '@hafleet/entry-point';

const workspaceRoot = workspaceRootOf(import.meta.url);
const { positionals, values } = parseArgs({ allowPositionals: true, options: { expect: { type: 'string', default: '' } } });
const dir = positionals[0];
if (!dir) {
  console.error('merge-plans: name the folder the shard artifacts were downloaded to — fix: npx tsx scripts/ci/merge-plans.ts shards/');
  process.exit(EXIT.usage);
}
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('plan-summary.json') && !/(^|\/)tenants\//.test(f))
  .sort()
  .map((f) => join(dir, f));
const expected = values.expect.split(/[\s,]+/).filter(Boolean);
const entries = mergeShardViews(files.map(readFleetPlanView), expected);
writeFleetPlanView(workspaceRoot, entries);
process.stdout.write(renderPlanMarkdown(entries, { title: `hafleet plan (${files.length} shard${files.length === 1 ? '' : 's'})` }));
process.exitCode = entries.some((e) => e.error) ? EXIT.failed : EXIT.ok;
