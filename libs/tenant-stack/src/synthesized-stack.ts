import { readFileSync } from 'node:fs';

/**
 * A read-only view of a synthesized stack (`cdk.tf.json`): its resources by address, and the
 * resources that `${type.name.attr}` references point at. Checks over the stack (tests, policy
 * rules) read the same JSON terraform reads, not the constructs that produced it.
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

interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [block: string]: unknown;
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.[^}]*)?\}/g;

export class SynthesizedStack {
  readonly resources: readonly StackResource[];
  private readonly byAddress: ReadonlyMap<string, StackResource>;

  constructor(readonly json: StackJson) {
    this.resources = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, values]) => ({
        type,
        name,
        address: `${type}.${name}`,
        values,
        path: ((values['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? '') as string,
      })),
    );
    this.byAddress = new Map(this.resources.map((r) => [r.address, r]));
  }

  static read(file: string): SynthesizedStack {
    return new SynthesizedStack(JSON.parse(readFileSync(file, 'utf8')) as StackJson);
  }

  ofType(type: string): StackResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  get(address: string): StackResource | undefined {
    return this.byAddress.get(address);
  }

  /** The resources a value refers to (`"${aws_subnet.a.id}"`, lists, nested blocks), in order. */
  referenced(value: unknown): StackResource[] {
    const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    return [...text.matchAll(REFERENCE)].map((m) => this.byAddress.get(`${m[1]}.${m[2]}`)).filter((r): r is StackResource => r !== undefined);
  }
}
