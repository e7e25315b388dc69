import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { flow, renderDraft, type DraftDocument } from '../../../src/init/render-draft.js';
import { uncommentSection } from '../../helpers/init-edits.js';

const owns = Array.from({ length: 30 }, (_, i) => `table_number_${i}`);
const doc: DraftDocument = {
  name: 'shop',
  root: '..',
  header: ['A draft.', ''],
  stores: [{ name: 'postgres', value: { engine: 'postgres', database: 'shop', url: '${SHOP_URL:-}' } }],
  sets: [{ name: 'legacy', value: { dir: 'old/sql', shared: true, stores: { postgres: 'postgres' } }, comment: 'legacy' }, { name: 'app', value: { dir: 'app/migrations', suffixes: { '.sql.sqlite': 'sqlite' } } }],
  services: [{ name: 'app', value: { stores: { postgres: 'postgres' }, sets: ['app'], owns } }],
  blocks: {
    sections: [{ key: 'supersessions', entries: [{ value: { objects: ['orders'], by: 'app', sets: ['legacy'], reason: '...' }, conflicts: ['table orders is created by both "a:1"\nand "b:2"'] }] }],
    notes: [{ conflict: 'a cycle', hint: 'the edges:\na → b' }, { conflict: 'no hint' }],
  },
};

describe('renderDraft', () => {
  it('writes YAML that reads back as the topology, with long lists wrapped', () => {
    const text = renderDraft(doc);
    const read = parse(text) as Record<string, unknown>;
    expect(read).toEqual({
      topoplan: 1,
      name: 'shop',
      root: '..',
      stores: { postgres: { engine: 'postgres', database: 'shop', url: '${SHOP_URL:-}' } },
      sets: { legacy: { dir: 'old/sql', shared: true, stores: { postgres: 'postgres' } }, app: { dir: 'app/migrations', suffixes: { '.sql.sqlite': 'sqlite' } } },
      services: { app: { stores: { postgres: 'postgres' }, sets: ['app'], owns } },
    });
    expect(text.split('\n').every((l) => l.length <= 140)).toBe(true);
    expect(text).toContain('  legacy: { dir: old/sql, shared: true, stores: { postgres: postgres } }   # legacy\n');
    expect(text).toContain('# - a cycle\n#   hint: the edges:\n#         a → b\n# - no hint\n');
  });

  it('a resolution section is one block: put in, it is part of the topology', () => {
    const text = uncommentSection(renderDraft(doc), 'supersessions');
    expect((parse(text) as { supersessions: unknown }).supersessions).toEqual([{ objects: ['orders'], by: 'app', sets: ['legacy'], reason: '...' }]);
    expect(text).toContain('  # table orders is created by both "a:1" and "b:2"\n');
  });

  it('resolutions in effect come first; what is left of their kind is one commented-out block under them', () => {
    const active = { sections: [{ key: 'supersessions', entries: [{ value: { objects: ['tags'], by: 'app', sets: ['legacy'], reason: 'the same definition' }, conflicts: ['table tags is created by both "a:1" and "b:1"'] }] }], notes: [] };
    const text = renderDraft({ ...doc, active });
    expect(text).toContain('\nsupersessions:\n  # table tags is created by both "a:1" and "b:1"\n  - { objects: [tags], by: app, sets: [legacy], reason: "the same definition" }\n  # supersessions to review: ');
    expect(text).not.toContain('\n# supersessions:\n');
    expect((parse(text) as { supersessions: unknown[] }).supersessions).toHaveLength(1);
    const put = uncommentSection(text, 'supersessions');
    expect((parse(put) as { supersessions: unknown[] }).supersessions).toEqual([{ objects: ['tags'], by: 'app', sets: ['legacy'], reason: 'the same definition' }, { objects: ['orders'], by: 'app', sets: ['legacy'], reason: '...' }]);
  });

  it('flow quotes what YAML would read otherwise', () => {
    expect(flow(['yes', 'on', '1', '...', '*.sql', 'a b', '.', '../x', 'plain-name', true, 3, {}])).toBe('["yes", "on", "1", "...", "*.sql", "a b", ., ../x, plain-name, true, 3, {}]');
  });
});
