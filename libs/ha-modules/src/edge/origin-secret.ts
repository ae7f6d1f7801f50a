import { Construct } from 'constructs';
import { DataResource, Fn, Token } from 'cdktf';

export interface OriginVerifySecretProps {
  /** Request header the CDN adds and the load balancer checks. @default 'X-Origin-Verify' */
  readonly headerName?: string;
}

export const DEFAULT_ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

/**
 * The shared secret between the CDN and the load balancer (see `WebTierProps.originVerify`):
 * a random UUID (122 random bits) drawn once, when the resource is created, by terraform's
 * built-in `uuid()` and kept by a built-in `terraform_data` resource, so no extra provider is
 * needed. `ignore_changes = [input]` stops later plans from drawing a new one.
 *
 * The value lives in the terraform state (encrypted and access-controlled per tenant) and is
 * marked sensitive, so plans and logs show `(sensitive value)` instead of it.
 *
 * Rotation: `terraform apply -replace=<address of this terraform_data>` draws a new value and
 * updates the CDN header and the listener rule in the same apply. Requests in flight between the
 * two updates may get a 403 for a few seconds: rotate outside busy hours.
 */
export class OriginVerifySecret extends Construct {
  readonly headerName: string;
  /** The secret (sensitive string token). */
  readonly value: string;
  /** The terraform address to `-replace` for a rotation. */
  readonly resourceAddress: string;

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps = {}) {
    super(scope, id);
    const headerName = props.headerName ?? DEFAULT_ORIGIN_VERIFY_HEADER;
    if (!Token.isUnresolved(headerName) && !/^[A-Za-z0-9-]{1,40}$/.test(headerName)) {
      throw new Error(`${this.node.path}: headerName must be 1-40 letters, digits or hyphens, got "${headerName}"`);
    }
    const token = new DataResource(this, 'token', {
      // DataConfig types `input` as a map, but terraform_data takes any value: a plain string here.
      input: Fn.uuid() as unknown as Record<string, string>,
      lifecycle: { ignoreChanges: ['input'] },
    });
    this.headerName = headerName;
    this.value = Token.asString(Fn.sensitive(token.getStringAttribute('output')));
    this.resourceAddress = `${DataResource.tfResourceType}.${token.friendlyUniqueId}`;
  }
}
