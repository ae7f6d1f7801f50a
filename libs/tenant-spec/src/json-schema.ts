import { z } from 'zod';
import { fleetConfigSchema } from './fleet-config.js';
import { tenantSpecSchema } from './schema.js';

/**
 * JSON Schemas generated from the zod schemas, committed beside this lib and referenced by
 * `$schema` so editors complete and check specs. A test keeps the committed files current;
 * `fleet schema` rewrites them.
 */
export const JSON_SCHEMA_FILES = {
  'tenant.schema.json': () => toJsonSchema(tenantSpecSchema, 'hafleet tenant spec (tenants/<name>/tenant.json)'),
  'fleet.schema.json': () => toJsonSchema(fleetConfigSchema, 'hafleet fleet configuration (fleet.json)'),
} as const;

function toJsonSchema(schema: z.ZodType, title: string): string {
  // Input shape: what a person writes, so fields with defaults are optional.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ title, ...json }, null, 2)}\n`;
}
