import { Construct } from 'constructs';
import { TerraformOutput, type ITerraformDependable } from 'cdktf';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { InstancePolicyStatement } from '../compute/hardened-launch-template.js';

/** One published value. */
export interface PublishedValue {
  /** Name below the path, e.g. `db/writer-endpoint`. */
  readonly key: string;
  readonly value: string;
  /** SecureString with the tenant key (references to credentials); else String. */
  readonly secure: boolean;
  readonly description: string;
}

export interface RuntimeConfigurationProps {
  /** Tenant name. */
  readonly name: string;
  /** Path every parameter lives below, with leading and trailing slash, e.g. `/hafleet/acme/`. */
  readonly path: string;
  readonly region: string;
  readonly accountId: string;
  /** The tenant's KMS key: encrypts the SecureString parameters. */
  readonly kmsKeyArn: string;
  readonly values: readonly PublishedValue[];
}

/**
 * What an instance needs to know at boot, published by the stack under one per-tenant SSM path
 * (and as the stack output `runtime_configuration`), so one release AMI serves every tenant.
 * `readStatements` is exactly what an instance role needs to read it: that path and that key.
 */
export class RuntimeConfiguration extends Construct {
  readonly path: string;
  /** ARNs of the path itself (GetParametersByPath) and of everything below it. */
  readonly parameterArns: string[];
  /** Parameter name → terraform value, for tests and reports. */
  readonly parameters: ReadonlyMap<string, string>;
  /** The parameter resources: what a job that reads them must wait for. */
  readonly published: ITerraformDependable[] = [];
  private readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: RuntimeConfigurationProps) {
    super(scope, id);
    if (!/^\/[a-z0-9-]+(?:\/[a-z0-9-]+)*\/$/.test(props.path)) {
      throw new Error(`RuntimeConfiguration ${props.name}: path must look like "/hafleet/<tenant>/", got "${props.path}"`);
    }
    const seen = new Set<string>();
    const parameters = new Map<string, string>();
    for (const { key, value, secure, description } of props.values) {
      if (!/^[a-z0-9-]+(?:\/[a-z0-9-]+)*$/.test(key))
        throw new Error(`RuntimeConfiguration ${props.name}: key "${key}" must be lowercase words separated by "/"`);
      if (seen.has(key)) throw new Error(`RuntimeConfiguration ${props.name}: key "${key}" is published twice`);
      seen.add(key);
      const name = `${props.path}${key}`;
      const parameter = new SsmParameter(this, key.replace(/\//g, '-'), {
        name,
        description,
        type: secure ? 'SecureString' : 'String',
        keyId: secure ? props.kmsKeyArn : undefined,
        value,
        tier: 'Standard',
      });
      this.published.push(parameter);
      parameters.set(name, value);
    }
    const base = `arn:aws:ssm:${props.region}:${props.accountId}:parameter${props.path.replace(/\/$/, '')}`;
    this.path = props.path;
    this.parameterArns = [base, `${base}/*`];
    this.parameters = parameters;
    this.kmsKeyArn = props.kmsKeyArn;
    new TerraformOutput(this, 'runtime_configuration', {
      staticId: true,
      description: `Published under ${props.path} in SSM Parameter Store`,
      value: Object.fromEntries(props.values.map((v) => [v.key, v.value])),
    });
  }

  /** Read this path (decrypting with the tenant key), and nothing else of SSM. */
  readStatements(): InstancePolicyStatement[] {
    return [
      { actions: ['ssm:GetParametersByPath', 'ssm:GetParameters', 'ssm:GetParameter'], resources: this.parameterArns },
      { actions: ['kms:Decrypt'], resources: [this.kmsKeyArn] },
    ];
  }
}
