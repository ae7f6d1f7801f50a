import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { JSON_SCHEMA_FILES, type TenantSpec } from '@hafleet/tenant-spec';
import type { SpecChange } from './driver.js';
import { RolloutInputError } from './errors.js';

/**
 * `--set field=value`: which spec field, and its value typed by the tenant schema (the generated
 * JSON Schema, so the zod schema stays the one source). Setting a value into a spec file is a
 * textual edit that keeps the rest of the file exactly as the person wrote it.
 */

interface JsonSchemaNode {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean | JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
}

/** Fields a rollout must not touch: identity, not configuration. */
const FIXED_FIELDS = new Set(['name', '$schema']);

let tenantJsonSchema: JsonSchemaNode | undefined;
const specSchema = (): JsonSchemaNode => (tenantJsonSchema ??= JSON.parse(JSON_SCHEMA_FILES['tenant.schema.json']()) as JsonSchemaNode);

/** The schema of a dotted spec path; throws RolloutInputError naming the known fields when unknown. */
export function schemaAtPath(path: string, flag: string): JsonSchemaNode {
  const segments = path.split('.');
  if (!path || segments.some((s) => !s)) {
    throw new RolloutInputError(`${flag} "${path}" is not a spec field — fix: a dotted path such as app.release`);
  }
  let node = specSchema();
  for (const [i, segment] of segments.entries()) {
    const object = objectBranch(node);
    const child =
      object?.properties?.[segment] ?? (typeof object?.additionalProperties === 'object' ? object.additionalProperties : undefined);
    if (!child) {
      const parent = segments.slice(0, i).join('.');
      const known = Object.keys(object?.properties ?? {}).map((k) => (parent ? `${parent}.${k}` : k));
      const fix = known.length ? `one of ${known.join(', ')}` : `${parent} has no fields below it`;
      throw new RolloutInputError(`${flag} ${path}: unknown spec field — fix: ${fix}`);
    }
    node = child;
  }
  return node;
}

function objectBranch(node: JsonSchemaNode): JsonSchemaNode | undefined {
  if (node.properties || typeof node.additionalProperties === 'object') return node;
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].find(
    (branch) => branch.properties || typeof branch.additionalProperties === 'object',
  );
}

function leafTypes(node: JsonSchemaNode): string[] {
  const own = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  return [...own, ...[...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap(leafTypes)];
}

/** Parses one `--set field=value`; the value is typed by the schema of that field. */
export function parseSetArgument(argument: string): SpecChange {
  const eq = argument.indexOf('=');
  if (eq <= 0) throw new RolloutInputError(`--set "${argument}" has no value — fix: --set field=value, e.g. --set app.release=2025.4.0`);
  const path = argument.slice(0, eq).trim();
  const text = argument.slice(eq + 1);
  if (FIXED_FIELDS.has(path.split('.')[0]!)) {
    throw new RolloutInputError(
      `--set ${path}: a rollout cannot change a tenant's ${path} — fix: set a configuration field such as app.release`,
    );
  }
  const types = leafTypes(schemaAtPath(path, '--set'));
  const fail = (expected: string): never => {
    throw new RolloutInputError(`--set ${path}="${text}" must be ${expected} — fix: e.g. --set ${path}=${exampleFor(expected)}`);
  };
  if (types.includes('string')) return { path, value: text };
  if (types.includes('integer') || types.includes('number')) {
    const value = Number(text);
    if (
      text.trim() === '' ||
      !Number.isFinite(value) ||
      (types.includes('integer') && !types.includes('number') && !Number.isInteger(value))
    ) {
      return fail(types.includes('integer') ? 'a whole number' : 'a number');
    }
    return { path, value };
  }
  if (types.includes('boolean')) {
    if (text !== 'true' && text !== 'false') return fail('true or false');
    return { path, value: text === 'true' };
  }
  // Arrays and objects are written as JSON: --set alerts.emails='["ops@example.org"]'.
  try {
    return { path, value: JSON.parse(text) as unknown };
  } catch {
    return fail(types.includes('array') ? 'a JSON array' : 'a JSON value');
  }
}

function exampleFor(expected: string): string {
  if (expected === 'true or false') return 'true';
  if (expected.includes('number')) return '3';
  if (expected.includes('array')) return `'["a","b"]'`;
  return `'{"key":"value"}'`;
}

/** `app.release` of a spec (defaults filled in), or undefined. */
export function valueAtPath(spec: TenantSpec, path: string): unknown {
  let value: unknown = spec;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * The spec text with `changes` set. Existing values are replaced in place; a missing field is
 * added after its last sibling, on one line when its parent object is on one line. Nothing else
 * in the file moves: comments aside (specs are JSON), the diff is exactly the change.
 */
export function setSpecValues(text: string, changes: readonly SpecChange[]): string {
  return changes.reduce((current, change) => setValue(current, change.path.split('.'), change.value), text);
}

function setValue(text: string, path: string[], value: unknown): string {
  const root = parseTree(text);
  if (!root || root.type !== 'object') throw new Error('spec is not a JSON object');
  const existing = findNodeAtLocation(root, path);
  if (existing) return splice(text, existing.offset, existing.length, inlineJson(value));

  // The deepest object on the path that exists: the new field goes in there.
  let depth = path.length - 1;
  let parent: Node | undefined;
  while (depth > 0 && !(parent = findNodeAtLocation(root, path.slice(0, depth)))) depth--;
  if (depth === 0) parent = root;
  if (!parent || parent.type !== 'object') throw new Error(`${path.slice(0, depth).join('.')} is not an object`);
  const nested = path.slice(depth + 1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
  const member = `${JSON.stringify(path[depth])}: ${inlineJson(nested)}`;

  const properties = parent.children ?? [];
  const last = properties.at(-1);
  const close = parent.offset + parent.length - 1;
  if (!last) return splice(text, parent.offset, parent.length, `{ ${member} }`);
  const lastEnd = last.offset + last.length;
  if (!text.slice(parent.offset, close).includes('\n')) return splice(text, lastEnd, 0, `, ${member}`);
  const lineStart = text.lastIndexOf('\n', last.offset) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return splice(text, lastEnd, 0, `,\n${indent}${member}`);
}

const splice = (text: string, offset: number, length: number, insert: string) =>
  text.slice(0, offset) + insert + text.slice(offset + length);

/** JSON on one line, spaced like the example specs: `{ "ring": "canary" }`, `["a", "b"]`. */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** `app.release=2025.4.0` for messages and reports. */
export const describeChange = (change: SpecChange): string =>
  `${change.path}=${typeof change.value === 'string' ? change.value : JSON.stringify(change.value)}`;
