/**
 * `${VAR}` and `${VAR:-default}` in store URLs, from an injected environment.
 * A default may itself hold references (`${A:-${B:-postgres://localhost/db}}`:
 * A, else B, else the URL). Anything else that starts with `${` is an error
 * with its offset in the text: an unclosed brace, an empty or invalid name,
 * an operator other than `:-`. A `$` not followed by `{` is kept as it is.
 *
 * @example
 * expandEnv('${NOVA_PG_URL:-postgres://localhost/nova}', {}) // { value: 'postgres://localhost/nova', missing: [], errors: [] }
 * expandEnv('${A:-${B:-}}', { B: 'x' })                   // { value: 'x', missing: [], errors: [] }
 */

export interface EnvError {
  /** 0-based offset in the text where the bad reference starts. */
  readonly offset: number;
  readonly message: string;
}

export interface EnvExpansion {
  readonly value: string;
  /** Variables that are unset or empty and have no default. */
  readonly missing: string[];
  readonly errors: EnvError[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): EnvExpansion {
  const missing: string[] = [];
  const errors: EnvError[] = [];
  const { value } = expandFrom(text, 0, false, env, missing, errors);
  return { value, missing, errors };
}

/** Expands from `start` to the end, or to the `}` that closes the enclosing reference when `nested`. */
function expandFrom(text: string, start: number, nested: boolean, env: Readonly<Record<string, string | undefined>>, missing: string[], errors: EnvError[]): { value: string; end: number } {
  let out = '';
  let i = start;
  while (i < text.length) {
    const ch = text[i]!;
    if (nested && ch === '}') return { value: out, end: i };
    if (ch !== '$' || text[i + 1] !== '{') {
      out += ch;
      i++;
      continue;
    }
    const ref = reference(text, i, env, missing, errors);
    if (!ref) return { value: out, end: text.length };
    out += ref.value;
    i = ref.end;
  }
  return { value: out, end: i };
}

/** One `${...}` at `at`; undefined after an error that leaves the rest unreadable. */
function reference(text: string, at: number, env: Readonly<Record<string, string | undefined>>, missing: string[], errors: EnvError[]): { value: string; end: number } | undefined {
  NAME.lastIndex = at + 2;
  const m = NAME.exec(text);
  if (!m) {
    const close = text.indexOf('}', at);
    errors.push({ offset: at, message: close === at + 2 ? '"${}" names no variable' : `"${text.slice(at, close < 0 ? at + 12 : close + 1)}" does not start with a variable name (letters, digits and _, not starting with a digit)` });
    return close < 0 ? undefined : { value: '', end: close + 1 };
  }
  const name = m[0];
  let i = at + 2 + name.length;
  const set = env[name] !== undefined && env[name] !== '';
  if (text[i] === '}') {
    if (!set) missing.push(name);
    return { value: set ? env[name]! : '', end: i + 1 };
  }
  if (text.startsWith(':-', i)) {
    const inner = expandFrom(text, i + 2, true, env, set ? [] : missing, errors);
    if (inner.end >= text.length) {
      errors.push({ offset: at, message: `"\${${name}:-" is not closed by "}"` });
      return undefined;
    }
    return { value: set ? env[name]! : inner.value, end: inner.end + 1 };
  }
  if (i >= text.length) {
    errors.push({ offset: at, message: `"\${${name}" is not closed by "}"` });
    return undefined;
  }
  const close = text.indexOf('}', i);
  errors.push({ offset: at, message: `"${text.slice(at, close < 0 ? text.length : close + 1)}" uses "${text.slice(i, i + 2)}"; only \${${name}} and \${${name}:-default} are understood` });
  return close < 0 ? undefined : { value: '', end: close + 1 };
}
