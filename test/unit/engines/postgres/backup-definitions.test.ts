import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../../../src/engines/backup-manifest.js';
import { backupDefinitions } from '../../../../src/engines/postgres/backup-definitions.js';

describe('backupDefinitions', () => {
  it('writes the definitions as one manifest that restore reads, its statements the drops, with no data file', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'topoplan-defs-')), 'b');
    const files = await backupDefinitions({
      store: 'main',
      database: 'main',
      dir,
      stepId: 'main:contract',
      objects: [{ kind: 'sequence', name: 'invoice_no', create: ['CREATE SEQUENCE invoice_no'], after: ["SELECT setval('invoice_no', 7, true)"], drop: 'DROP SEQUENCE invoice_no' }],
    });
    expect(files).toEqual([{ table: 'invoice_no', path: '', rows: 0, manifest: path.join(dir, 'manifest.json') }]);
    const { manifest } = await readManifest(dir);
    expect(manifest.statements).toEqual(['DROP SEQUENCE invoice_no']);
    expect(manifest.objects).toEqual([{ kind: 'definition', object: 'sequence', table: 'invoice_no', destroys: 'drop', columns: [], create: ['CREATE SEQUENCE invoice_no'], after: ["SELECT setval('invoice_no', 7, true)"], rows: 0 }]);
  });
});
