/**
 * Strategies: seeded and reproducible, proposals stay in the unit cube, and the evolutionary
 * strategy learns from finished trials (it beats random search on a known objective).
 */
import { describe, expect, it } from 'vitest';
import { evolution, reflectUnit } from '../../src/search/evolution.ts';
import { randomSearch } from '../../src/search/randomSearch.ts';
import type { Observation, Strategy } from '../../src/search/strategy.ts';

const target = [0.8, 0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.6, 0.4, 0.95];
const sphere = (x: readonly number[]) => x.reduce((s, v, i) => s + (v - target[i]) ** 2, 0);

/** A sequential search on `sphere`; returns the best loss and all proposals. */
const runToy = (s: Strategy, seed: number, n: number) => {
  const history: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const point = s.propose(seed, i, target.length, history);
    history.push({ index: i, point, loss: sphere(point) });
  }
  return { best: Math.min(...history.map((h) => h.loss ?? Infinity)), history };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('strategies', () => {
  it('are reproducible: same seed and history, same proposals; another seed, other proposals', () => {
    for (const s of [randomSearch, evolution()]) {
      const a = runToy(s, 5, 40).history.map((h) => h.point);
      const b = runToy(s, 5, 40).history.map((h) => h.point);
      const c = runToy(s, 6, 40).history.map((h) => h.point);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    }
  });

  it('propose points in the unit cube', () => {
    for (const s of [randomSearch, evolution({ sigma: 0.8 })]) {
      for (const h of runToy(s, 3, 200).history) {
        expect(h.point.length).toBe(10);
        expect(h.point.every((x) => x >= 0 && x <= 1)).toBe(true);
      }
    }
  });

  it('evolution: a child differs from its parent (a finished trial) in at least one coordinate, near it', () => {
    const s = evolution({ initialRandom: 4 });
    const { history } = runToy(s, 9, 60);
    for (const h of history.slice(4)) {
      const earlier = history.filter((o) => o.index < h.index);
      const nearest = Math.min(...earlier.map((o) => o.point.filter((x, i) => x !== h.point[i]).length));
      expect(nearest).toBeGreaterThanOrEqual(1);
      expect(nearest).toBeLessThan(10); // some coordinates copied from the parent
    }
    expect(reflectUnit(1.2)).toBeCloseTo(0.8, 12);
    expect(reflectUnit(-0.3)).toBeCloseTo(0.3, 12);
  });

  it('evolution learns from finished trials: better than random search on a known objective', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7];
    const evo = seeds.map((s) => runToy(evolution(), s, 150).best);
    const rnd = seeds.map((s) => runToy(randomSearch, s, 150).best);
    expect(median(evo)).toBeLessThan(median(rnd) / 2);
  });

  it('evolution treats diverged trials (null loss) as worst', () => {
    const s = evolution({ initialRandom: 0, tournament: 2, sigma: 1e-6, mutationRate: 0 });
    const good = [0.5, 0.5, 0.5];
    const history: Observation[] = [
      { index: 0, point: good, loss: 1 },
      { index: 1, point: [0.1, 0.1, 0.1], loss: null },
    ];
    // with tournament 2 over 2 members the parent is the good one whenever both are drawn
    const children = Array.from({ length: 30 }, (_, i) => s.propose(1, 10 + i, 3, history));
    const fromGood = children.filter((c) => c.every((x) => Math.abs(x - 0.5) < 1e-3)).length;
    expect(fromGood).toBeGreaterThan(15);
  });
});
