import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envWithDotEnv } from '../../../src/cli/dot-env.js';

const dir = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), 'cli-env-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
};

describe('envWithDotEnv', () => {
  it("reads .env the way Node does: export, quotes, comments, multi-line values", () => {
    const d = dir({ '.env': '# local settings\nexport PG_URL="postgres://app:pw@db/nova"\nCH_URL=\'http://ch:8123\' # trailing\nEMPTY=\nMULTI="a\nb"\n' });
    const env = envWithDotEnv({}, [d]);
    expect(env).toEqual({ PG_URL: 'postgres://app:pw@db/nova', CH_URL: 'http://ch:8123', EMPTY: '', MULTI: 'a\nb' });
  });

  it('never overrides the environment; the working directory beats the topology directory', () => {
    const topo = dir({ '.env': 'A=topology\nB=topology\nC=topology\n' });
    const cwd = dir({ '.env': 'B=cwd\nC=cwd\n' });
    expect(envWithDotEnv({ C: 'environment' }, [topo, cwd])).toMatchObject({ A: 'topology', B: 'cwd', C: 'environment' });
  });

  it('an environment variable set to the empty string still wins (it is set)', () => {
    expect(envWithDotEnv({ A: '' }, [dir({ '.env': 'A=file\n' })]).A).toBe('');
  });

  it('no .env is no error; one directory given twice is read once', () => {
    const d = dir({});
    expect(envWithDotEnv({ X: '1' }, [d, d])).toEqual({ X: '1' });
  });

  it('a .env that cannot be read (here: a directory) is an error naming the file', () => {
    const d = dir({});
    mkdirSync(join(d, '.env'));
    expect(() => envWithDotEnv({}, [d])).toThrow(`cannot read "${join(d, '.env')}"`);
  });
});
