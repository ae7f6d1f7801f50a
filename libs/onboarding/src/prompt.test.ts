import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptForMissing } from './prompt.js';

/** A person at a terminal, played by the lines written to stdin (real readline, in-memory streams). */
function session(lines: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk) => (shown += String(chunk)));
  // One line per prompt (output ending in ": "), as a person types them.
  let next = 0;
  output.on('data', (chunk) => {
    if (!String(chunk).endsWith(': ')) return;
    if (next < lines.length) input.write(`${lines[next++]}\n`);
    else input.end();
  });
  return { streams: { input, output }, shown: () => shown };
}

const GIVEN = { name: 'acme-college', displayName: 'Acme College', region: 'eu-west-1', domain: 'learn.acme.ac.uk', certificateArn: 'arn:…' };

describe('promptForMissing', () => {
  it('asks only for the missing required answers, in order, and re-asks a bad one', async () => {
    const { streams, shown } = session(['lots', '800', '40000', 'oracle', 'aurora-mysql', 'ops@acme.ac.uk']);
    const answers = await promptForMissing(GIVEN, streams);
    expect(answers).toEqual({ ...GIVEN, concurrentUsers: '800', population: '40000', databaseEngine: 'aurora-mysql', alertEmails: 'ops@acme.ac.uk' });
    const prompts = shown().split('\n');
    expect(prompts.filter((line) => line.includes('Expected concurrent users at peak'))).toHaveLength(2);
    expect(shown()).toContain('"lots" is not a whole number');
    expect(shown()).toContain('"oracle" is not one of mysql, postgres, aurora-mysql, aurora-postgresql');
    expect(shown()).not.toContain('Client organisation name');
  });

  it('asks nothing when every required answer is there', async () => {
    const { streams, shown } = session([]);
    const complete = { ...GIVEN, concurrentUsers: 1, population: 1, databaseEngine: 'mysql', alertEmails: 'a@b.org' };
    expect(await promptForMissing(complete, streams)).toEqual(complete);
    expect(shown()).toBe('');
  });

  it('stops with the flag to pass when the input ends', async () => {
    const { streams } = session(['800']);
    await expect(promptForMissing(GIVEN, streams)).rejects.toThrow('no answer for --population: the input ended — fix: answer every question, or pass --population');
  });
});
