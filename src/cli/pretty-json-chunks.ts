/**
 * `JSON.stringify(value, null, 2)` in pieces: joined, the chunks are exactly
 * that text (for plain data, as a plan is: see isWalked), but no piece is larger than one value found `depth` levels down
 * (one step of a plan). Written one after the other, a plan of 20,000 steps
 * is never held as one string of some 100 MB (and its copy with secrets
 * masked): at 1,000 services `plan --format json` peaked at about 1 GB,
 * against 630 MB for the text format.
 *
 * Every chunk starts with a newline, a comma, a bracket or a brace, outside any
 * string, so masking passwords chunk by chunk masks what masking the whole text
 * would: what mask-secrets.ts finds never holds a quote, so it lies inside one
 * JSON string.
 *
 * @example
 * for (const chunk of prettyJsonChunks(plan)) write(chunk);
 */

const INDENT = '  ';

/** The chunks of `JSON.stringify(value, null, 2)`; objects and arrays down to `depth` levels are taken apart. */
export function* prettyJsonChunks(value: unknown, depth = 2): Generator<string> {
  if (depth > 0 && isWalked(value)) {
    yield* container(value, depth, '');
    return;
  }
  const whole = JSON.stringify(value, null, 2) as string | undefined;
  if (whole !== undefined) yield whole;
}

function* container(value: object, depth: number, pad: string): Generator<string> {
  const inner = pad + INDENT;
  const array = Array.isArray(value);
  const [open, close] = array ? ['[', ']'] : ['{', '}'];
  let first = true;
  const keys = array ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  for (let i = 0; i < count; i++) {
    const v = keys ? (value as Record<string, unknown>)[keys[i]!] : (value as unknown[])[i];
    const walked = depth > 1 && isWalked(v);
    // Undefined for what JSON has no text for (undefined, a function, a symbol): inside an object its key is
    // left out, inside an array (a hole too) it is null.
    const text = walked ? '' : (JSON.stringify(v, null, 2) as string | undefined);
    if (text === undefined && keys) continue;
    const head = `${first ? open : ','}\n${inner}${keys ? `${JSON.stringify(keys[i])}: ` : ''}`;
    first = false;
    if (walked) {
      yield head;
      yield* container(v, depth - 1, inner);
    }
    // A string holds no raw line break in JSON: each break in the value's text starts one of its lines.
    else yield head + (text === undefined ? 'null' : text.replaceAll('\n', `\n${inner}`));
  }
  yield first ? open + close : `\n${pad}${close}`;
}

/**
 * An object or array JSON.stringify walks as it is: not a boxed primitive (`new Number(1)` is written `1`),
 * nor one with a toJSON (written whole, by JSON.stringify; below the top its toJSON is then asked with the key
 * "" instead of its own: a plan, plain data, has none).
 */
function isWalked(v: unknown): v is object {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function' && !(v instanceof Number || v instanceof String || v instanceof Boolean);
}
