import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { cidrsOverlap, parseCidr } from './cidr.js';
import { SpecValidationError, type SpecProblem } from './problems.js';
import { loadFleetConfig, specDefaults, type SpecDefaults } from './fleet-config.js';
import { tenantSpecSchema, type TenantSpec } from './schema.js';

export const TENANTS_DIR = 'tenants';
export const TENANT_SPEC_FILE = 'tenant.json';

/** A spec that passed validation, with where it came from. */
export interface LoadedTenant {
  readonly spec: TenantSpec;
  /** Absolute path of tenant.json. */
  readonly file: string;
}

interface Source {
  /** Path shown in messages. */
  readonly file: string;
  /** Name to blame when the spec has no usable name: its folder. */
  readonly folder: string;
}

/**
 * Parses and validates one spec's text, with the fleet's defaults (fleet.json) for what it leaves
 * out. Throws SpecValidationError listing every problem.
 */
export function parseTenantSpec(text: string, source: Source, defaults: SpecDefaults = {}): TenantSpec {
  const raw = parseJson(text, source) as { name?: unknown };
  const result = tenantSpecSchema.safeParse(withDefaults(raw, defaults));
  if (result.success) return result.data;
  const tenant = typeof raw.name === 'string' && raw.name ? raw.name : source.folder;
  throw new SpecValidationError(result.error.issues.map((issue) => issueToProblem(issue, tenant, source.file)));
}

function withDefaults(raw: Record<string, unknown>, defaults: SpecDefaults): unknown {
  const app = raw['app'];
  if (!defaults.profile || typeof app !== 'object' || app === null || Array.isArray(app) || 'profile' in app) return raw;
  return { ...raw, app: { ...app, profile: defaults.profile } };
}

function parseJson(text: string, source: Source): Record<string, unknown> {
  if (text.startsWith('\uFEFF')) {
    throw new SpecValidationError([
      {
        tenant: source.folder,
        file: source.file,
        field: '',
        message: 'starts with a byte-order mark (BOM), which JSON does not allow — fix: save the file as UTF-8 without BOM',
      },
    ]);
  }
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  const [first] = errors;
  if (first) {
    const at = lineColumn(text, first.offset);
    throw new SpecValidationError([
      {
        tenant: source.folder,
        file: `${source.file}:${at.line}:${at.column}`,
        field: '',
        message: `is not valid JSON: ${describeJsonError(first.error)} at line ${at.line}, column ${at.column} — fix: correct the syntax there`,
      },
    ]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecValidationError([
      {
        tenant: source.folder,
        file: source.file,
        field: '',
        message: "must be a JSON object — fix: start from another tenant's tenant.json",
      },
    ]);
  }
  return value as Record<string, unknown>;
}

function describeJsonError(code: number): string {
  // "ValueExpected" → "value expected"
  return printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

export function issueToProblem(issue: z.core.$ZodIssue, tenant: string, file: string): SpecProblem {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const fields = issue.keys.map((key) => [...path, key].join('.'));
    return {
      tenant,
      file,
      field: fields.join(', '),
      message: `unknown field — fix: remove it or correct its spelling (the $schema lists every field)`,
    };
  }
  const field = path.join('.');
  if (issue.message.includes(' — fix: ')) return { tenant, file, field, message: issue.message };
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return { tenant, file, field, message: `is required — fix: add "${path.at(-1)}" (${issue.expected})` };
  }
  if (issue.code === 'invalid_type') {
    return { tenant, file, field, message: `must be of type ${issue.expected} — fix: ${issue.message.replace(/^Invalid input: /, '')}` };
  }
  return { tenant, file, field, message: issue.message };
}

