import { Token } from 'cdktf';

/**
 * Checks of the account id and region that policies and ARNs are built from (partition `aws`).
 * Values only known at apply time (tokens) are left to AWS.
 */
export function assertAccountId(owner: string, accountId: string): void {
  if (!Token.isUnresolved(accountId) && !/^\d{12}$/.test(accountId)) {
    throw new Error(`${owner}: accountId must be a 12-digit AWS account id, got "${accountId}"`);
  }
}

export function checkAccountAndRegion(owner: string, accountId: string, region: string): void {
  assertAccountId(owner, accountId);
  if (!Token.isUnresolved(region) && !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    throw new Error(`${owner}: region must be an AWS region such as "eu-west-1", got "${region}"`);
  }
}
