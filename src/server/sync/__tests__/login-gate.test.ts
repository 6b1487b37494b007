import { LoginGate } from '../login-gate';

describe('LoginGate', () => {
  it('lets `concurrency` logins through and hands each freed slot to the next in line', async () => {
    const gate = new LoginGate({ concurrency: 2, jitterMs: 0 });
    const a = await gate.enter();
    const b = await gate.enter();
    let third: (() => void) | null = null;
    const waiting = gate.enter().then((leave) => (third = leave));
    await Promise.resolve();
    expect(third).toBeNull();
    expect(gate.inFlight).toBe(2);
    a?.();
    await waiting;
    expect(third).not.toBeNull();
    expect(gate.inFlight).toBe(2);
    // Leaving twice frees one slot, not two.
    b?.();
    b?.();
    expect(gate.inFlight).toBe(1);
    third!();
    expect(gate.inFlight).toBe(0);
  });

  it('answers null to a login that was waiting when its session stopped, and keeps the slot count right', async () => {
    const gate = new LoginGate({ concurrency: 1, jitterMs: 0 });
    const first = await gate.enter();
    const stop = new AbortController();
    const queued = gate.enter({ signal: stop.signal });
    stop.abort();
    expect(await queued).toBeNull();
    first?.();
    expect(gate.inFlight).toBe(0);
    expect(await gate.enter()).not.toBeNull();
  });

  it("pauses a session's first login by a random share of the jitter, and not its later ones", async () => {
    jest.useFakeTimers();
    try {
      const gate = new LoginGate({ concurrency: 5, jitterMs: 1000, random: () => 0.5 });
      let entered = false;
      const first = gate.enter({ first: true }).then(() => (entered = true));
      await jest.advanceTimersByTimeAsync(499);
      expect(entered).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await first;
      expect(entered).toBe(true);
      expect(await gate.enter({ first: false })).not.toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