/** Reads and validates one tenant.json on its own (no cross-tenant rules). */
export function loadTenantSpec(
  file: string,
  workspaceRoot = process.cwd(),
  defaults: SpecDefaults = specDefaults(workspaceRoot),
): LoadedTenant {
  const source = { file: relative(workspaceRoot, file) || file, folder: basename(dirname(file)) };
  const link = symlinkTarget(file);
  if (link !== undefined) {
    throw new SpecValidationError([
      {
        tenant: source.folder,
        file: source.file,
        field: '',
        message:
          `is a symbolic link (to ${link}) — fix: replace it with the file itself; ` +
          `hafleet reads specs only inside the workspace and never follows links`,
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SpecValidationError([
      {
        tenant: source.folder,
        file: source.file,
        field: '',
        message: `cannot be read — fix: create ${TENANT_SPEC_FILE} in the tenant folder`,
      },
    ]);
  }
  return { spec: parseTenantSpec(text, source, defaults), file };
}

/** Every `tenants/<name>/tenant.json` below the workspace, sorted by folder. */
export function tenantSpecFiles(workspaceRoot: string): string[] {
  const dir = join(workspaceRoot, TENANTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, TENANT_SPEC_FILE)))
    .map((entry) => join(dir, entry.name, TENANT_SPEC_FILE))
    .sort();
}

const symlinkTarget = (path: string): string | undefined => {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
};

/** Entries of tenants/ that are no tenant: a folder without tenant.json, a linked folder, a stray file. */
function folderProblems(workspaceRoot: string): SpecProblem[] {
  const dir = join(workspaceRoot, TENANTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): SpecProblem[] => {
    const file = join(TENANTS_DIR, entry.name, TENANT_SPEC_FILE);
    if (entry.isSymbolicLink()) {
      return [
        {
          tenant: entry.name,
          file: join(TENANTS_DIR, entry.name),
          field: '',
          message:
            `is a symbolic link (to ${symlinkTarget(join(dir, entry.name))}) — fix: make it a real folder; ` +
            `hafleet never follows links out of the workspace`,
        },
      ];
    }
    if (
      entry.isDirectory() &&
      !existsSync(join(dir, entry.name, TENANT_SPEC_FILE)) &&
      !symlinkTarget(join(dir, entry.name, TENANT_SPEC_FILE))
    ) {
      return [
        {
          tenant: entry.name,
          file,
          field: '',
          message:
            `the folder ${TENANTS_DIR}/${entry.name} has no ${TENANT_SPEC_FILE} — fix: onboard it ` +
            `(npx fleet onboard ${entry.name}) or remove the folder`,
        },
      ];
    }
    return [];
  });
}

export interface LoadFleetOptions {
  /** Only these tenants must be valid (cross-tenant rules still compare them with everyone). */
  readonly only?: readonly string[];
  /** Specs not on disk yet, checked as if they were: onboarding validates a new tenant before writing it. */
  readonly candidates?: ReadonlyArray<{ readonly file: string; readonly text: string }>;
}

/**
 * Loads the fleet's specs and applies the cross-tenant rules: a spec's name is its folder's, names
 * are unique, VPC ranges do not overlap. Throws SpecValidationError with every problem that
 * concerns the selected tenants; returns the selected tenants, sorted by name.
 */
export function loadFleet(workspaceRoot: string, options: LoadFleetOptions = {}): LoadedTenant[] {
  const { tenants, problems } = inspectFleet(workspaceRoot, options);
  if (problems.length > 0) throw new SpecValidationError(problems);
  return tenants;
}

/**
 * loadFleet without throwing: the selected tenants that have no problem, and every problem that
 * concerns the selection. For reports over the whole fleet (`fleet validate`, `fleet size`), so that
 * one broken tenant does not hide the others.
 */
