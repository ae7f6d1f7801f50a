import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInPty, tempWorkspace, WORKSPACE_ROOT, type TempWorkspace } from '@hafleet/testing';

/**
 * `fleet onboard` in a real pseudo-terminal, as a person meets it (issue 13.2): each answer is
 * checked as it is given and re-asked on the spot, no other answer is lost, the optional questions
 * are offered, and a summary is confirmed before anything is written.
 */
describe('fleet onboard in a terminal', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health'] });
  });
  afterAll(() => workspace.dispose());

  const clear = '\x7f'.repeat(120);
  const env = () => {
    const e: NodeJS.ProcessEnv = { ...process.env, HAFLEET_WORKSPACE: workspace.root, TERM: 'xterm-256color' };
    delete e['CI']; // a person at a terminal, even when the tests run in CI
    return e;
  };

  it('re-asks a taken name, a zero load, a taken domain and a certificate in the wrong region without losing answers; summary, then written', () => {
    const result = runInPty(
      process.execPath,
      [join(WORKSPACE_ROOT, 'apps/cli/bin/fleet.js'), 'onboard', '--display-name', 'Acme College'],
      {
        cwd: workspace.root,
        env: env(),
        steps: [
          { expect: 'Tenant name', send: 'harbour-health\r' },
          { expect: 'tenants/harbour-health already exists', send: `${clear}acme-college\r` },
          { expect: 'AWS region', send: 'eu-west-1\r' },
          { expect: 'Expected concurrent users', send: '0\r' },
          { expect: '0 concurrent users is not a load', send: `${clear}800\r` },
          { expect: 'Population', send: '40000\r' },
          { expect: 'Database engine', send: '\x1b[B\r' }, // arrow down: postgres
          { expect: 'Hostname learners use', send: 'training.harbourhealth.co.uk\r' },
          { expect: 'is also the domain of harbour-health', send: `${clear}learn.acme.ac.uk\r` },
          { expect: 'ACM certificate ARN', send: 'arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\r' },
          {
            expect: 'but the load balancer is in eu-west-1',
            send: `${clear}arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\r`,
          },
          { expect: 'Alert email addresses', send: 'ops@acme.ac.uk\r' },
          { expect: 'Optional settings', send: 'y' },
          { expect: 'Application profile', send: '\x1b[B\r' }, // arrow down from the fleet default (moodle): totara
          { expect: 'ACM certificate ARN in us-east-1 for the CDN', send: '\r' }, // empty: no CDN
          { expect: 'Rollout ring', send: '\r' }, // canary, the first
          { expect: 'Environment', send: '\r' },
          { expect: 'Disaster recovery region', send: 'eu-west-1\r' }, // the tenant's own: re-asked
          { expect: "is the tenant's own region eu-west-1", send: `${clear}eu-central-1\r` },
          { expect: 'Write tenants/acme-college/tenant.json?', send: '\r' },
        ],
      },
    );
    const screen = result.transcript;
    expect(result.ok, `stopped at step ${result.failedStep}:\n${screen}`).toBe(true);
    expect(result.code, screen).toBe(0);
    // The summary before the question: every answer, kept through the re-asks, and the sizes.
    const summary = screen.slice(screen.indexOf('Summary: acme-college'), screen.indexOf('Write tenants/acme-college/tenant.json?'));
    for (const line of [
      'Client organisation name: Acme College',
      'Tenant name (DNS-safe): acme-college',
      'Expected concurrent users at peak: 800',
      'Database engine: postgres',
      'Hostname learners use: learn.acme.ac.uk',
      'Rollout ring: canary',
      'Application profile: totara',
      'medium band for 800 concurrent users of 40,000',
      'would write tenants/acme-college/tenant.json',
    ]) {
      expect(summary).toContain(line);
    }
    const spec = JSON.parse(readFileSync(join(workspace.root, 'tenants/acme-college/tenant.json'), 'utf8'));
    expect(spec).toMatchObject({
      name: 'acme-college',
      displayName: 'Acme College',
      domain: 'learn.acme.ac.uk',
      expectedLoad: { concurrentUsers: 800, population: 40_000 },
      database: { engine: 'postgres' },
      rollout: { ring: 'canary' },
      app: { profile: 'totara' },
      disasterRecovery: { region: 'eu-central-1' },
    });
    expect(spec.cdn).toBeUndefined();
  });

  it('writes nothing when the summary is declined', () => {
    const result = runInPty(
      process.execPath,
      [
        join(WORKSPACE_ROOT, 'apps/cli/bin/fleet.js'),
        'onboard',
        'beta-college',
        '--display-name',
        'Beta',
        '--region',
        'eu-west-1',
        '--concurrent-users',
        '100',
        '--population',
        '1000',
        '--database-engine',
        'mysql',
        '--domain',
        'learn.beta.ac.uk',
        '--certificate-arn',
        'arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      ],
      {
        cwd: workspace.root,
        env: env(),
        steps: [
          { expect: 'Alert email addresses', send: 'ops@beta.ac.uk\r' },
          { expect: 'Optional settings', send: 'n' },
          { expect: 'Write tenants/beta-college/tenant.json?', send: 'n' },
        ],
      },
    );
    expect(result.ok, result.transcript).toBe(true);
    expect(result.code, result.transcript).toBe(1);
    expect(result.transcript).toContain('nothing was written');
    expect(existsSync(join(workspace.root, 'tenants/beta-college'))).toBe(false);
  });
});
