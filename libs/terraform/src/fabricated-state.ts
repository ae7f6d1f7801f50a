import { createHash, randomUUID } from 'node:crypto';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import type { PlanJson } from './plan-summary.js';

/**
 * A terraform state fabricated from a saved plan, as if that plan had been applied — with no AWS
 * involved. It is a stand-in for the apply that cannot happen offline (dummy credentials): with it,
 * an offline `terraform plan -refresh=false` shows what a change does to a stack that already
 * exists (updates, replacements, deletions) instead of creating everything. For tests and what-if
 * plans only: the ids, ARNs and endpoints in it are placeholders, and nothing real matches it.
 */

/** `terraform providers schema -json`: the parts the fabrication reads. */
export interface ProviderSchemas {
  format_version?: string;
  provider_schemas?: Record<string, { resource_schemas?: Record<string, ResourceSchema> }>;
}

export interface ResourceSchema {
  /** The resource type's schema version: recorded as each instance's `schema_version`. */
  version: number;
  block: SchemaBlock;
}

interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

interface SchemaAttribute {
  /** A cty type in JSON: "string", ["list","string"], ["object",{...}], "dynamic", ... */
  type?: unknown;
  optional?: boolean;
  computed?: boolean;
  nested_type?: { nesting_mode: string; attributes: Record<string, SchemaAttribute> };
}

/** Terraform state, format version 4 (what terraform 1.x writes). */
export interface TerraformStateV4 {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: unknown; sensitive?: boolean }>;
  resources: StateResource[];
  check_results: null;
}

export interface StateResource {
  module?: string;
  mode: 'managed';
  type: string;
  name: string;
  each?: 'list' | 'map';
  provider: string;
  instances: StateInstance[];
}

export interface StateInstance {
  index_key?: number | string;
  schema_version: number;
  attributes: Record<string, unknown>;
  sensitive_attributes: PathStep[][];
}

type PathStep = { type: 'get_attr'; value: string } | { type: 'index'; value: { value: number | string; type: 'number' | 'string' } };

export interface FabricateStateOptions {
  /**
   * The state the plan was made against. Values the plan leaves unknown keep what this state
   * holds (an update's recomputed attributes, a replaced resource's id); without it, a fresh stack.
   */
  readonly prior?: TerraformStateV4;
  /** Default: the prior's lineage, else a new one. */
  readonly lineage?: string;
  /** The account in fabricated ARNs. Default 000000000000 (no real account has it). */
  readonly accountId?: string;
  /** The region in fabricated ARNs. Default: the aws provider's region in the plan, else us-east-1. */
  readonly region?: string;
}

/** The account id in fabricated ARNs unless told otherwise. */
export const FABRICATED_ACCOUNT_ID = '000000000000';

/**
 * The state terraform would hold had `plan` (`terraform show -json tfplan`) been applied: every
 * managed resource with its planned values, sensitive ones included as planned. Every value the
 * plan left unknown (`after_unknown`: ids, ARNs, endpoints, versions) is filled in deterministically:
 * - a value the configuration sets to one other resource's attribute (`subnet_id = aws_subnet.a.id`)
 *   gets that attribute's value, so references still match on the next plan;
 * - else the prior state's value, when `options.prior` has one at that path;
 * - else a placeholder of the attribute's schema type. Outputs (ids, ARNs, endpoints) get values
 *   derived from the resource address, so every reference stays distinct:
 *   `arn:aws:<service>:<region>:<account>:fabricated/<address>/<attribute>` for ARNs,
 *   EC2-style ids where the provider checks them (`lt-<hash>`, `sg-<hash>`),
 *   `fabricated-<name>-<attribute>-<hash>` for other strings, 1 for numbers, false for bools,
 *   three elements in a list of strings, one in a list of objects; settings left to AWS
 *   (optional and computed) stay unset: null, empty lists and maps.
 * Inside list blocks of plugin-SDK-v2 resources, unset values are stored as the zero values that
 * provider writes on apply ("", 0, false), so the next plan does not show null → "".
 * Data sources are left out: every plan reads them again. Root outputs the plan leaves unknown
 * are resolved the same way when they are one attribute, else kept from the prior, else left out.
 * `schemas` is `terraform providers schema -json` of the same configuration (TerraformRunner.providerSchemas).
 */
