/**
 * Pixel → spike-time encoding: every byte value, both encodings, targets, and the caller-owned
 * output forms.
 */
import { describe, expect, it } from 'vitest';
import {
  byteToTarget,
  byteToTime,
  encodeTargets,
  encodeTargetsInto,
  encodeTimes,
  encodeTimesInto,
  timeToIntensity,
} from '../../src/data/encode.ts';
import { NO_SPIKE } from '../../src/kernels/neuronModel.ts';

const allBytes = Uint8Array.from({ length: 256 }, (_, b) => b);

describe('inverted encoding', () => {
  it('maps byte b to (256 - b)/256 and the background byte 0 to no spike', () => {
    const t = encodeTimes(allBytes, 'inverted');
    expect(t[0]).toBe(NO_SPIKE);
    for (let b = 1; b < 256; b++) expect(t[b]).toBe(1 - b / 256);
  });

  it('gives exactly the spike times {1/256, ..., 255/256}, brighter = earlier', () => {
    const t = Array.from(encodeTimes(allBytes, 'inverted')).filter((x) => x !== NO_SPIKE);
    expect(t.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 255 }, (_, k) => (k + 1) / 256));
    for (let b = 2; b < 256; b++) expect(byteToTime(b, 'inverted')).toBeLessThan(byteToTime(b - 1, 'inverted'));
  });

  it('targets are the times with no spike written as 1', () => {
    const y = encodeTargets(allBytes, 'inverted');
    const t = encodeTimes(allBytes, 'inverted');
    for (let b = 0; b < 256; b++) expect(y[b]).toBe(t[b] === NO_SPIKE ? 1 : t[b]);
    expect(byteToTarget(0, 'inverted')).toBe(1);
  });
});

describe('plain encoding', () => {
  it('maps byte b to b/256: every pixel spikes, the background at 0, brighter = later', () => {
    const t = encodeTimes(allBytes, 'plain');
    for (let b = 0; b < 256; b++) expect(t[b]).toBe(b / 256);
    expect(t.every((x) => x < 1)).toBe(true);
    expect(Array.from(encodeTargets(allBytes, 'plain'))).toEqual(Array.from(t));
  });
});

describe('caller-owned outputs', () => {
  it('write into and return the given array, and reject a length mismatch', () => {
    const px = Uint8Array.from([0, 64, 255]);
    const out = new Float64Array(3).fill(-7);
    expect(encodeTimesInto(out, px, 'inverted')).toBe(out);
    expect(Array.from(out)).toEqual([NO_SPIKE, 0.75, 1 / 256]);
    const y = new Float64Array(3);
    expect(encodeTargetsInto(y, px, 'inverted')).toBe(y);
    expect(Array.from(y)).toEqual([1, 0.75, 1 / 256]);
    expect(() => encodeTimesInto(new Float64Array(2), px, 'plain')).toThrow(/out has 2 entries for 3 pixels/);
    expect(() => encodeTargetsInto(new Float64Array(4), px, 'plain')).toThrow(RangeError);
  });
});

describe('timeToIntensity', () => {
  it('inverts the encoding back to b/256 and reads no spike as the background', () => {
    for (const enc of ['inverted', 'plain'] as const) {
      for (let b = 1; b < 256; b++) expect(timeToIntensity(byteToTime(b, enc), enc)).toBe(b / 256);
    }
    expect(timeToIntensity(NO_SPIKE, 'inverted')).toBe(0);
    expect(timeToIntensity(NO_SPIKE, 'plain')).toBe(1);
    expect(timeToIntensity(-0.5, 'inverted')).toBe(1);
    expect(timeToIntensity(Number.NaN, 'inverted')).toBe(0);
  });
});
