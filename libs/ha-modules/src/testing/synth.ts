import { expect } from 'vitest';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { offlineAwsProvider } from './offline.js';

/** Test-only: synthesise constructs into a stack and read its Terraform JSON. */

export interface SynthResource {
  readonly [argument: string]: unknown;
}

export interface Synthesized {
  /** Resources of one type, keyed by logical id. */
  readonly resources: (type: string) => Record<string, SynthResource>;
  /**
   * The only resource of `type` as `[logical id, arguments]`; fails the test unless there is exactly
   * one. `under` counts only the resources of that top-level construct id.
   */
  readonly single: (type: string, under?: string) => [string, SynthResource];
  /** Output values, keyed by output id. */
  readonly outputs: Record<string, unknown>;
}

/** A stack with an offline provider; `build` adds the constructs under test. */
export function testStack(build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  offlineAwsProvider(stack);
  build(stack);
  return stack;
}

export function synthesize(stack: TerraformStack): Synthesized {
  const json = JSON.parse(Testing.synth(stack)) as {
    resource?: Record<string, Record<string, SynthResource>>;
    output?: Record<string, { value: unknown }>;
  };
  const resources = (type: string) => json.resource?.[type] ?? {};
  return {
    resources,
    single: (type, under) => {
      const entries = Object.entries(resources(type)).filter(([id]) => under === undefined || id.startsWith(`${under}_`));
      expect(entries, type).toHaveLength(1);
      return entries[0]!;
    },
    outputs: Object.fromEntries(Object.entries(json.output ?? {}).map(([id, output]) => [id, output.value])),
  };
}

/** Adds one stack output per name, holding the construct's attribute of that name. */
export function addOutputs<T extends object>(scope: Construct, construct: T, names: readonly (keyof T & string)[]): void {
  for (const name of names) new TerraformOutput(scope, name, { value: construct[name] });
}

/** `${type.logicalId.attribute}`: how a synthesized argument refers to another resource. */
export const ref = (type: string, logicalId: string, attribute = 'id'): string => `\${${type}.${logicalId}.${attribute}}`;