export function fabricateAppliedState(plan: PlanJson, schemas: ProviderSchemas, options: FabricateStateOptions = {}): TerraformStateV4 {
  const fabrication = new Fabrication(plan, schemas, options);
  return {
    version: 4,
    terraform_version: plan.terraform_version ?? '1.11.4',
    serial: (options.prior?.serial ?? 0) + 1,
    lineage: options.lineage ?? options.prior?.lineage ?? randomUUID(),
    outputs: fabrication.outputs(),
    resources: fabrication.resources(),
    check_results: null,
  };
}

/** Writes a fabricated state where a local backend reads it (temp file + rename: never half a state). */
export function writeFabricatedState(file: string, state: TerraformStateV4): void {
  writeJsonAtomic(file, state);
}

// ---------------------------------------------------------------------------------------------

type ValueType =
  | { kind: 'string' | 'number' | 'bool' | 'dynamic' }
  | { kind: 'list' | 'set' | 'map'; element: ValueType }
  | {
      kind: 'object';
      attributes: Record<string, ValueType>;
      /** Attributes and blocks the configuration may set and AWS defaults otherwise (not outputs such as ids). */
      settings?: ReadonlySet<string>;
      /** An element of a list block (not an object-typed attribute). */
      block?: boolean;
    }
  | { kind: 'tuple'; elements: ValueType[] };

const DYNAMIC: ValueType = { kind: 'dynamic' };

function ctyType(json: unknown): ValueType {
  if (json === 'string' || json === 'number' || json === 'bool') return { kind: json };
  if (Array.isArray(json)) {
    const [kind, inner] = json as [string, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'map') return { kind, element: ctyType(inner) };
    if (kind === 'object')
      return { kind, attributes: Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([k, v]) => [k, ctyType(v)])) };
    if (kind === 'tuple') return { kind, elements: (inner as unknown[]).map(ctyType) };
  }
  return DYNAMIC;
}

function nested(mode: string, object: ValueType, isBlock = false): ValueType {
  if (mode === 'list') return { kind: mode, element: isBlock && object.kind === 'object' ? { ...object, block: true } : object };
  if (mode === 'set') return { kind: mode, element: object };
  if (mode === 'map') return { kind: mode, element: object };
  return object; // single, group
}

function blockType(block: SchemaBlock): ValueType {
  const attributes: Record<string, ValueType> = {};
  const settings = new Set<string>();
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    attributes[name] = attributeType(attribute);
    if (attribute.optional) settings.add(name);
  }
  // Nested blocks are configuration; a provider's computed-only nested objects are attributes.
  for (const [name, child] of Object.entries(block.block_types ?? {})) {
    attributes[name] = nested(child.nesting_mode, blockType(child.block), true);
    settings.add(name);
  }
  return { kind: 'object', attributes, settings };
}

const isSetting = (parent: ValueType, key: string | number): boolean =>
  parent.kind === 'object' && (parent.settings?.has(String(key)) ?? false);

function attributeType(attribute: SchemaAttribute): ValueType {
  if (attribute.nested_type) return nested(attribute.nested_type.nesting_mode, blockType({ attributes: attribute.nested_type.attributes }));
  return ctyType(attribute.type);
}

function childType(type: ValueType, key: string | number): ValueType {
  switch (type.kind) {
    case 'object':
      return type.attributes[String(key)] ?? DYNAMIC;
    case 'list':
    case 'set':
    case 'map':
      return type.element;
    case 'tuple':
      return type.elements[Number(key)] ?? DYNAMIC;
    default:
      return DYNAMIC;
  }
}

