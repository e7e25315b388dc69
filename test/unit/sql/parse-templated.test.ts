import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers } from '../../../src/sql/parse-file.js';
import { parseTemplated } from '../../../src/sql/parse-templated.js';
import { findPlaceholders } from '../../../src/sql/placeholders.js';
import { substitute } from '../../../src/sql/substitute.js';

beforeAll(loadParsers);

const literal = (text: string, value: string) => ({ text, value, source: `substitute ${text}` });
const variable = (name: string, value: string) => ({ name, value, source: `variable ${name}` });

describe('substitute', () => {
  it('replaces literals (longest first) and declared variables in every placeholder syntax, in one pass', () => {
    const r = substitute('a $%PK%$ b $%PK%$_X {{.C}} {{ .C }} {{- .C -}} ${C} $%C%$ {{.D}} ${D}', {
      literals: [literal('$%PK%$', 'bigint'), literal('$%PK%$_X', 'text')],
      variables: [variable('C', 'c1')],
    });
    expect(r.text).toBe('a bigint b text c1 c1 c1 c1 c1 {{.D}} ${D}');
  });

  it('a replacement is never rewritten again', () => {
    expect(substitute('x $%A%$', { literals: [literal('$%A%$', '{{.B}}')], variables: [variable('B', 'no')] }).text).toBe('x {{.B}}');
  });

  it('maps byte offsets of the rewritten text back to the file, starts and ends apart', () => {
    const text = 'é $%PK%$ ;x';
    const r = substitute(text, { literals: [literal('$%PK%$', 'bigint primary key')], variables: [] });
    const fileBytes = Buffer.from(text);
    const newBytes = Buffer.from(r.text);
    const semicolon = newBytes.indexOf(';');
    expect(r.fileByte(semicolon, 'start')).toBe(fileBytes.indexOf(';'));
    const valueStart = newBytes.indexOf('bigint');
    expect(r.fileByte(valueStart, 'start')).toBe(fileBytes.indexOf('$%PK%$'));
    expect(r.fileByte(valueStart + 3, 'end')).toBe(fileBytes.indexOf('$%PK%$') + 6);
    // An end right before a replacement stays before it.
    expect(r.fileByte(valueStart, 'end')).toBe(fileBytes.indexOf('$%PK%$'));
    expect(r.appliedWithin(0, newBytes.length)).toEqual([{ placeholder: '$%PK%$', value: 'bigint primary key', source: 'substitute $%PK%$' }]);
    expect(r.appliedWithin(semicolon, newBytes.length)).toEqual([]);
  });
});

describe('findPlaceholders', () => {
  it('finds every syntax in code and strings, not in comments; a mustache word in a string is data', () => {
    const text = [
      "CREATE TABLE t ON CLUSTER {{.CLUSTER}} (id UInt64) ENGINE = {{ .REPLICATED }}MergeTree('/t/{{.SHARD}}') -- {{.IN_COMMENT}}",
      "INSERT INTO mail (body) VALUES ('Hello {{name}}'), ('${HOME}');",
      '/* $%IGNORED%$ */ CREATE TABLE u (id $%AUTO_INCREMENT_PRIMARY_KEY%$);',
      'SELECT {{bare}};',
    ].join('\n');
    expect(findPlaceholders(text).map((p) => [p.text, p.name, p.syntax])).toEqual([
      ['{{.CLUSTER}}', 'CLUSTER', 'template'],
      ['{{ .REPLICATED }}', 'REPLICATED', 'template'],
      ['{{.SHARD}}', 'SHARD', 'template'],
      ['${HOME}', 'HOME', 'dollar-brace'],
      ['$%AUTO_INCREMENT_PRIMARY_KEY%$', 'AUTO_INCREMENT_PRIMARY_KEY', 'dollar-percent'],
      ['{{bare}}', 'bare', 'template'],
    ]);
  });

  it('dollar-quoted bodies are strings: a Go template there is still a placeholder', () => {
    expect(findPlaceholders("CREATE FUNCTION f() RETURNS text AS $$ SELECT '{{x}}' || '{{.Y}}' $$ LANGUAGE sql;").map((p) => p.text)).toEqual(['{{.Y}}']);
  });
});

