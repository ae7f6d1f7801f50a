import { describe, expect, it } from 'vitest';
import { OFFLINE_AWS_PROVIDER_SETTINGS, isOfflineStack } from './offline.js';

describe('isOfflineStack', () => {
  const aws = (accessKey?: string) => ({ region: 'eu-west-2', ...(accessKey ? { access_key: accessKey } : {}) });

  it('is true only when every aws provider block has the offline placeholder credentials', () => {
    expect(isOfflineStack({ provider: { aws: [aws(OFFLINE_AWS_PROVIDER_SETTINGS.accessKey)] } })).toBe(true);
    expect(
      isOfflineStack({
        provider: {
          aws: [aws(OFFLINE_AWS_PROVIDER_SETTINGS.accessKey), { ...aws(OFFLINE_AWS_PROVIDER_SETTINGS.accessKey), alias: 'edge' }],
        },
      }),
    ).toBe(true);
    expect(isOfflineStack({ provider: { aws: [aws(OFFLINE_AWS_PROVIDER_SETTINGS.accessKey), { ...aws(), alias: 'edge' }] } })).toBe(false);
    expect(isOfflineStack({ provider: { aws: [aws()] } })).toBe(false); // remote: the environment's credentials
    expect(isOfflineStack({ resource: { terraform_data: { web: {} } } })).toBe(false); // no AWS at all: refresh as usual
    expect(isOfflineStack(null)).toBe(false);
  });
});
