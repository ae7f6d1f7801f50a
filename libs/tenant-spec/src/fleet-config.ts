import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SpecValidationError } from './problems.js';

/** `fleet.json` at the workspace root: settings that hold for every tenant. */
export const fleetConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  defaultAccountId: z
    .string()
    .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
    .describe('The hosting account of tenants whose spec names no account of their own.'),
  stateBackend: z
    .strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }).describe('S3 bucket holding every tenant state.'),
      region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, { error: 'must be an AWS region like "eu-west-1"' }),
      keyPrefix: z.string().regex(/^[a-zA-Z0-9._/-]+$/).default('tenants').describe('State key is <keyPrefix>/<tenant>/terraform.tfstate.'),
    })
    .describe('Remote state used outside offline mode.'),
});

export type FleetConfig = z.output<typeof fleetConfigSchema>;
export const FLEET_CONFIG_FILE = 'fleet.json';

export function loadFleetConfig(workspaceRoot: string): FleetConfig {
  const file = join(workspaceRoot, FLEET_CONFIG_FILE);
  if (!existsSync(file)) {
    throw new SpecValidationError([{ tenant: '(fleet)', file: FLEET_CONFIG_FILE, field: '', message: 'is missing — fix: create fleet.json at the workspace root (see README)' }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SpecValidationError([{ tenant: '(fleet)', file: FLEET_CONFIG_FILE, field: '', message: `is not valid JSON (${(error as Error).message}) — fix: correct the syntax` }]);
  }
  const result = fleetConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new SpecValidationError(
    result.error.issues.map((issue) => ({ tenant: '(fleet)', file: FLEET_CONFIG_FILE, field: issue.path.join('.'), message: issue.message })),
  );
}
