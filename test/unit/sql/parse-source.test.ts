import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { cli, STACK_FRAME } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

/** A project whose second file holds a NUL byte and whose third is Latin-1; the first is fine. */
function badBytesProject(): string {
  const { dir, topologyFile } = makeProject(
    { 'app/001_ok.sql': 'CREATE TABLE ok (id int);\n' },
    { stores: { main: { engine: 'postgres', database: 'main', url: 'postgres://app:secret@127.0.0.1:1/main' } }, sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } },
  );
  writeFileSync(join(dir, 'app', '002_nul.sql'), Buffer.concat([Buffer.from('CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);'), Buffer.from([0]), Buffer.from('\nDROP TABLE ok;\n')]));
  writeFileSync(join(dir, 'app', '003_latin1.sql'), Buffer.concat([Buffer.from("CREATE TABLE c (name text);\nINSERT INTO c VALUES ('caf"), Buffer.from([0xe9]), Buffer.from("');\n")]));
  return topologyFile;
}

describe('files that are not text', () => {
  it('are errors at their line and column, and none of their statements is planned', async () => {
    const plan = await planMigration(badBytesProject(), { allowErrors: true, env: {} });
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.file, d.line, d.column])).toEqual([
      ['sql.nul_byte', 'app/002_nul.sql', 2, 26],
      ['sql.encoding', 'app/003_latin1.sql', 2, 27],
    ]);
    expect(plan.steps.map((s) => s.source?.file).filter(Boolean)).toEqual(['app/001_ok.sql']);
  });

  it('apply refuses before it connects anywhere, in one message per file, no stack', async () => {
    const r = await cli(['apply', badBytesProject()], { env: {} });
    expect(r.code).toBe(1);
    expect(r.err).toContain('app/002_nul.sql:2:26: error: sql: "app/002_nul.sql" holds a NUL byte at line 2, column 26');
    expect(r.err).toContain('app/003_latin1.sql:2:27: error: sql: "app/003_latin1.sql" is not valid UTF-8: byte 0xE9');
    expect(r.err).not.toContain('connect');
    expect(r.err).not.toContain('secret');
    expect(r.err).not.toMatch(STACK_FRAME);
  });

  it('a topology file with a NUL byte or Latin-1 bytes is an error at its position', async () => {
    const { dir, topologyFile } = makeProject({ 'app/001.sql': 'SELECT 1;' }, { stores: { main: { engine: 'postgres', database: 'main' } }, sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } });
    writeFileSync(topologyFile, Buffer.concat([Buffer.from('topoplan: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await cli(['validate', topologyFile]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${topologyFile}:2:10: error: topology: "${topologyFile}" is not valid UTF-8: byte 0xE9 at line 2, column 10`);
    writeFileSync(join(dir, 'n.yaml'), Buffer.concat([Buffer.from('topoplan: 1\n'), Buffer.from([0])]));
    expect((await cli(['validate', join(dir, 'n.yaml')])).err).toContain('holds a NUL byte at line 2, column 1');
  });
});
