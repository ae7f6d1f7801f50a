import { expect } from 'vitest';
import type { SynthResource } from './synth.js';

/** Test-only: read the JSON policy documents of synthesized resources. */

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly [key: string]: unknown;
}

export interface PolicyDocumentJson {
  readonly Version: string;
  readonly Statement: PolicyStatementJson[];
}

/** The policy document held as JSON text in the argument `attribute` of a synthesized resource. */
export function policyOf(resource: SynthResource, attribute = 'policy'): PolicyDocumentJson {
  const text = resource[attribute];
  expect(typeof text, `${attribute} is JSON text`).toBe('string');
  return JSON.parse(text as string) as PolicyDocumentJson;
}

/** What a role's trust policy must be when only the AWS service `service` may assume it. */
export const serviceTrust = (service: string): PolicyDocumentJson => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});
