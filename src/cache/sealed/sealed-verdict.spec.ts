import type { MarkerReading } from './sealed-slot.js';
import { judge, type Stored } from './sealed-verdict.js';

const CONFIGURED = 'c0c0c0c0c0c0';
const sealed = (epoch: number, fingerprint = `f${epoch}`.padEnd(12, '0')): Stored => ({
  kind: 'sealed',
  epoch,
  fingerprint,
});
const marker = (epoch: number, fingerprint = `f${epoch}`.padEnd(12, '0')): MarkerReading => ({
  kind: 'valid',
  epoch,
  fingerprint,
});
const held = (epoch: number) => ({ epoch, fingerprint: `f${epoch}`.padEnd(12, '0') });
const MISSING: Stored = { kind: 'missing' };
const UNREADABLE: Stored = { kind: 'unreadable' };
const ABSENT: MarkerReading = { kind: 'absent' };
const DAMAGED: MarkerReading = { kind: 'damaged' };
const FOREIGN: MarkerReading = { kind: 'foreign' };

describe(judge.name, () => {
  it('adopts a newer state, and marks it when the marker lags', () => {
    expect(judge(sealed(3), marker(3), held(2), CONFIGURED)).toEqual({
      action: 'adopt',
      writeMarker: false,
    });
    expect(judge(sealed(3), marker(2), held(2), CONFIGURED)).toMatchObject({
      action: 'adopt',
      writeMarker: true,
    });
  });

  it('adopts a state of the previous format (epoch 0) and writes its first marker', () => {
    expect(judge(sealed(0), ABSENT, undefined, CONFIGURED)).toEqual({
      action: 'adopt',
      writeMarker: true,
    });
  });

  it('adopts an unmarked state at boot but says it may not be the latest', () => {
    expect(judge(sealed(4), ABSENT, undefined, CONFIGURED)).toMatchObject({
      action: 'adopt',
      note: expect.stringContaining('may not be the latest') as unknown,
    });
  });

  it('keeps its own state, rewriting a damaged or forged marker', () => {
    expect(judge(sealed(2), marker(2), held(2), CONFIGURED)).toEqual({
      action: 'keep',
      writeMarker: false,
    });
    expect(judge(sealed(2), DAMAGED, held(2), CONFIGURED)).toMatchObject({ writeMarker: true });
    expect(judge(sealed(2), FOREIGN, held(2), CONFIGURED)).toMatchObject({ writeMarker: true });
    expect(judge(sealed(2), marker(2, 'ffffffffffff'), held(2), CONFIGURED)).toMatchObject({
      writeMarker: true,
    });
  });

  it('settles two writers that raced to the same epoch on one state, the same everywhere', () => {
    const a = { epoch: 2, fingerprint: 'aaaaaaaaaaaa' };
    const b = { epoch: 2, fingerprint: 'bbbbbbbbbbbb' };
    expect(judge(sealed(2, b.fingerprint), marker(2), a, CONFIGURED)).toMatchObject({
      action: 'adopt',
    });
    expect(judge(sealed(2, a.fingerprint), marker(2), b, CONFIGURED)).toEqual({
      action: 'reseal',
      reason: 'diverged',
    });
  });

  it.each([
    ['rolled back', sealed(1)],
    ['missing', MISSING],
    ['unreadable', UNREADABLE],
  ] as const)('reseals a state %s when it holds the newest', (reason, stored) => {
    expect(judge(stored, marker(2), held(2), CONFIGURED)).toEqual({ action: 'reseal', reason });
    expect(judge(stored, ABSENT, held(2), CONFIGURED)).toEqual({ action: 'reseal', reason });
  });

  it('never goes back below the marker: a rolled-back box is a conflict without the newest', () => {
    expect(judge(sealed(1), marker(2), undefined, CONFIGURED)).toMatchObject({
      action: 'conflict',
      rolledBack: true,
    });
    expect(judge(sealed(1), marker(3), held(2), CONFIGURED)).toMatchObject({
      action: 'conflict',
      rolledBack: true,
    });
  });

  it('refuses to fall back when the fleet runs on something else and nothing is readable', () => {
    for (const stored of [MISSING, UNREADABLE]) {
      expect(judge(stored, marker(2), undefined, CONFIGURED)).toMatchObject({
        action: 'conflict',
        rolledBack: false,
      });
    }
  });

  it('falls back when the fleet runs on the configured secret itself', () => {
    expect(judge(sealed(1), marker(2, CONFIGURED), undefined, CONFIGURED)).toEqual({
      action: 'fallback',
      rolledBack: true,
    });
    expect(judge(UNREADABLE, marker(2, CONFIGURED), undefined, CONFIGURED)).toEqual({
      action: 'fallback',
      rolledBack: false,
    });
  });

  it('does not fight a state written under another configured secret', () => {
    expect(judge(UNREADABLE, FOREIGN, undefined, CONFIGURED)).toMatchObject({
      action: 'fallback',
      note: expect.stringContaining('another configured secret') as unknown,
    });
    expect(judge(UNREADABLE, FOREIGN, held(2), CONFIGURED)).toMatchObject({
      action: 'conflict',
    });
  });

  it('falls back quietly with nothing stored, and says why otherwise', () => {
    expect(judge(MISSING, ABSENT, undefined, CONFIGURED)).toEqual({
      action: 'fallback',
      rolledBack: false,
    });
    expect(judge(UNREADABLE, ABSENT, undefined, CONFIGURED)).toHaveProperty('note');
    expect(judge(MISSING, DAMAGED, undefined, CONFIGURED)).toHaveProperty('note');
  });
});
