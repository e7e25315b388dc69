/**
 * What `topoplan unlock` says for each outcome of breaking a lock.
 */
import { describe, expect, it } from 'vitest';
import { unlockMessage } from '../../../src/cli/unlock-message.js';

const holder = { host: 'ci-7', pid: 4242, fingerprint: 'b:1:2', since: '2026-01-02T03:04:05.000Z' };

describe('unlockMessage', () => {
  it('says a store is not locked', () => {
    expect(unlockMessage('events', { broken: false })).toEqual({ out: 'unlock: store "events" is not locked\n' });
  });

  it('names the holder it broke and what became of that process', () => {
    const broke = (holderState: 'alive' | 'dead' | 'unknown') => unlockMessage('events', { holder, broken: true, holderState });
    expect(broke('dead')).toEqual({ out: 'unlock: broke the lock of store "events" held by ci-7 pid 4242 since 2026-01-02T03:04:05.000Z (that process has ended)\n' });
    expect(broke('alive')).toEqual({ out: 'unlock: broke the lock of store "events" held by ci-7 pid 4242 since 2026-01-02T03:04:05.000Z (that process still runs: it will find its lock lost and start no new step)\n' });
    expect(broke('unknown')).toEqual({ out: 'unlock: broke the lock of store "events" held by ci-7 pid 4242 since 2026-01-02T03:04:05.000Z (whether that process still runs cannot be told from here)\n' });
  });

  it('warns of a lock it kept, with the engine\'s hint or how to break it anyway', () => {
    const pg = { host: '', pid: 77, fingerprint: '', since: '2026-01-02T03:04:05.000Z', detail: 'application "topoplan main"' };
    expect(unlockMessage('main', { holder: pg, broken: false, hint: 'SELECT pg_terminate_backend(77)' })).toEqual({
      warning: 'unlock: store "main" is locked by pid 77 since 2026-01-02T03:04:05.000Z, application "topoplan main"\n  hint: SELECT pg_terminate_backend(77)',
    });
    expect(unlockMessage('events', { holder, broken: false, holderState: 'alive' })).toEqual({
      warning: 'unlock: store "events" is locked by ci-7 pid 4242 since 2026-01-02T03:04:05.000Z, which still runs on this host; the lock was kept\n  hint: wait for it, stop it, or break the lock anyway with --force',
    });
  });
});
