/** The pause gate: holds nest, the last release resumes the source once, stale releases are ignored. */
import { describe, expect, it } from 'vitest';
import { createPauseGate } from '../../streams/sources/pauseGate.ts';

describe('createPauseGate', () => {
  it('holds nest; only the last release resumes; releasing twice counts once', () => {
    const gate = createPauseGate();
    let resumed = 0;
    gate.onResume(() => resumed++);
    expect(gate.held()).toBe(false);
    const a = gate.hold();
    const b = gate.hold();
    a();
    a();
    expect(gate.held()).toBe(true);
    expect(resumed).toBe(0);
    b();
    expect(gate.held()).toBe(false);
    expect(resumed).toBe(1);
  });

  it('after reset (a new subscription) a release from before is ignored', () => {
    const gate = createPauseGate();
    let resumed = 0;
    gate.onResume(() => resumed++);
    const old = gate.hold();
    gate.reset();
    const now = gate.hold();
    old();
    expect(gate.held()).toBe(true);
    now();
    expect(gate.held()).toBe(false);
    expect(resumed).toBe(1);
  });
});