type Path = (string | number)[];
type Json = unknown;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The cty type (JSON) of a value whose schema type is dynamic: what state records beside it. */
function inferCtyType(value: Json): unknown {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(inferCtyType)];
  if (isObject(value)) return ['object', Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferCtyType(v)]))];
  return 'dynamic';
}

interface PlannedResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  index?: number | string;
  provider_name?: string;
  schema_version?: number;
  values?: Record<string, Json>;
  sensitive_values?: Json;
}

interface PlannedModule {
  address?: string;
  resources?: PlannedResource[];
  child_modules?: PlannedModule[];
}

interface ConfigResource {
  address: string;
  provider_config_key?: string;
  expressions?: Record<string, Json>;
}

interface ConfigModule {
  resources?: ConfigResource[];
  outputs?: Record<string, { expression?: Json }>;
  module_calls?: Record<string, { module?: ConfigModule }>;
}

interface Instance {
  planned: PlannedResource;
  module: string | undefined;
  /** Address without the instance key, as the configuration names it. */
  configAddress: string;
  type: ValueType;
  unknown: Json;
  expressions: Record<string, Json>;
  prior: Record<string, Json> | undefined;
  filled?: Record<string, Json>;
}

class Fabrication {
  private readonly instances = new Map<string, Instance>();
  private readonly providerKeys = new Map<string, string>();
  private readonly schemaVersions = new Map<string, number>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly resolving = new Set<string>();

