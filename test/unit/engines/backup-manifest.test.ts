import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDirFor, backupFiles, backupRunId, listBackups, manifestProblem, readManifest, safeSegment, writeManifest, type BackupManifest } from '../../../src/engines/backup-manifest.js';

const manifest = (over: Partial<BackupManifest> = {}): BackupManifest => ({
  format: 1,
  store: 'main',
  engine: 'postgres',
  database: 'main',
  step: 'main:app/003_drop_note.sql#1',
  statements: ['ALTER TABLE accounts DROP COLUMN legacy_note'],
  at: 'app/003_drop_note.sql:2',
  createdAt: '2026-12-02T14:40:00.000Z',
  objects: [{ kind: 'columns', table: 'public.accounts', destroys: 'drop_column', columns: ['id', 'legacy_note'], key: ['id'], destroyed: ['legacy_note'], create: [], after: [], rows: 4, file: '1-public.accounts.columns.csv', sha256: 'ab' }],
  notBackedUp: [],
  ...over,
});

describe('backup manifests', () => {
  it('one directory per run and step, with names safe as path segments', () => {
    const run = backupRunId(new Date('2026-12-02T14:40:00.123Z'), 4242);
    expect(run).toBe('2026-12-02T14-40-00-123Z-4242');
    expect(backupDirFor('/srv/.topoplan', run, 'main:app/003 drop "note".sql#1')).toBe('/srv/.topoplan/backups/2026-12-02T14-40-00-123Z-4242/main_app_003_drop_note_.sql_1');
    expect(safeSegment('../etc')).toBe('__etc');
  });

  it('reads back what it wrote, from the directory or the file, and lists backups newest first', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'topoplan-manifest-'));
    const older = backupDirFor(root, '2026-12-01T00-00-00-000Z-1', 'main:a');
    const newer = backupDirFor(root, '2026-12-02T00-00-00-000Z-1', 'main:b');
    await writeManifest(older, manifest({ step: 'main:a' }));
    const file = await writeManifest(newer, manifest({ step: 'main:b' }));
    expect((await readManifest(newer)).manifest).toEqual(manifest({ step: 'main:b' }));
    expect((await readManifest(file)).dir).toBe(newer);
    // A directory without a manifest (a backup that did not finish) is not listed.
    await mkdir(backupDirFor(root, '2026-12-03T00-00-00-000Z-1', 'main:c'), { recursive: true });
    expect((await listBackups(root)).map((b) => b.manifest.step)).toEqual(['main:b', 'main:a']);
    expect(backupFiles(newer, manifest())).toEqual([{ table: 'public.accounts', path: path.join(newer, '1-public.accounts.columns.csv'), rows: 4, manifest: file }]);
  });

  it('a file that is not a manifest is an error naming it, with a hint', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'topoplan-manifest-'));
    await expect(readManifest(path.join(dir, 'nope'))).rejects.toThrow(/^restore: no backup manifest at ".*nope": ENOENT; hint: /);
    await writeFile(path.join(dir, 'manifest.json'), '{"format": 1,');
    await expect(readManifest(dir)).rejects.toThrow(/^restore: ".*manifest\.json" is not JSON: .*; hint: /);
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest(), format: 2 }));
    await expect(readManifest(dir)).rejects.toThrow(/is not a backup manifest: format 2, expected 1; hint/);
  });

  it('checks the shape: known kinds, a key for columns, data files inside the backup', () => {
    expect(manifestProblem(manifest())).toBeUndefined();
    expect(manifestProblem([])).toBe('not an object');
    expect(manifestProblem({ ...manifest(), store: 3 })).toBe('"store" is missing or not text');
    const [o] = manifest().objects;
    expect(manifestProblem(manifest({ objects: [{ ...o!, kind: 'dump' as never }] }))).toBe('object 1 has no known kind');
    const { key: _key, ...keyless } = o!;
    expect(manifestProblem(manifest({ objects: [keyless] }))).toBe('object 1 (columns of "public.accounts") has no key');
    expect(manifestProblem(manifest({ objects: [{ ...o!, file: '../../etc/passwd' }] }))).toBe('object 1 ("public.accounts") names no data file in its directory');
    expect(manifestProblem({ ...manifest(), notBackedUp: 'x' })).toBe('"notBackedUp" is not a list');
    const key = { table: 'public.invoices', name: 'invoices_account_id_fkey', definition: 'FOREIGN KEY (account_id) REFERENCES accounts(id)' };
    expect(manifestProblem(manifest({ objects: [{ ...o!, referencedBy: [key] }] }))).toBeUndefined();
    expect(manifestProblem(manifest({ objects: [{ ...o!, referencedBy: [{ ...key, definition: 3 as never }] }] }))).toBe('object 1 ("public.accounts") has a "referencedBy" that is not a list of foreign keys');
    // A definition holds no data file, and names the kind of object it recreates.
    const definition = { kind: 'definition' as const, object: 'function', table: 'public.count_items()', destroys: 'drop' as const, columns: [], create: ['CREATE FUNCTION ...'], after: [], rows: 0 };
    expect(manifestProblem(manifest({ objects: [definition] }))).toBeUndefined();
    const { object: _object, ...kindless } = definition;
    expect(manifestProblem(manifest({ objects: [kindless] }))).toBe('object 1 (definition of "public.count_items()") names no kind of object');
  });
});
