import { readFileSync } from 'node:fs';

/**
 * A read-only view of a synthesized stack (`cdk.tf.json`): its resources by address, and the
 * resources that `${type.name.attr}` references point at. Checks over the stack (tests, policy
 * rules) read the same JSON terraform reads, not the constructs that produced it.
 *
 * It lives in guardrails (not tenant-stack) because tenant-stack runs the guardrails during
 * synthesis: the view has to sit below both.
 */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as terraform addresses it. */
  readonly address: string;
  /** Arguments exactly as synthesized (references stay `${...}` strings). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Construct path, e.g. `northwind/database/cluster`. */
  readonly path: string;
}

/** One `${type.name.attribute...}` reference found in a value. */
export interface StackReference {
  readonly resource: StackResource;
  /** The first attribute after the address (`id`, `arn`, `bucket`…); empty for a bare address. */
  readonly attribute: string;
}

/** A provider configuration (`provider.aws[]`), addressed `provider.aws` or `provider.aws.<alias>`. */
export interface StackProvider {
  readonly name: string;
  readonly alias: string | undefined;
  readonly address: string;
  readonly values: Readonly<Record<string, unknown>>;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

export interface StackJson {
  resource?: Blocks;
  data?: Blocks;
  provider?: Record<string, Array<Record<string, unknown>>>;
  terraform?: { backend?: Record<string, Record<string, unknown>>; [key: string]: unknown };
  [block: string]: unknown;
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?[^}]*\}/g;

function blockEntries(blocks: Blocks | undefined, prefix: string): StackResource[] {
  return Object.entries(blocks ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, values]) => ({
      type,
      name,
      address: `${prefix}${type}.${name}`,
      values,
      path: ((values['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? '') as string,
    })),
  );
}

export class SynthesizedStack {
  readonly resources: readonly StackResource[];
  /** `data` blocks, addressed `data.type.name`. */
  readonly dataSources: readonly StackResource[];
  private readonly byAddress: ReadonlyMap<string, StackResource>;
  private readonly byType = new Map<string, StackResource[]>();
  private reverse: Map<string, StackResource[]> | undefined;

  constructor(readonly json: StackJson) {
    this.resources = blockEntries(json.resource, '');
    this.dataSources = blockEntries(json.data, 'data.');
    this.byAddress = new Map(this.resources.map((r) => [r.address, r]));
    for (const resource of this.resources) {
      const list = this.byType.get(resource.type) ?? [];
      list.push(resource);
      this.byType.set(resource.type, list);
    }
  }

  static read(file: string): SynthesizedStack {
    return new SynthesizedStack(JSON.parse(readFileSync(file, 'utf8')) as StackJson);
  }

  ofType(type: string): StackResource[] {
    return [...(this.byType.get(type) ?? [])];
  }

  get(address: string): StackResource | undefined {
    return this.byAddress.get(address);
  }

  /** The resources a value refers to (`"${aws_subnet.a.id}"`, lists, nested blocks), in order. */
  referenced(value: unknown): StackResource[] {
    return this.references(value).map((r) => r.resource);
  }

  /** Like `referenced`, with the attribute each reference reads. */
  references(value: unknown): StackReference[] {
    const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    const found: StackReference[] = [];
    for (const match of text.matchAll(REFERENCE)) {
      const resource = this.byAddress.get(`${match[1]}.${match[2]}`);
      if (resource) found.push({ resource, attribute: match[3] ?? '' });
    }
    return found;
  }

  /**
   * The resources of `type` a value leads to, following references through pass-through
   * attributes: `${aws_s3_bucket_policy.p.bucket}` reads the policy's `bucket`, which is
   * `${aws_s3_bucket.b.id}`, so it leads to the bucket (cdktf wires dependencies that way).
   */
  referencedThrough(value: unknown, type: string, depth = 4): StackResource[] {
    const found = new Map<string, StackResource>();
    for (const { resource, attribute } of this.references(value)) {
      if (resource.type === type) found.set(resource.address, resource);
      else if (depth > 0 && attribute && resource.values[attribute] !== undefined) {
        for (const next of this.referencedThrough(resource.values[attribute], type, depth - 1)) found.set(next.address, next);
      }
    }
    return [...found.values()];
  }

  /** The resources (optionally of one type) whose arguments refer to `address` directly. */
  referrers(address: string, type?: string): StackResource[] {
    if (!this.reverse) {
      const reverse = new Map<string, StackResource[]>();
      for (const resource of this.resources) {
        const { ['//']: _metadata, ...values } = resource.values;
        for (const target of new Set(this.referenced(values).map((r) => r.address))) {
          const list = reverse.get(target) ?? [];
          list.push(resource);
          reverse.set(target, list);
        }
      }
      this.reverse = reverse;
    }
    const all = this.reverse.get(address) ?? [];
    return type ? all.filter((r) => r.type === type) : [...all];
  }

  /** Configurations of one provider (default and aliases). */
  providers(name: string): StackProvider[] {
    return (this.json.provider?.[name] ?? []).map((values) => {
      const alias = typeof values['alias'] === 'string' ? values['alias'] : undefined;
      return { name, alias, address: alias ? `provider.${name}.${alias}` : `provider.${name}`, values };
    });
  }

  /** The state backend (`terraform.backend.<kind>`), if any. */
  get backend(): { readonly kind: string; readonly values: Readonly<Record<string, unknown>> } | undefined {
    const [entry] = Object.entries(this.json.terraform?.backend ?? {});
    return entry && { kind: entry[0], values: entry[1] };
  }
}
