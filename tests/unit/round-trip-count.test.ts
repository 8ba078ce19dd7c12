import { describe, expect, it } from 'vitest';
import { type RecordedCall, sequentialRoundTrips, waves } from '../../infra/harness/dynamodb-recorder';

const call = (operation: string, startMs: number, endMs: number): RecordedCall => ({ operation, startMs, endMs });

describe('sequential round trips read off a recording', () => {
  it('calls made together count once; calls made in turn count each', () => {
    const together = [call('UpdateItem', 0, 100), call('GetItem', 1, 101), call('GetItem', 2, 102)];
    expect(sequentialRoundTrips(together)).toBe(1);
    const inTurn = [call('UpdateItem', 0, 100), call('GetItem', 101, 201), call('PutItem', 202, 302)];
    expect(sequentialRoundTrips(inTurn)).toBe(3);
    expect(waves(inTurn)).toHaveLength(3);
  });

  it('a chain beside one long call counts in full, though the waves would run together', () => {
    const calls = [call('GetItem', 0, 100), call('PutItem', 101, 200), call('Query', 2, 150)];
    expect(waves(calls)).toHaveLength(1);
    expect(sequentialRoundTrips(calls)).toBe(2);
  });
});
