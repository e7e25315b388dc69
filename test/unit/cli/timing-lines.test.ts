/** The lines of `plan --timings`: a stage per line with its time, share, heap and detail, aligned, then the total. */
import { describe, expect, it } from 'vitest';
import { timingLines } from '../../../src/cli/timing-lines.js';

describe('timingLines', () => {
  it('aligns the stages and adds the total', () => {
    expect(
      timingLines([
        { stage: 'read', ms: 3812, heapMb: 231.7, detail: '20,000 files, 140,001 statements' },
        { stage: 'references', ms: 310, heapMb: 402.2 },
        { stage: 'output', ms: 1878, heapMb: 1402 },
      ]),
    ).toEqual([
      'timings:',
      '  read         3.81 s   64%  heap  232 MB  20,000 files, 140,001 statements',
      '  references   0.31 s    5%  heap  402 MB',
      '  output       1.88 s   31%  heap 1402 MB',
      '  total        6.00 s',
    ]);
  });

  it('is nothing for no stage, and no share of nothing', () => {
    expect(timingLines([])).toEqual([]);
    expect(timingLines([{ stage: 'a', ms: 0, heapMb: 1 }])).toEqual(['timings:', '  a       0.00 s    0%  heap    1 MB', '  total   0.00 s']);
  });
});