  constructor(
    private readonly plan: PlanJson,
    schemas: ProviderSchemas,
    private readonly options: FabricateStateOptions,
  ) {
    const types = new Map<string, ValueType>();
    for (const provider of Object.values(schemas.provider_schemas ?? {})) {
      for (const [type, schema] of Object.entries(provider.resource_schemas ?? {})) {
        types.set(type, blockType(schema.block));
        this.schemaVersions.set(type, schema.version);
      }
    }
    const configuration = plan['configuration'] as
      | { root_module?: ConfigModule; provider_config?: Record<string, { expressions?: Record<string, { constant_value?: unknown }> }> }
      | undefined;
    const expressions = new Map<string, Record<string, Json>>();
    const walkConfig = (module: ConfigModule | undefined, prefix: string) => {
      for (const resource of module?.resources ?? []) {
        const address = `${prefix}${resource.address}`;
        expressions.set(address, resource.expressions ?? {});
        if (resource.provider_config_key) this.providerKeys.set(address, resource.provider_config_key);
      }
      for (const [name, call] of Object.entries(module?.module_calls ?? {})) walkConfig(call.module, `${prefix}module.${name}.`);
    };
    walkConfig(configuration?.root_module, '');
    const region = configuration?.provider_config?.['aws']?.expressions?.['region']?.constant_value;
    this.region = options.region ?? (typeof region === 'string' ? region : 'us-east-1');
    this.accountId = options.accountId ?? FABRICATED_ACCOUNT_ID;

    const changes = new Map(
      (plan.resource_changes ?? []).filter((rc) => !rc.deposed).map((rc) => [rc.address, rc.change as { after_unknown?: Json }]),
    );
    const priorValues = priorInstances(options.prior);
    const walkPlanned = (module: PlannedModule | undefined) => {
      for (const planned of module?.resources ?? []) {
        if (planned.mode === 'data') continue;
        const moduleAddress = module?.address;
        const configAddress = `${moduleAddress ? `${moduleAddress}.` : ''}${planned.type}.${planned.name}`;
        const type = types.get(planned.type);
        if (!type)
          throw new Error(
            `no schema for resource type ${planned.type} (${planned.address}) — fix: pass \`terraform providers schema -json\` of the same configuration`,
          );
        this.instances.set(planned.address, {
          planned,
          module: moduleAddress,
          configAddress,
          type,
          unknown: changes.get(planned.address)?.after_unknown ?? {},
          expressions: expressions.get(configAddress.replace(/\[[^\]]*\]/g, '')) ?? {},
          prior: priorValues.get(planned.address),
        });
      }
      for (const child of module?.child_modules ?? []) walkPlanned(child);
    };
    walkPlanned(plan.planned_values?.root_module as PlannedModule | undefined);
  }

  resources(): StateResource[] {
    const grouped = new Map<string, StateResource>();
    for (const instance of this.instances.values()) {
      const { planned } = instance;
      const key = instance.configAddress;
      let resource = grouped.get(key);
      if (!resource) {
        resource = {
          ...(instance.module ? { module: instance.module } : {}),
          mode: 'managed',
          type: planned.type,
          name: planned.name,
          ...(planned.index === undefined ? {} : { each: typeof planned.index === 'number' ? ('list' as const) : ('map' as const) }),
          provider: this.providerAddress(instance),
          instances: [],
        };
        grouped.set(key, resource);
      }
      const attributes = encodeDynamic(this.filled(instance), instance.type) as Record<string, Json>;
      resource.instances.push({
        ...(planned.index === undefined ? {} : { index_key: planned.index }),
        schema_version: this.schemaVersions.get(planned.type) ?? planned.schema_version ?? 0,
        attributes,
        sensitive_attributes: sensitivePaths(planned.sensitive_values, instance.type),
      });
    }
    return [...grouped.values()];
  }

  outputs(): TerraformStateV4['outputs'] {
    const planned =
      (this.plan.planned_values as { outputs?: Record<string, { value?: Json; type?: unknown; sensitive?: boolean }> } | undefined)
        ?.outputs ?? {};
    const changes = (this.plan.output_changes ?? {}) as Record<string, { after_unknown?: Json }>;
    const config = (this.plan['configuration'] as { root_module?: ConfigModule } | undefined)?.root_module?.outputs ?? {};
    const outputs: TerraformStateV4['outputs'] = {};
    for (const [name, output] of Object.entries(planned)) {
      let value: Json | undefined = output.value;
      if (changes[name]?.after_unknown === true || value === undefined) {
        value = this.directReference(config[name]?.expression) ?? this.options.prior?.outputs[name]?.value;
      }
      if (value === undefined) continue; // computed by an expression only an apply could evaluate
      outputs[name] = { value, type: output.type ?? inferCtyType(value), ...(output.sensitive ? { sensitive: true } : {}) };
    }
    return outputs;
  }

  private providerAddress(instance: Instance): string {
    const provider = instance.planned.provider_name ?? 'registry.terraform.io/hashicorp/aws';
    const key = this.providerKeys.get(instance.configAddress.replace(/\[[^\]]*\]/g, '')) ?? '';
    const local = key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : key;
    const alias = local.includes('.') ? local.slice(local.indexOf('.') + 1) : undefined;
    return `provider["${provider}"]${alias ? `.${alias}` : ''}`;
  }

  /** The instance's values with every unknown filled in (memoised: references resolve through it). */
  private filled(instance: Instance): Record<string, Json> {
    if (!instance.filled) {
      const values = instance.planned.values ?? {};
      const filled = this.fill(instance, values, instance.unknown, instance.type, []);
      instance.filled = (isPluginSdkV2(instance.type) ? zeroUnsetInListBlocks(filled, instance.type) : filled) as Record<string, Json>;
    }
    return instance.filled;
  }

  private fill(
    instance: Instance,
    value: Json,
    unknown: Json,
    type: ValueType,
    path: Path,
    context: { listLength?: number; setting?: boolean } = {},
  ): Json {
    if (unknown === true) return this.unknownValue(instance, type, path, context);
    if (Array.isArray(unknown) && Array.isArray(value)) {
      return value.map((element, i) =>
        this.fill(instance, element, unknown[i], childType(type, i), [...path, i], { listLength: value.length }),
      );
    }
    if (isObject(unknown) && (isObject(value) || value === undefined || value === null)) {
      if (!isObject(value) && !Object.values(unknown).includes(true)) return value ?? null;
      const out: Record<string, Json> = { ...(isObject(value) ? value : {}) };
      for (const [key, inner] of Object.entries(unknown)) {
        if (inner === false) continue;
        out[key] = this.fill(instance, out[key], inner, childType(type, key), [...path, key], { setting: isSetting(type, key) });
      }
      return out;
    }
    return value === undefined ? null : value;
  }

  private unknownValue(instance: Instance, type: ValueType, path: Path, context: { listLength?: number; setting?: boolean }): Json {
    const fromReference = this.referencedValue(instance, type, path, context.listLength);
    if (fromReference !== undefined) return fromReference;
    const prior = valueAt(instance.prior, path);
    if (prior !== undefined)
      return type.kind === 'dynamic' && isObject(prior) && 'value' in prior && 'type' in prior ? prior['value'] : prior;
    return this.placeholder(instance, type, path, context.setting ?? false);
  }

  /**
   * What the configuration sets an unknown value to, when that is plainly other resources'
   * attributes: `x = a.id`; an element of `xs = [a.id, b.id]`; or the whole of it (a set).
   */
  private referencedValue(instance: Instance, type: ValueType, path: Path, listLength: number | undefined): Json | undefined {
    const direct = convert(this.directReference(expressionAt(instance.expressions, path)), type);
    if (direct !== undefined) return direct;
    const last = path.at(-1);
    if (typeof last === 'number' && listLength !== undefined) {
      const references = attributeReferences(expressionAt(instance.expressions, path.slice(0, -1)));
      if (references?.length === listLength) return convert(this.directReference({ references: [references[last]!] }), type);
    }
    if ((type.kind === 'list' || type.kind === 'set') && type.element.kind !== 'object') {
      const references = attributeReferences(expressionAt(instance.expressions, path));
      const values = references?.map((reference) => convert(this.directReference({ references: [reference] }), type.element));
      if (values?.length && values.every((value) => value !== undefined)) return type.kind === 'set' ? [...new Set(values)] : values;
    }
    return undefined;
  }

  /**
   * The value of an expression that is exactly one resource attribute (`aws_vpc.main.id`), as
   * that resource's fabricated state holds it; undefined for anything else (templates, functions,
   * several references), which a placeholder stands in for.
   */
  private directReference(expression: Json): Json | undefined {
    const specific = attributeReferences(expression);
    if (specific?.length !== 1) return undefined;
    const reference = specific[0]!;
    const target = this.instanceFor(reference);
    if (!target || this.resolving.has(reference)) return undefined;
    this.resolving.add(reference);
    try {
      return valueAt(this.filled(target.instance), target.path);
    } finally {
      this.resolving.delete(reference);
    }
  }

  private instanceFor(reference: string): { instance: Instance; path: Path } | undefined {
    // The longest planned address the reference starts with; the rest is the attribute path.
    let best: string | undefined;
    for (const address of this.instances.keys()) {
      if ((reference.startsWith(`${address}.`) || reference.startsWith(`${address}[`)) && address.length > (best?.length ?? 0))
        best = address;
    }
    if (best === undefined) return undefined;
    const path = parsePath(reference.slice(best.length));
    return path.length > 0 ? { instance: this.instances.get(best)!, path } : undefined;
  }

  /**
   * A value of `type` for `path`. A setting left to AWS (optional and computed) gets its unset
   * value (`""`, empty, false), since providers check settings against each other (a FIFO scope on
   * a standard topic); an output gets a distinct value, lists of them a few elements, as AWS
   * returns (DKIM tokens, a managed secret): the configuration may index them.
   */
  private placeholder(instance: Instance, type: ValueType, path: Path, setting: boolean): Json {
    const attribute = path.filter((step) => typeof step === 'string').at(-1) ?? 'value';
    const isIdentifier = attribute === 'id' || attribute === 'arn' || attribute.endsWith('_arn');
    switch (type.kind) {
      case 'number':
        return setting ? null : 1;
      case 'bool':
        return setting ? null : false;
      case 'list':
      case 'set': {
        if (setting) return [];
        const count = type.element.kind === 'object' ? 1 : 3;
        return Array.from({ length: count }, (_, i) => this.placeholder(instance, type.element, [...path, i], false));
      }
      case 'tuple':
        return type.elements.map((element, i) => this.placeholder(instance, element, [...path, i], setting));
      case 'map':
        return {};
      case 'object':
        return Object.fromEntries(
          Object.entries(type.attributes).map(([key, inner]) => [
            key,
            this.placeholder(instance, inner, [...path, key], isSetting(type, key)),
          ]),
        );
      default: {
        if (setting && !isIdentifier) return null;
        const address = instance.planned.address;
        const hash = createHash('sha256')
          .update(`${address}\0${JSON.stringify(path)}`)
          .digest('hex')
          .slice(0, 8);
        const idPrefix = path.length === 1 && attribute === 'id' ? EC2_ID_PREFIXES[instance.planned.type] : undefined;
        if (idPrefix) return `${idPrefix}-${createHash('sha256').update(address).digest('hex').slice(0, 17)}`;
        if (attribute === 'arn' || attribute.endsWith('_arn')) {
          const service = instance.planned.type.split('_')[1] ?? 'fabricated';
          return `arn:aws:${service}:${this.region}:${this.accountId}:fabricated/${address}/${path.join('.')}`;
        }
        return `fabricated-${slug(instance.planned.name)}-${slug(path.join('-'))}-${hash}`;
      }
    }
  }
}

