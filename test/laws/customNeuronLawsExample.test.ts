/**
 * examples/custom-neuron-laws.ts runs end to end: the user-defined model passes every law.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/custom-neuron-laws.ts';

describe('examples/custom-neuron-laws.ts', () => {
  it('runs the law suite on a user-defined model and every law holds', () => {
    const lines: string[] = [];
    const reports = main((line) => lines.push(line));
    expect(reports.length).toBe(7);
    for (const r of reports) expect(r.passed, `${r.name}\n${r.message}`).toBe(true);
    expect(lines.filter((l) => l.startsWith('ok  ')).length).toBe(reports.length);
  });
});
