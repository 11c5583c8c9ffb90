/**
 * The two-thread ceiling probe of the bench: it runs its job on one thread, then on two at once,
 * and reports 2·t1/t2. A timing cannot be pinned down on a shared machine, so this checks the
 * protocol (the worker starts on each request and reports back, every time, so no measurement
 * hangs) and that each ratio is a finite positive number of the right order: other test files run
 * beside this one, so a job timed alone may have shared its core and the bounds are loose.
 */
import { describe, expect, it } from 'vitest';
import { createCeilingProbe } from '../../src/bench/parallelCeiling.ts';

describe('parallel ceiling probe', () => {
  it('measures again and again (the worker answers every request), each ratio finite, within (0.1, 10)', async () => {
    const probe = await createCeilingProbe();
    try {
      const ratios = [probe.measure(), probe.measure(), probe.measure()];
      for (const r of ratios) {
        expect(Number.isFinite(r)).toBe(true);
        expect(r).toBeGreaterThan(0.1);
        expect(r).toBeLessThan(10);
      }
    } finally {
      await probe.close();
    }
  });
});