/** EC2-style ids the provider checks where they are referenced (`launch_template.id` must start lt-). */
const EC2_ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_launch_template: 'lt',
  aws_security_group: 'sg',
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_internet_gateway: 'igw',
  aws_nat_gateway: 'nat',
  aws_eip: 'eipalloc',
  aws_route_table: 'rtb',
  aws_network_acl: 'acl',
  aws_vpc_endpoint: 'vpce',
  aws_instance: 'i',
  aws_efs_file_system: 'fs',
  aws_efs_access_point: 'fsap',
  aws_efs_mount_target: 'fsmt',
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * An expression's references, most specific only (terraform lists `a.b.id` and `a.b`), in the
 * order they appear; undefined when there are none or one is not a resource's (var., local., ...).
 */
function attributeReferences(expression: Json): string[] | undefined {
  const references = isObject(expression) && Array.isArray(expression['references']) ? (expression['references'] as string[]) : [];
  const specific = references.filter(
    (ref) => !references.some((other) => other !== ref && (other.startsWith(`${ref}.`) || other.startsWith(`${ref}[`))),
  );
  if (specific.length === 0 || specific.some((ref) => /^(var|local|count|each|path|terraform|self)\./.test(ref))) return undefined;
  return specific;
}

/** `.attr[0]["key"]` → ['attr', 0, 'key']. */
function parsePath(text: string): Path {
  const steps: Path = [];
  for (const match of text.matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push(JSON.parse(match[3]!) as string);
  }
  return steps;
}