export function inspectFleet(workspaceRoot: string, options: LoadFleetOptions = {}): { tenants: LoadedTenant[]; problems: SpecProblem[] } {
  const problems: SpecProblem[] = folderProblems(workspaceRoot);
  const loaded: LoadedTenant[] = [];
  const candidates = options.candidates ?? [];
  const defaults = specDefaults(workspaceRoot);
  const onDisk = tenantSpecFiles(workspaceRoot).filter((file) => !candidates.some((c) => resolve(c.file) === resolve(file)));
  const reads: Array<() => LoadedTenant> = [
    ...onDisk.map((file) => () => loadTenantSpec(file, workspaceRoot, defaults)),
    ...candidates.map(({ file, text }) => () => ({
      spec: parseTenantSpec(text, { file: relative(workspaceRoot, file) || file, folder: basename(dirname(file)) }, defaults),
      file: resolve(file),
    })),
  ];
  for (const read of reads) {
    try {
      loaded.push(read());
    } catch (error) {
      if (!(error instanceof SpecValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...crossTenantProblems(loaded, workspaceRoot));

  const selected = options.only ? new Set(options.only) : undefined;
  if (selected) {
    const known = new Set([...loaded.map((t) => t.spec.name), ...problems.map((p) => p.tenant)]);
    for (const name of selected) {
      const misnamed = loaded.find((t) => basename(dirname(t.file)) === name && t.spec.name !== name);
      if (!known.has(name) && misnamed) {
        problems.push({
          tenant: name,
          file: relative(workspaceRoot, misnamed.file),
          field: 'name',
          message: `the spec in folder "${name}" is named "${misnamed.spec.name}" — fix: set name to "${name}", or rename the folder to ${misnamed.spec.name}`,
        });
      } else if (!known.has(name)) {
        problems.push({
          tenant: name,
          file: join(TENANTS_DIR, name, TENANT_SPEC_FILE),
          field: '',
          message: `no such tenant — fix: one of ${[...known].sort().join(', ') || '(none yet: onboard one first)'}`,
        });
      }
    }
  }
  const relevant = selected ? problems.filter((p) => selected.has(p.tenant)) : problems;
  const tenants = loaded
    .filter((t) => (!selected || selected.has(t.spec.name)) && !problems.some((p) => p.tenant === t.spec.name))
    .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
  return { tenants, problems: relevant };
}

function fleetDefaultAccount(workspaceRoot: string): string | undefined {
  try {
    return loadFleetConfig(workspaceRoot).defaultAccountId;
  } catch {
    return undefined;
  }
}

function crossTenantProblems(tenants: readonly LoadedTenant[], workspaceRoot: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const where = (t: LoadedTenant) => relative(workspaceRoot, t.file);
  const folderOf = (t: LoadedTenant) => basename(dirname(t.file));
  // A name belongs to the spec in the folder of that name (the original of a copied folder).
  const owners = new Map<string, LoadedTenant>();
  for (const tenant of tenants) {
    const owner = owners.get(tenant.spec.name);
    if (!owner || (folderOf(tenant) === tenant.spec.name && folderOf(owner) !== tenant.spec.name)) owners.set(tenant.spec.name, tenant);
  }
  for (const tenant of tenants) {
    const { name } = tenant.spec;
    const folder = folderOf(tenant);
    const owner = owners.get(name)!;
    if (owner !== tenant) {
      problems.push({
        tenant: name,
        file: where(tenant),
        field: 'name',
        message: `"${name}" is already the name of ${where(owner)} — fix: set name to "${folder}" (each tenant needs its own name)`,
      });
    } else if (folder !== name) {
      problems.push({
        tenant: name,
        file: where(tenant),
        field: 'name',
        message: `"${name}" differs from its folder "${folder}" — fix: rename the folder to ${name} or set name to "${folder}"`,
      });
    }
  }
  // The remaining rules compare distinct tenants; a copy is already reported above.
  const distinct = [...owners.values()];
  const domains = new Map<string, LoadedTenant>();
  for (const tenant of distinct) {
    const other = domains.get(tenant.spec.domain);
    if (!other) {
      domains.set(tenant.spec.domain, tenant);
      continue;
    }
    for (const [self, them] of [
      [other, tenant],
      [tenant, other],
    ] as const) {
      problems.push({
        tenant: self.spec.name,
        file: where(self),
        field: 'domain',
        message: `${self.spec.domain} is also the domain of ${them.spec.name} — fix: give each tenant its own hostname`,
      });
    }
  }
  // A dedicated account's stack owns account-wide settings (Inspector): no other tenant may live there,
  // not even by default (a broken fleet.json is reported by loadFleetConfig; then only explicit ids count).
  const defaultAccountId = fleetDefaultAccount(workspaceRoot);
  const accountOf = (t: LoadedTenant) => t.spec.account.id ?? defaultAccountId;
  for (const tenant of distinct) {
    const { id, dedicated } = tenant.spec.account;
    if (!dedicated || !id) continue;
    const sharing = distinct.filter((other) => other !== tenant && accountOf(other) === id).map((other) => other.spec.name);
    if (sharing.length === 0) continue;
    problems.push({
      tenant: tenant.spec.name,
      file: where(tenant),
      field: 'account.dedicated',
      message:
        `is true, but account ${id} also holds ${sharing.join(', ')} — fix: remove dedicated ` +
        `(account-wide settings then stay with the fleet operator), or move the other tenants out`,
    });
  }
  for (let i = 0; i < distinct.length; i++) {
    for (let j = i + 1; j < distinct.length; j++) {
      const [a, b] = [distinct[i]!, distinct[j]!];
      const [ca, cb] = [parseCidr(a.spec.network.vpcCidr)!, parseCidr(b.spec.network.vpcCidr)!];
      if (!cidrsOverlap(ca, cb)) continue;
      for (const [self, other] of [
        [a, b],
        [b, a],
      ] as const) {
        problems.push({
          tenant: self.spec.name,
          file: where(self),
          field: 'network.vpcCidr',
          message: `${self.spec.network.vpcCidr} overlaps ${other.spec.name}'s ${other.spec.network.vpcCidr} — fix: give each tenant a range of its own`,
        });
      }
    }
  }
  return problems;
}
