/** IAM role names: 64 characters. */
export const IAM_ROLE_NAME_MAX = 64;

/** Trust policy of a role that only the AWS service `service` (e.g. `ec2.amazonaws.com`) can assume. */
export function serviceTrustPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