/** The configuration expression for a value path: attributes by name, nested blocks as lists. */
function expressionAt(expressions: Record<string, Json>, path: Path): Json | undefined {
  let current: Json = expressions;
  for (const step of path) {
    if (Array.isArray(current)) current = typeof step === 'number' ? current[step] : undefined;
    else if (isObject(current)) {
      if (typeof step === 'number') return undefined; // an element of one attribute's value: not its own expression
      current = current[step];
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function valueAt(value: Json, path: Path): Json | undefined {
  let current: Json = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isObject(current)) current = current[String(step)];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** A referenced value in the type of the attribute it is assigned to (terraform converts these too). */
function convert(value: Json, type: ValueType): Json | undefined {
  if (value === undefined) return undefined;
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'number':
      return typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
          ? Number(value)
          : undefined;
    case 'bool':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
    case 'list':
    case 'set':
    case 'tuple':
      return Array.isArray(value) ? value : undefined;
    case 'map':
    case 'object':
      return isObject(value) ? value : undefined;
    default:
      return value;
  }
}

/** Resources of the plugin SDK v2 (most of the AWS provider's) have an optional, computed `id`. */
const isPluginSdkV2 = (type: ValueType): boolean =>
  type.kind === 'object' && type.attributes['id']?.kind === 'string' && (type.settings?.has('id') ?? false);

/**
 * Inside list blocks, the plugin SDK v2 plans an unset attribute as null but stores it as its zero
 * value ("", 0, false, empty): the next plan would show each null → "" as a change, so the state
 * holds the zero values. (Set blocks and the plugin framework keep null.)
 */
function zeroUnsetInListBlocks(value: Json, type: ValueType, inBlock = false): Json {
  if (value === null || value === undefined) {
    if (!inBlock) return value ?? null;
    switch (type.kind) {
      case 'string':
        return '';
      case 'number':
        return 0;
      case 'bool':
        return false;
      case 'list':
      case 'set':
        return [];
      case 'map':
        return {};
      default:
        return null;
    }
  }
  switch (type.kind) {
    case 'object':
      if (!isObject(value)) return value;
      return Object.fromEntries(
        Object.keys(type.attributes)
          .map((key) => [key, zeroUnsetInListBlocks(value[key], childType(type, key), type.block ?? false)])
          .concat(Object.entries(value).filter(([key]) => !(key in type.attributes))),
      );
    case 'list':
      return Array.isArray(value) ? value.map((inner) => zeroUnsetInListBlocks(inner, type.element)) : value;
    default:
      return value;
  }
}

/** State records a dynamic value with its type beside it: `{ "value": ..., "type": ... }`. */
function encodeDynamic(value: Json, type: ValueType): Json {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'dynamic':
      return { value, type: inferCtyType(value) };
    case 'object':
      if (!isObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeDynamic(inner, childType(type, key))]));
    case 'map':
      if (!isObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeDynamic(inner, type.element)]));
    case 'list':
    case 'set':
    case 'tuple':
      return Array.isArray(value) ? value.map((inner, i) => encodeDynamic(inner, childType(type, i))) : value;
    default:
      return value;
  }
}

