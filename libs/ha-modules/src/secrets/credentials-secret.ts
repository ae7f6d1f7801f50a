import { Construct } from 'constructs';
import { DataResource, Fn, Token } from 'cdktf';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';

export interface CredentialsSecretProps {
  /** Secrets Manager name, e.g. `hafleet/<tenant>/cache`. */
  readonly secretName: string;
  readonly description: string;
  /** The tenant's KMS key: encrypts the secret. */
  readonly kmsKeyArn: string;
  /** User name stored beside the password. */
  readonly username: string;
  /**
   * Who writes the password: `terraform` draws it once (a UUID from terraform's built-in `uuid()`,
   * kept by `terraform_data`: in the encrypted per-tenant state, shown as sensitive) and stores
   * `{username, password}`; `external` creates an empty secret that a job in the VPC fills (so the
   * password never reaches the state). @default 'terraform'
   */
  readonly writer?: 'terraform' | 'external';
}

/**
 * A Secrets Manager secret `{ "username": ..., "password": ... }` encrypted with the tenant key,
 * which the instances read (and re-read on a timer, so a rotation reaches them without a relaunch).
 * Rotation of a terraform-drawn password: `terraform apply -replace=<passwordResourceAddress>`.
 */
export class CredentialsSecret extends Construct {
  readonly secretArn: string;
  readonly username: string;
  /** The password (sensitive token); undefined when an external job writes it. */
  readonly password: string | undefined;
  /** The terraform address to `-replace` for a rotation; undefined when an external job writes it. */
  readonly passwordResourceAddress: string | undefined;

  constructor(scope: Construct, id: string, props: CredentialsSecretProps) {
    super(scope, id);
    const secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 7,
    });
    this.secretArn = secret.arn;
    this.username = props.username;
    if ((props.writer ?? 'terraform') === 'external') {
      this.password = undefined;
      this.passwordResourceAddress = undefined;
      return;
    }
    const token = new DataResource(this, 'password', {
      // DataConfig types `input` as a map, but terraform_data takes any value: a plain string here.
      input: Fn.uuid() as unknown as Record<string, string>,
      lifecycle: { ignoreChanges: ['input'] },
    });
    this.password = Token.asString(Fn.sensitive(token.getStringAttribute('output')));
    this.passwordResourceAddress = `${DataResource.tfResourceType}.${token.friendlyUniqueId}`;
    new SecretsmanagerSecretVersion(this, 'value', {
      secretId: secret.id,
      secretString: Fn.jsonencode({ username: props.username, password: this.password }),
    });
  }
}
