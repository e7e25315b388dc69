/**
 * The lock of a store on embedded ClickHouse, held in the process: one
 * claim per data directory and database, waited for, named, broken on purpose.
 */
import { describe, expect, it } from 'vitest';
import { acquireEmbeddedLock, breakEmbeddedLock } from '../../../../src/engines/clickhouse/embedded-lock.js';
import { thisProcess } from '../../../../src/engines/process-identity.js';

const request = (database: string, timeoutMs = 0) => ({ store: 'analytics', database, timeoutMs, pollMs: 10 });

describe('embedded ClickHouse locks', () => {
  it('lets one claimant hold a database and names it to the next, who waits until it is released', async () => {
    const lock = await acquireEmbeddedLock('/data/a', request('one'));
    await expect(acquireEmbeddedLock('/data/a', request('one', 50))).rejects.toThrow(
      new RegExp(`^apply: store "analytics" is locked by another apply \\(${thisProcess().host} pid ${process.pid} since \\d{4}-\\d\\d-\\d\\dT[^)]+\\); waited 0\\.1s$`),
    );
    const waiting = acquireEmbeddedLock('/data/a', request('one', 5_000));
    await lock.release();
    const next = await waiting;
    expect(next.lost()).toBe(false);
    await next.release();
    await lock.release();
    expect(breakEmbeddedLock('/data/a', 'one')).toEqual({ broken: false });
  });

  it('keeps databases and data directories apart', async () => {
    const held = await Promise.all([acquireEmbeddedLock('/data/a', request('x')), acquireEmbeddedLock('/data/a', request('y')), acquireEmbeddedLock('/data/b', request('x'))]);
    for (const lock of held) await lock.release();
  });

  it('is broken only with force, and its holder then finds it lost; a release after that frees nothing of the next holder', async () => {
    const lock = await acquireEmbeddedLock('/data/a', request('z'));
    expect(breakEmbeddedLock('/data/a', 'z')).toMatchObject({ broken: false, holderState: 'alive', holder: { host: thisProcess().host, pid: process.pid } });
    expect(lock.lost()).toBe(false);
    const broken = breakEmbeddedLock('/data/a', 'z', true);
    expect(broken).toMatchObject({ broken: true, holderState: 'alive', holder: { pid: process.pid } });
    expect(broken.holder!.since).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(lock.lost()).toBe(true);
    const next = await acquireEmbeddedLock('/data/a', request('z'));
    await lock.release();
    await expect(acquireEmbeddedLock('/data/a', request('z'))).rejects.toThrow(/is locked by another apply/);
    await next.release();
  });

  it('stops waiting when told to', async () => {
    const lock = await acquireEmbeddedLock('/data/a', request('w'));
    const stop = new AbortController();
    const waiting = acquireEmbeddedLock('/data/a', { ...request('w', 10_000), signal: stop.signal });
    stop.abort();
    await expect(waiting).rejects.toThrow(/interrupted while waiting for the lock of store "analytics"/);
    await lock.release();
  });
});
