import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTenantSpec, tenantSpecFiles, type TenantSpec } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import type { GateTarget, HttpGateConfig } from './gate.js';
import { HttpGate, healthUrl } from './http-gate.js';

/** The HTTP gate against a real HTTP server on the loopback interface; every wait is bounded. */

const base = loadTenantSpec(tenantSpecFiles(WORKSPACE_ROOT)[0]!, WORKSPACE_ROOT).spec;
const specFor = (name: string): TenantSpec => ({
  ...base,
  name,
  domain: `${name}.example.org`,
  app: { ...base.app, healthCheckPath: '/health' },
});

const target = (name: string, signal = new AbortController().signal): GateTarget => ({
  tenant: name,
  spec: specFor(name),
  rolloutId: 'test',
  wave: '1',
  appliedSince: new Date().toISOString(),
  outputs: async () => ({}),
  signal,
});

describe('HTTP health gate (real local server)', () => {
  let server: Server;
  let url: string;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const tenant = req.url!.split('/')[1]!;
      const n = (hits.get(tenant) ?? 0) + 1;
      hits.set(tenant, n);
      if (req.url !== `/${tenant}/health`) return res.writeHead(404).end();
      switch (tenant) {
        case 'healthy':
          return res.writeHead(200).end('ok');
        case 'unhealthy':
          return res.writeHead(503).end('maintenance');
        case 'recovering':
          return res.writeHead(n < 3 ? 502 : 200).end();
        case 'redirecting':
          return res.writeHead(302, { location: 'https://elsewhere.example.org/' }).end();
        case 'slow':
          return void setTimeout(() => res.writeHead(200).end('too late'), 2_000).unref();
        default:
          return res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{tenant}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const gate = (config: Partial<HttpGateConfig> = {}) =>
    new HttpGate({ kind: 'http', baseUrl: url, expectStatus: '200', retries: 2, intervalMs: 20, timeoutMs: 1_000, ...config });

  it('probes https://<domain><healthCheckPath> unless a base URL is given', () => {
    expect(healthUrl(specFor('acme'))).toBe('https://acme.example.org/health');
    expect(healthUrl(specFor('acme'), 'http://10.0.0.1:8080/{tenant}/')).toBe('http://10.0.0.1:8080/acme/health');
  });

  it('passes a healthy tenant at the first attempt', async () => {
    const result = await gate().check(target('healthy'));
    expect(result).toEqual({ ok: true, detail: `GET ${url.replace('{tenant}', 'healthy')}/health → 200 (attempt 1 of 3)` });
  });

  it('fails an unhealthy tenant after every retry', async () => {
    const result = await gate().check(target('unhealthy'));
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/\/unhealthy\/health: got 503, expected 200 \(3 of 3 attempts failed\)$/);
    expect(hits.get('unhealthy')).toBe(3);
  });

  it('passes a tenant that recovers within its retries', async () => {
    const result = await gate().check(target('recovering'));
    expect(result).toMatchObject({ ok: true, detail: expect.stringContaining('→ 200 (attempt 3 of 3)') });
  });

  it('accepts a status range, and does not follow redirects', async () => {
    expect((await gate().check(target('redirecting'))).detail).toMatch(/got 302, expected 200/);
    expect(await gate({ expectStatus: '200-399' }).check(target('redirecting'))).toMatchObject({ ok: true });
  });

  it('fails a slow tenant when no attempt answers within the timeout', async () => {
    const result = await gate({ retries: 1, timeoutMs: 200 }).check(target('slow'));
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/\/slow\/health: no answer within 200ms \(2 of 2 attempts failed\)$/);
  });

  it('fails when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await gate({ baseUrl: `http://127.0.0.1:${port}` }).check(target('anyone'));
    expect(result).toEqual({ ok: false, detail: `GET http://127.0.0.1:${port}/health: connection refused (3 of 3 attempts failed)` });
  });

  it('stops waiting when the rollout is interrupted', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await gate({ retries: 100, intervalMs: 50 }).check(target('unhealthy', stop.signal));
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/, interrupted\)$/);
  });
});
