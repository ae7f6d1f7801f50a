import { describe, expect, it } from 'vitest';
import { parseSetArgument, setSpecValues } from './spec-changes.js';

describe('--set field=value, typed by the tenant schema', () => {
  it.each([
    ['app.release=2025.4.0', { path: 'app.release', value: '2025.4.0' }],
    ['app.amiId=ami-0123456789abcdef0', { path: 'app.amiId', value: 'ami-0123456789abcdef0' }],
    ['web.minCapacity=3', { path: 'web.minCapacity', value: 3 }],
    ['edge.shieldAdvanced=true', { path: 'edge.shieldAdvanced', value: true }],
    ['rollout.ring=canary', { path: 'rollout.ring', value: 'canary' }],
    ['tags.cost-centre=edu', { path: 'tags.cost-centre', value: 'edu' }],
    ['alerts.emails=["a@example.org","b@example.org"]', { path: 'alerts.emails', value: ['a@example.org', 'b@example.org'] }],
    ['app.release=a=b', { path: 'app.release', value: 'a=b' }],
  ])('%s', (argument, change) => {
    expect(parseSetArgument(argument)).toEqual(change);
  });

  it.each([
    ['app.release', /--set "app\.release" has no value — fix: --set field=value/],
    ['app.ami=x', /--set app\.ami: unknown spec field — fix: one of app\.amiId, app\.instanceType, .*app\.release/],
    ['aap.release=x', /--set aap\.release: unknown spec field — fix: one of .*app.*/],
    ['web.minCapacity=2.5', /--set web\.minCapacity="2\.5" must be a whole number — fix: e\.g\. --set web\.minCapacity=3/],
    ['web.minCapacity=', /must be a whole number/],
    ['edge.shieldAdvanced=yes', /must be true or false — fix: e\.g\. --set edge\.shieldAdvanced=true/],
    ['alerts.emails=a@example.org', /must be a JSON array — fix/],
    ['name=other', /a rollout cannot change a tenant's name/],
    ['app..release=x', /is not a spec field — fix: a dotted path/],
  ])('refuses %s', (argument, message) => {
    expect(() => parseSetArgument(argument)).toThrow(message);
  });
});

describe('setting values in a spec file keeps everything else as written', () => {
  const spec = `{
  "name": "acme",
  "app": {
    "amiId": "ami-0123456789abcdef0",
    "release": "2025.3.2"
  },
  "web": { "minCapacity": 2 },
  "tags": {}
}
`;

  it('replaces an existing value in place: the diff is that value only', () => {
    expect(setSpecValues(spec, [{ path: 'app.release', value: '2025.4.0' }])).toBe(spec.replace('2025.3.2', '2025.4.0'));
    expect(setSpecValues(spec, [{ path: 'web.minCapacity', value: 3 }])).toBe(spec.replace('"minCapacity": 2', '"minCapacity": 3'));
  });

  it('adds a missing field after its last sibling, inline when the object is inline', () => {
    expect(setSpecValues(spec, [{ path: 'web.maxCapacity', value: 6 }])).toBe(
      spec.replace('{ "minCapacity": 2 }', '{ "minCapacity": 2, "maxCapacity": 6 }'),
    );
    expect(setSpecValues(spec, [{ path: 'app.instanceType', value: 'm7i.large' }])).toBe(
      spec.replace('"release": "2025.3.2"\n', '"release": "2025.3.2",\n    "instanceType": "m7i.large"\n'),
    );
    expect(setSpecValues(spec, [{ path: 'tags.team', value: 'lms' }])).toBe(spec.replace('"tags": {}', '"tags": { "team": "lms" }'));
  });

  it('creates missing parent objects, one line each', () => {
    expect(setSpecValues(spec, [{ path: 'rollout.ring', value: 'canary' }])).toBe(
      spec.replace('"tags": {}\n', '"tags": {},\n  "rollout": { "ring": "canary" }\n'),
    );
  });

  it('is idempotent: setting the value a spec already has changes nothing', () => {
    const once = setSpecValues(spec, [
      { path: 'app.release', value: '2025.4.0' },
      { path: 'rollout.ring', value: 'early' },
    ]);
    expect(
      setSpecValues(once, [
        { path: 'app.release', value: '2025.4.0' },
        { path: 'rollout.ring', value: 'early' },
      ]),
    ).toBe(once);
  });

  it('refuses to set below a value that is not an object', () => {
    expect(() => setSpecValues(spec, [{ path: 'name.first', value: 'x' }])).toThrow(/name is not an object/);
  });
});