/** `sensitive_values` of a planned resource (true where sensitive) as state's sensitive paths. */
function sensitivePaths(marks: Json, type: ValueType, prefix: PathStep[] = []): PathStep[][] {
  if (marks === true) return [prefix];
  const paths: PathStep[][] = [];
  if (type.kind === 'set') {
    // Terraform cannot address a set element: a mark inside one marks the whole set.
    return containsTrue(marks) ? [prefix] : [];
  }
  if (Array.isArray(marks)) {
    marks.forEach((inner, i) =>
      paths.push(...sensitivePaths(inner, childType(type, i), [...prefix, { type: 'index', value: { value: i, type: 'number' } }])),
    );
  } else if (isObject(marks)) {
    for (const [key, inner] of Object.entries(marks)) {
      const step: PathStep =
        type.kind === 'map' ? { type: 'index', value: { value: key, type: 'string' } } : { type: 'get_attr', value: key };
      paths.push(...sensitivePaths(inner, childType(type, key), [...prefix, step]));
    }
  }
  return paths;
}

const containsTrue = (marks: Json): boolean =>
  marks === true || (Array.isArray(marks) ? marks.some(containsTrue) : isObject(marks) && Object.values(marks).some(containsTrue));

/** Attributes of every instance in a state, by address (dynamic values still wrapped with their type). */
function priorInstances(state: TerraformStateV4 | undefined): Map<string, Record<string, Json>> {
  const byAddress = new Map<string, Record<string, Json>>();
  for (const resource of state?.resources ?? []) {
    if (resource.mode !== 'managed') continue;
    const base = `${resource.module ? `${resource.module}.` : ''}${resource.type}.${resource.name}`;
    for (const instance of resource.instances) {
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      byAddress.set(`${base}${key}`, instance.attributes);
    }
  }
  return byAddress;
}
