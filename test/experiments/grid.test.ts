import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GridTask, resultFile, runGrid, storeResultOnce } from '../../src/experiments/grid.ts';
import { parseExperimentArgs, tasksFor } from '../../src/cli/commands/experiment.ts';
import { InputError } from '../../src/io/inputError.ts';
import { FULL_SETTINGS, QUICK_SETTINGS, snnConfig } from '../../src/experiments/paperRuns.ts';

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

  it('runs tasks side by side with concurrency 2: each once, results in task order, stored once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grid-'));
    let running = 0;
    let most = 0;
    const tasks: GridTask<{ v: string }>[] = ['a', 'b', 'c', 'd', 'e'].map((id, k) => ({
      id,
      title: id,
      run: async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 30 * (5 - k)));
        running--;
        return { v: id };
      },
    }));
    const out = await runGrid(tasks, { root, concurrency: 2 });
    expect(most).toBe(2);
    expect([...out.results.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...out.ran].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    // a duplicate delivery (a retried queue job) does not replace the stored result
    expect(storeResultOnce(root, { id: 'a', title: 'a' }, { v: 'again' })).toEqual({ v: 'a' });
    expect(JSON.parse(readFileSync(resultFile(root, 'a'), 'utf8')).result).toEqual({ v: 'a' });
    await expect(runGrid(tasks, { root, concurrency: 0 })).rejects.toThrow(/concurrency/);
  });

  it('a stop with concurrency 2 lets the running task finish and starts no other', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grid-'));
    const calls: string[] = [];
    const flag = { stop: false };
    const tasks: GridTask<{ v: string }>[] = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      title: id,
      run: async () => {
        calls.push(id);
        await new Promise((r) => setTimeout(r, id === 'a' ? 10 : 60));
        if (id === 'a') {
          flag.stop = true;
          return null; // stopped half-way
        }
        return { v: id };
      },
    }));
    const out = await runGrid(tasks, { root, concurrency: 2, shouldStop: () => flag.stop });
    expect(out.interrupted).toBe(true);
    expect(calls).toEqual(['a', 'b']);
    expect(out.results.get('b')).toEqual({ v: 'b' }); // the task running beside it finished and was stored
    expect(existsSync(resultFile(root, 'a'))).toBe(false);
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
    const tasks = tasksFor(a, { dataset: () => { throw new Error('not loaded'); } });
    expect(tasks).toHaveLength(2 * 2 * 2); // SNN and ANN over H 8/32 × the quick noise levels 0, 0.8
    expect(tasks[0].id).toBe('snn-mnist-h8-l1-n0-e3-t500-v1000-s0-b20');
    expect(tasks[0].spec).toEqual({ kind: 'snn', dataset: 'mnist', h: 8, latency: 1, noise: 0 });
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
  });

  it('the profiles: quick trains on the full training set with small latencies, standard covers every H and latency', () => {
    const q = parseExperimentArgs(['all', '--quick']);
    const st = parseExperimentArgs(['all', '--standard', '--parallel', '3']);
    const full = parseExperimentArgs(['all']);
    if (q === 'help' || st === 'help' || full === 'help') throw new Error('help');
    expect(q.settings).toMatchObject({ profile: 'quick', epochs: 2, trainSize: 54_000, latencies: [1, 4], maxBatchSize: 20 });
    expect(q.settings.leavesOut).toMatch(/latenc(y|ies).*16/);
    expect(st.settings).toMatchObject({ profile: 'standard', epochs: 5, maxBatchSize: 20, hiddens: [8, 16, 32], latencies: [1, 2, 4, 8, 16] });
    expect(st.parallel).toBe(3);
    expect(full.settings).toMatchObject({ profile: 'full', epochs: 100, leavesOut: '' });
    const o = parseExperimentArgs(['fig3', '--quick', '--hiddens', '32,8,8', '--noises', '0.8,0', '--latencies', '4']);
    if (o === 'help') throw new Error('help');
    expect(o.settings).toMatchObject({ hiddens: [8, 32], noises: [0, 0.8], latencies: [4] });
  });

  it('time-boxed profiles cap the batch size; the paper profile keeps every preset as published', () => {
    // h32-l1-n0.8 is published with batch 107, h32-l1-n0 with batch 7.
    expect(snnConfig(QUICK_SETTINGS, 'mnist', 32, 1, 0.8).batchSize).toBe(20);
    expect(snnConfig(QUICK_SETTINGS, 'mnist', 32, 1, 0).batchSize).toBe(7);
    expect(snnConfig(FULL_SETTINGS, 'mnist', 32, 1, 0.8).batchSize).toBe(107);
  });

  it('bad input is an InputError naming the flag', () => {
    expect(() => parseExperimentArgs(['fig9'])).toThrow(InputError);
    expect(() => parseExperimentArgs(['all', '--epochs', '0'])).toThrow(/--epochs/);
    expect(() => parseExperimentArgs(['all', '--datasets', 'cifar'])).toThrow(/--datasets/);
    expect(() => parseExperimentArgs(['all', '--quick', '--standard'])).toThrow(/one profile/);
    expect(() => parseExperimentArgs(['all', '--noises', '0,1.5'])).toThrow(/--noises/);
    expect(() => parseExperimentArgs(['all', '--latencies', '3'])).toThrow(/--latencies/);
    expect(() => parseExperimentArgs(['all', '--parallel', '0'])).toThrow(/--parallel/);
  });
});
