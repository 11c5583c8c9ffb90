import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GridTask, resultFile, runGrid } from '../../src/experiments/grid.ts';
import { parseExperimentArgs, tasksFor } from '../../src/cli/commands/experiment.ts';
import { InputError } from '../../src/io/inputError.ts';

const counting = (ids: string[], calls: string[], stopAfter?: string, stopFlag?: { stop: boolean }): GridTask<{ v: string }>[] =>
  ids.map((id) => ({
    id,
    title: id,
    run: async (ctx) => {
      calls.push(`${id}:${ctx.resume ? 'resume' : 'fresh'}`);
      if (stopFlag && id === stopAfter) {
        stopFlag.stop = true;
        return null; // killed half-way
      }
      return { v: `${id}!` };
    },
  }));

describe('runGrid', () => {
  it('runs each task once; a second invocation skips finished tasks and returns stored results', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grid-'));
    const calls: string[] = [];
    const first = await runGrid(counting(['a', 'b'], calls), { root });
    expect(first.ran).toEqual(['a', 'b']);
    expect(JSON.parse(readFileSync(resultFile(root, 'a'), 'utf8')).result).toEqual({ v: 'a!' });
    const second = await runGrid(counting(['a', 'b', 'c'], calls), { root });
    expect(second.skipped).toEqual(['a', 'b']);
    expect(second.ran).toEqual(['c']);
    expect(second.results.get('b')).toEqual({ v: 'b!' });
    expect(calls).toEqual(['a:fresh', 'b:fresh', 'c:fresh']);
  });

  it('a stopped grid continues where it stopped, resuming the interrupted task', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grid-'));
    const calls: string[] = [];
    const flag = { stop: false };
    const r1 = await runGrid(counting(['a', 'b', 'c'], calls, 'b', flag), { root, shouldStop: () => flag.stop });
    expect(r1.interrupted).toBe(true);
    expect(existsSync(resultFile(root, 'b'))).toBe(false);
    const r2 = await runGrid(counting(['a', 'b', 'c'], calls), { root });
    expect(r2.interrupted).toBe(false);
    expect(calls).toEqual(['a:fresh', 'b:fresh', 'b:resume', 'c:fresh']);
    expect([...r2.results.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('rejects unsafe and duplicate ids', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grid-'));
    await expect(runGrid(counting(['../x'], []), { root })).rejects.toThrow(/must match/);
    await expect(runGrid(counting(['a', 'a'], []), { root })).rejects.toThrow(/duplicate/);
  });
});

describe('experiment arguments', () => {
  it('--quick with overrides selects the grid; ids carry the fidelity', () => {
    const a = parseExperimentArgs(['fig3', '--quick', '--epochs', '3', '--train-size', '500', '--datasets', 'mnist']);
    if (a === 'help') throw new Error('help');
    expect(a.settings.epochs).toBe(3);
    expect(a.settings.trainSize).toBe(500);
    const tasks = tasksFor(a, { dataset: () => { throw new Error('not loaded'); }, workerScript: '' });
    expect(tasks).toHaveLength(2 * 3 * 3); // SNN and ANN over H × the quick noise levels 0, 0.4, 0.8
    expect(tasks[0].id).toBe('snn-mnist-h8-l1-n0-e3-t500-v1000-s0');
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
  });

  it('bad input is an InputError naming the flag', () => {
    expect(() => parseExperimentArgs(['fig9'])).toThrow(InputError);
    expect(() => parseExperimentArgs(['all', '--epochs', '0'])).toThrow(/--epochs/);
    expect(() => parseExperimentArgs(['all', '--datasets', 'cifar'])).toThrow(/--datasets/);
  });
});
