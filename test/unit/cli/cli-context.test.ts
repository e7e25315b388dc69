import { describe, expect, it } from 'vitest';
import { cliContext } from '../../../src/cli/cli-context.js';

const io = { out: () => {}, err: () => {} };

describe('cliContext', () => {
  it('draws live progress only on a terminal standard error that can move its cursor', () => {
    expect(cliContext({ ...io, stderrIsTTY: true, env: {} }).interactiveErr).toBe(true);
    expect(cliContext({ ...io, stderrIsTTY: false, env: {} }).interactiveErr).toBe(false);
    expect(cliContext({ ...io, env: {} }).interactiveErr).toBe(false);
    expect(cliContext({ ...io, stderrIsTTY: true, env: { TERM: 'dumb' } }).interactiveErr).toBe(false);
  });

  it('reads the terminal width when asked, and has none without a terminal', () => {
    let columns = 80;
    const ctx = cliContext({ ...io, stderrIsTTY: true, env: {}, stderrColumns: () => columns });
    expect(ctx.errColumns()).toBe(80);
    columns = 120;
    expect(ctx.errColumns()).toBe(120);
    expect(cliContext({ ...io, env: {} }).errColumns()).toBeUndefined();
  });
});
