import { describe, expect, it } from 'vitest';
import { expandEnv } from '../../../src/topology/expand-env.js';

describe('expandEnv', () => {
  it('expands plain, defaulted and nested references', () => {
    const env = { A: 'a-url', B: 'b-url', EMPTY: '' };
    expect(expandEnv('${A}', env)).toEqual({ value: 'a-url', missing: [], errors: [] });
    expect(expandEnv('${NOPE:-postgres://localhost/x}', env).value).toBe('postgres://localhost/x');
    expect(expandEnv('${A:-${B:-}}', env).value).toBe('a-url');
    expect(expandEnv('${NOPE:-${B:-}}', env).value).toBe('b-url');
    expect(expandEnv('${NOPE:-${EMPTY:-}}', env)).toEqual({ value: '', missing: [], errors: [] });
    expect(expandEnv('${NOPE:-${NADA:-${B}}}/db', env).value).toBe('b-url/db');
    expect(expandEnv('pre-$A-${A}-$', env).value).toBe('pre-$A-a-url-$');
  });

  it('reports a missing variable only where its value is needed', () => {
    expect(expandEnv('${NOPE}', {}).missing).toEqual(['NOPE']);
    expect(expandEnv('${A:-${NOPE}}', { A: 'x' }).missing).toEqual([]);
    expect(expandEnv('${A:-${NOPE}}', {}).missing).toEqual(['NOPE']);
  });

  it.each([
    ['${A:-${B:-}', 0, '"${A:-" is not closed'],
    ['x${A', 1, '"${A" is not closed'],
    ['${}', 0, '"${}" names no variable'],
    ['${1A}', 0, 'does not start with a variable name'],
    ['${A:?required}', 0, 'uses ":?"'],
    ['${A-x}', 0, 'uses "-x"'],
  ])('%s is an error at offset %i', (text, offset, message) => {
    const { errors } = expandEnv(text, {});
    expect(errors[0]?.offset).toBe(offset);
    expect(errors[0]?.message).toContain(message);
  });
});