describe('parseTemplated', () => {
  it('parses the substituted text and gives statements the places they have in the file', () => {
    const text = 'CREATE TABLE a (id $%PK%$);\nCREATE TABLE b (id $%PK%$, n int); CREATE TABLE c (id int);\n';
    const f = parseTemplated({ file: 'm/001.sql', text, set: 'm', rules: { literals: [literal('$%PK%$', 'BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY')], variables: [] } });
    expect(f.diagnostics).toEqual([]);
    expect(f.statements.map((s) => s.sql)).toEqual([
      'CREATE TABLE a (id BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY)',
      'CREATE TABLE b (id BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY, n int)',
      'CREATE TABLE c (id int)',
    ]);
    const bytes = Buffer.from(text);
    const c = f.statements[2]!;
    expect([c.line, c.column, c.endLine]).toEqual([2, 36, 2]);
    expect(bytes.subarray(c.start, c.end).toString()).toBe('CREATE TABLE c (id int)');
    expect(bytes.subarray(f.statements[1]!.start, f.statements[1]!.end).toString()).toBe('CREATE TABLE b (id $%PK%$, n int)');
    expect(f.statements[0]!.substitutions).toEqual([{ placeholder: '$%PK%$', value: 'BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY', source: 'substitute $%PK%$' }]);
    expect(c.substitutions).toBeUndefined();
  });

  it('a parse error after a substitution points at the place in the file', () => {
    const f = parseTemplated({ file: 'm/001.sql', text: 'CREATE TABLE a (id $%PK%$, , x int);', rules: { literals: [literal('$%PK%$', 'bigint primary key generated always as identity')], variables: [] } });
    const d = f.diagnostics.find((x) => x.code === 'sql.parse')!;
    expect([d.line, d.column]).toEqual([1, 28]);
  });

  it('an unfilled placeholder is an error with its place and the YAML that fills it; the parser then blames it, not the engine', () => {
    const text = "CREATE TABLE t (\n  id $%AUTO_INCREMENT_PRIMARY_KEY%$,\n  n int\n);\nCREATE TABLE u (id $%AUTO_INCREMENT_PRIMARY_KEY%$) ENGINE = MergeTree;";
    const f = parseTemplated({ file: 'm/001.sql', text, set: 'main' });
    expect(f.engine).toBe('postgres');
    const p = f.diagnostics.find((d) => d.code === 'sql.placeholder')!;
    expect(p).toMatchObject({ severity: 'error', file: 'm/001.sql', line: 2, column: 6, object: '$%AUTO_INCREMENT_PRIMARY_KEY%$' });
    expect(p.message).toBe('sql: placeholder "$%AUTO_INCREMENT_PRIMARY_KEY%$" in "m/001.sql" is not filled (2 times in the file): it would reach the database as written');
    expect(p.hint).toBe('sets:\n  main:\n    substitute:\n      "$%AUTO_INCREMENT_PRIMARY_KEY%$": "..."');
    const parse = f.diagnostics.find((d) => d.code === 'sql.parse')!;
    expect(parse.hint).toContain('placeholder no variable fills ("$%AUTO_INCREMENT_PRIMARY_KEY%$" at line 2)');
    expect(parse.hint).not.toContain('clickhouse');
  });

  it('a Go template placeholder hints at variables:', () => {
    const f = parseTemplated({ file: 'c/001.sql', text: 'CREATE TABLE t ON CLUSTER {{.CLUSTER}} (id int);', set: 'collector' });
    expect(f.diagnostics.find((d) => d.code === 'sql.placeholder')!.hint).toContain('variables:\n      CLUSTER: { env: CLUSTER }');
  });
});
