/**
 * The CLI writes a plan's JSON in pieces; joined they must be exactly
 * `JSON.stringify(value, null, 2)`, whatever the value holds, and each piece
 * must start outside any string, so that masking passwords piece by piece
 * masks what masking the whole text would.
 */
import { describe, expect, it } from 'vitest';
import { prettyJsonChunks } from '../../../src/cli/pretty-json-chunks.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { maskSecrets } from '../../../src/mask-secrets.js';
import { cli } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

const ODD: unknown[] = [
  {},
  [],
  { a: 1 },
  [1, [2, [3, []]], {}],
  // What JSON has no text for: left out of objects, null in arrays (holes too).
  { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('x')], d: { e: { f: { g: [1, { h: 'x\ny"z' }] } } } },
  { a: { b: undefined } },
  [, 1],
  { date: new Date(0), n: null, t: true, s: 'é ✓ \u2028 \\n', big: 1e21, negativeZero: -0, nan: NaN },
  { toJSON: () => ({ x: [1, 2] }) },
  { x: { toJSON: () => 'y' }, y: [{ toJSON: () => undefined }] },
  { '': { 'quoted "key"\n': [[], [[]], {}] } },
  // Boxed primitives are written as their values.
  { n: Object(3), s: [Object('x')], b: { c: Object(false) } },
  'a string',
  42,
  null,
];

describe('prettyJsonChunks', () => {
  it('joined, gives JSON.stringify(value, null, 2) at every depth', () => {
    for (const value of ODD) {
      for (const depth of [0, 1, 2, 3, 6]) expect([...prettyJsonChunks(value, depth)].join(''), `${JSON.stringify(value)} at depth ${depth}`).toBe(JSON.stringify(value, null, 2));
    }
  });

  it('gives a plan in pieces no larger than a step, each starting outside any string', async () => {
    const plan = await planMigration('topologies/nova-plan-b.yaml', { env: {} });
    const chunks = [...prettyJsonChunks(plan)];
    expect(chunks.join('')).toBe(JSON.stringify(plan, null, 2));
    expect(chunks.length).toBeGreaterThan(plan.steps.length);
    const largestStep = Math.max(...plan.steps.map((s) => JSON.stringify(s, null, 2).length));
    // A step's lines are indented two levels deeper inside the plan, and its piece starts with ",\n    ".
    const lines = Math.max(...plan.steps.map((s) => JSON.stringify(s, null, 2).split('\n').length));
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(largestStep + 4 * lines + 2);
    for (const c of chunks) expect(c[0], JSON.stringify(c.slice(0, 40))).toMatch(/[,\n[{]/);
  });

  it('is what plan --format json prints, passwords masked, on standard output and in --out', async () => {
    const files: Record<string, string> = {};
    for (let f = 1; f <= 300; f++) files[`app/${String(f).padStart(3, '0')}_t.sql`] = `CREATE TABLE t${f} (id int);\nCOMMENT ON TABLE t${f} IS 'postgres://svc:s3cret@db/x ${'x'.repeat(200)}';\n`;
    const { topologyFile } = makeProject(files, {
      stores: { main: { engine: 'postgres', database: 'main', url: 'postgres://app:hunter2@db.internal:5432/main' } },
      sets: { app: { dir: 'app' } },
      services: { app: { stores: { postgres: 'main' }, sets: ['app'] } },
    });
    const plan = await planMigration(topologyFile, { env: {} });
    const expected = maskSecrets(JSON.stringify(plan, null, 2)) + '\n';
    expect(expected.length).toBeGreaterThan(1 << 17);
    expect(expected).not.toContain('hunter2');
    expect(expected).not.toContain('s3cret');
    const r = await cli(['plan', topologyFile, '--format', 'json', '--no-cache']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(expected);
  });
});
