import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';

/** Test-only helpers: an AWS provider that plans with no account and no network. */

export const TEST_REGION = 'eu-west-1';
export const TEST_ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export function offlineAwsProvider(scope: Construct, region = TEST_REGION): AwsProvider {
  return new AwsProvider(scope, 'aws', { region, ...OFFLINE_AWS_PROVIDER_SETTINGS });
}

/** A stack with an offline provider; `build` adds the constructs under test. */
export function testStack(build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  offlineAwsProvider(stack);
  build(stack);
  return stack;
}

export interface SynthResource {
  readonly [argument: string]: unknown;
}

export interface Synthesized {
  /** Resources of one type, keyed by logical id. */
  readonly resources: (type: string) => Record<string, SynthResource>;
  /** Output values, keyed by output id. */
  readonly outputs: Record<string, unknown>;
}

export function synthesize(stack: TerraformStack): Synthesized {
  const json = JSON.parse(Testing.synth(stack)) as {
    resource?: Record<string, Record<string, SynthResource>>;
    output?: Record<string, { value: unknown }>;
  };
  return {
    resources: (type) => json.resource?.[type] ?? {},
    outputs: Object.fromEntries(Object.entries(json.output ?? {}).map(([id, output]) => [id, output.value])),
  };
}
