import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pathKey, positionFromIndex } from '../../../src/topology/position-index.js';
import { parseYamlSource } from '../../../src/topology/yaml-source.js';

const MESSY = `# a topology with every shape a position can have
topoplan: 1
name: messy
stores:
  main: { engine: postgres, database: main, url: "\${MAIN_URL}" }
  empty:
  events:
    engine: clickhouse
    database: ev
sets:
  app: { dir: app, skip: [ { file: 001_a.sql, lines: "3-9" }, 002_b.sql ] }
  legacy:
    dir: legacy
    include:
      - "*.sql"
      -
      - "**/*.up.sql"
services:
  app: { stores: { postgres: main }, sets: [app, legacy], owns: [] }
`;

/** Every path the index knows, each with a part below it that names nothing, and paths that stop early. */
function probes(keys: string[]): (string | number)[][] {
  const out: (string | number)[][] = [[], ['nowhere'], ['stores', 'nowhere', 'url'], ['sets', 'legacy', 'include', 7]];
  for (const k of keys) {
    const path = k.split('\0');
    out.push(path, [...path, 'below'], [...path, 0]);
  }
  return out;
}

describe('positionFromIndex', () => {
  for (const [name, text] of [['a messy topology', MESSY], ['Nova plan B', readFileSync('topologies/nova-plan-b.yaml', 'utf8')]] as const) {
    it(`gives every position the parsed document gives, of values and of keys (${name})`, () => {
      const src = parseYamlSource('t.yaml', text);
      const index = JSON.parse(JSON.stringify(src.positionIndex!())) as ReturnType<NonNullable<typeof src.positionIndex>>;
      const fromIndex = positionFromIndex('t.yaml', index);
      const keys = Object.keys(index.entries);
      expect(keys.length).toBeGreaterThan(20);
      for (const path of probes(keys)) {
        expect(fromIndex(path), pathKey(path)).toEqual(src.position(path));
        expect(fromIndex(path, true), `${pathKey(path)} (key)`).toEqual(src.position(path, true));
      }
    });
  }

  it('places list items, an empty value (after its key), and a value or its key in a flow map', () => {
    const where = positionFromIndex('t.yaml', parseYamlSource('t.yaml', MESSY).positionIndex!());
    expect(where(['sets', 'legacy', 'include', 2])).toEqual({ file: 't.yaml', line: 17, column: 9 });
    expect(where(['stores', 'empty'])).toEqual({ file: 't.yaml', line: 6, column: 9 });
    expect(where(['stores', 'empty'], true)).toEqual({ file: 't.yaml', line: 6, column: 3 });
    expect(where(['stores', 'main', 'url'])).toEqual({ file: 't.yaml', line: 5, column: 50 });
    expect(where(['stores', 'main', 'url'], true)).toEqual({ file: 't.yaml', line: 5, column: 45 });
  });

  it('does not take a path through what every object has (constructor, __proto__)', () => {
    const where = positionFromIndex('t.yaml', parseYamlSource('t.yaml', MESSY).positionIndex!());
    expect(where(['constructor', 'x'])).toEqual({ file: 't.yaml', line: 1, column: 1 });
    expect(where(['stores', '__proto__'])).toEqual(where(['stores']));
  });
});
