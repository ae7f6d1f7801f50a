import { describe, expect, it } from 'vitest';
import { boundedName } from './naming.js';

const VALID = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

describe('boundedName', () => {
  it('keeps short names readable', () => {
    expect(boundedName('acme', 'alb')).toBe('acme-alb');
    expect(boundedName('a-28-character-tenant-name-x', 'alb')).toBe('a-28-character-tenant-name-x-alb');
  });

  it('cuts long names to the limit, keeping them valid and distinct', () => {
    const a = boundedName('university-of-somewhere-sydney-1', 'alb');
    const b = boundedName('university-of-somewhere-sydney-2', 'alb');
    for (const name of [a, b]) {
      expect(name.length).toBeLessThanOrEqual(32);
      expect(name).toMatch(VALID);
      expect(name.endsWith('-alb')).toBe(true);
    }
    expect(a).not.toBe(b);
    expect(boundedName('university-of-somewhere-sydney-1', 'alb')).toBe(a);
  });

  it('never leaves a hyphen where the name is cut', () => {
    // 21 characters are left for the head (32 - "-alb" - "-" - hash): the cut falls right after "t-".
    const name = boundedName('abcdefghijklmnopqrst-uvwxyz-0123456', 'alb');
    expect(name).toMatch(VALID);
    expect(name).not.toContain('--');
    expect(name.length).toBeLessThanOrEqual(32);
  });

  it('replaces characters AWS does not accept', () => {
    expect(boundedName('Acme_Corp.', 'tg')).toBe('Acme-Corp-tg');
    expect(() => boundedName('---', 'alb')).toThrow(/cannot build/);
  });
});
