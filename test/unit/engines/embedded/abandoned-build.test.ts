import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesUsing, removeAbandonedBuild, running } from '../../../../src/engines/embedded/abandoned-build.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'topoplan-abandoned-'));
afterAll(() => import('node:fs/promises').then((fs) => fs.rm(root, { recursive: true, force: true })));

describe('removeAbandonedBuild', () => {
  it.runIf(process.platform === 'linux')('ends the process still writing into the directory, and the one under it, then removes it', async () => {
    const dir = path.join(root, 'postgres.initdb-1');
    mkdirSync(dir);
    // A builder that keeps writing files into the directory, with a child of its own, as initdb runs postgres --boot.
    const script = `const fs=require('fs');const d=process.argv[1];require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});let i=0;setInterval(()=>{try{fs.mkdirSync(d+'/base/'+(i++),{recursive:true});fs.writeFileSync(d+'/base/'+i+'.f','x')}catch{}},1)`;
    const builder = spawn(process.execPath, ['-e', script, dir], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const using = processesUsing(dir);
    expect(using).toContain(builder.pid);
    expect(using.length, 'the builder and its child').toBe(2);
    const ended = new Promise((r) => builder.once('exit', (_code, signal) => r(signal)));
    await removeAbandonedBuild(dir);
    expect(existsSync(dir)).toBe(false);
    expect(await ended).toBe('SIGKILL');
    const child = using.find((p) => p !== builder.pid)!;
    expect(running(child), 'the builder\'s child ended').toBe(false);
  });

  it('removes a directory no process uses, and finds no process for it', async () => {
    const dir = path.join(root, 'postgres.initdb-2');
    mkdirSync(path.join(dir, 'base'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'f'), 'x');
    expect(processesUsing(dir)).toEqual([]);
    await removeAbandonedBuild(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it('finds nothing where there is no /proc', () => {
    expect(processesUsing('/x', path.join(root, 'no-proc'))).toEqual([]);
  });
});
