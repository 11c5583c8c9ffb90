/**
 * Every example runs end to end (with the quick-trained network, so the result does not depend on
 * what a previous `npm start` left behind) and produces what it says.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventsDir } from './fixtures/fixtures.ts';
import { main as composePipeline } from '../examples/compose-pipeline.ts';
import { main as customNeuronNetwork } from '../examples/custom-neuron-network.ts';
import { main as eventCameraReplay } from '../examples/event-camera-replay.ts';
import { main as liveUdp } from '../examples/live-udp.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const events = eventsDir;
const out = mkdtempSync(join(tmpdir(), 'spikeline-examples-'));
const quiet = () => {};
const isPng = (f: string) => readFileSync(f).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

describe('examples', () => {
  it('every example file is covered by a test', () => {
    const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts') && f !== 'quickAutoencoder.ts');
    expect(files.sort()).toEqual(['compose-pipeline.ts', 'custom-neuron-laws.ts', 'custom-neuron-network.ts', 'event-camera-replay.ts', 'live-udp.ts']);
  });

  it('compose-pipeline: embeddings and decoded images of 10 test digits, as PNG', async () => {
    const r = await composePipeline(out, quiet);
    expect(r.embeddings).toHaveLength(10);
    expect(r.embeddings[0]).toHaveLength(32);
    expect(r.decoded[0]).toHaveLength(784);
    // the pretrained network reconstructs: per-pixel MSE far below the mean-image predictor's 0.0669
    let se = 0;
    r.decoded.forEach((d, i) => d.forEach((v, k) => (se += ((v - r.images[i][k]) / 256) ** 2)));
    expect(se / (10 * 784)).toBeLessThan(0.03);
    expect(existsSync(r.file) && isPng(r.file)).toBe(true);
  });

  it('custom-neuron-network: a model written from scratch passes the laws, trains, and streams as it computes', async () => {
    const r = await customNeuronNetwork(quiet);
    expect(r.laws.length).toBeGreaterThanOrEqual(11); // neuron, network and stream laws
    expect(r.laws.filter((l) => !l.passed).map((l) => l.name)).toEqual([]);
    expect(r.lossAfter).toBeLessThan(r.lossBefore / 10);
    expect(r.streamed.filter((t) => t !== Infinity).length).toBeGreaterThan(0);
    r.streamed.forEach((t, k) => expect(Object.is(t, r.batch[k])).toBe(true));
  });

  it('event-camera-replay: the N-MNIST and EVT3 samples → windows → network → PNG', async () => {
    const r = await eventCameraReplay(out, undefined, quiet); // the default: test/fixtures/events;
    expect(r.summary.nmnist.windows).toBeGreaterThanOrEqual(3); // three saccades of ~100 ms
    expect(r.summary.evt3.windows).toBeGreaterThanOrEqual(5);
    expect(r.summary.nmnist.spikes.every((n) => n > 0)).toBe(true);
    for (const f of r.files) expect(isPng(f)).toBe(true);
  });

  it('live-udp: a loopback sender, the live pipeline, per-window results; every event sent arrived', async () => {
    const r = await liveUdp(join(events, 'nmnist-sample.bin'), quiet); // overridable;
    expect(r.sent).toBe(4325);
    expect(r.stats.datagrams).toBe(r.datagrams);
    expect(r.stats.receivedEvents).toBe(r.sent);
    expect(r.stats.deliveredEvents).toBe(r.sent);
    expect(r.stats).toMatchObject({ malformedDatagrams: 0, droppedEvents: 0 });
    if (process.platform === 'linux') expect(r.stats.kernelDroppedDatagrams).toBe(0);
    expect(r.results.length).toBeGreaterThanOrEqual(3); // three saccades of ~100 ms
    expect(r.results.reduce((n, w) => n + w.inputSpikes, 0)).toBeGreaterThan(0);
  });
});
