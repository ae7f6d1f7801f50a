import { PriceError } from './prices.js';
import type { PriceListClient } from './price-list.js';

/**
 * The Price List API through the AWS SDK, with the environment's credentials. The API is served
 * from us-east-1 (and a few others); prices of every region come from there.
 */
export async function awsPriceListClient(): Promise<PriceListClient> {
  const { GetProductsCommand, PricingClient } = await import('@aws-sdk/client-pricing');
  const client = new PricingClient({ region: 'us-east-1' });
  return {
    async getProducts(input) {
      try {
        return await client.send(new GetProductsCommand({ ...input, FormatVersion: 'aws_v1', MaxResults: 100 }));
      } catch (error) {
        const name = (error as Error).name;
        if (
          name === 'CredentialsProviderError' ||
          name === 'UnrecognizedClientException' ||
          name === 'AccessDeniedException' ||
          name === 'ExpiredTokenException'
        ) {
          throw new PriceError(
            `the AWS Price List API refused or could not be reached with the environment's credentials (${name}: ` +
              `${(error as Error).message}) — fix: set AWS credentials allowed pricing:GetProducts (AWS_PROFILE, ` +
              `or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), or leave out --refresh-prices to use prices.json offline`,
          );
        }
        throw error;
      }
    },
  };
}
