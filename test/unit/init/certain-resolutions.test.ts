import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { certainConflicts } from '../../../src/init/certain-resolutions.js';
import { initTopology, planMigration } from '../../../src/index.js';
import type { Conflict } from '../../../src/plan/model.js';
import type { Diagnostic } from '../../../src/errors.js';
import { makeProject } from '../../helpers/project.js';
import { resolutionSections, uncommentSection } from '../../helpers/init-edits.js';

const hint = (objects: string) => `supersessions:\n  - objects: [${objects}]\n    by: app\n    sets: [legacy]\n    reason: "..."`;
const pair = [{ file: 'a.sql', line: 1 }, { file: 'b.sql', line: 1 }];

function conflict(message: string, sources = pair): { d: Diagnostic; c: Conflict } {
  return { d: { code: 'plan.duplicate_create', severity: 'error', message, hint: hint('t') }, c: { kind: 'duplicate_create', object: 't', message, sources, severity: 'error' } };
}

describe('certainConflicts', () => {
  it('an object two sets create alike is certain; one resolution that also settles a difference is not', () => {
    const same = conflict('plan: table t is created by both "a.sql:1" and "b.sql:1"; the definitions are identical');
    expect(certainConflicts([same.d], [same.c])).toEqual([same.d]);
    const index = conflict('plan: index t_i is created by both "a.sql:2" and "b.sql:2"; the definitions differ: ...');
    expect(certainConflicts([same.d, index.d], [same.c, index.c])).toEqual([]);
  });

  it('three creators, or a hint that is no supersession, leave it to decide', () => {
    const three = conflict('plan: table t is created by both "a.sql:1" and "b.sql:1"; the definitions are identical', [...pair, { file: 'c.sql', line: 1 }]);
    expect(certainConflicts([three.d], [three.c])).toEqual([]);
    const other = conflict('plan: table t is created by both "a.sql:1" and "b.sql:1"; the definitions are identical');
    expect(certainConflicts([{ ...other.d, hint: 'rename one of them' }], [other.c])).toEqual([]);
  });
});

describe('init puts in only what the plan confirms', () => {
  it('an identical table the legacy set changes later stays to review: superseding it would skip the change', async () => {
    const { dir } = makeProject({
      'backend/migrations/001_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'backend/migrations/002_t_note.sql': 'ALTER TABLE t ADD COLUMN note text;\n',
      'backend/migrations/003_u.sql': 'CREATE TABLE u (id int PRIMARY KEY);\n',
      'app/migrations/001_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'app/migrations/002_u.sql': 'CREATE TABLE u (id int PRIMARY KEY);\n',
    }, {});
    const r = await initTopology(dir);
    // u is the same in both and nothing else touches it: it is put in; t is not.
    expect(r.settled + r.conflicts).toBe(2);
    const read = parse(r.text) as { supersessions?: { objects: string[] }[] };
    expect((read.supersessions ?? []).flatMap((s) => s.objects)).not.toContain('t');
    expect(r.text).toMatch(/^#   - \{ objects: \[t\]/m);
    const put = resolutionSections(r.text).reduce(uncommentSection, r.text);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(r.file, put);
    expect((await planMigration(r.file, { allowErrors: true, env: {} })).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(readFileSync(r.file, 'utf8')).toContain('reason: "..."');
  });
});
