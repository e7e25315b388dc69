/**
 * Orders strings by code point: the same on every machine and locale (plans
 * must be byte-identical everywhere), and far cheaper than localeCompare on
 * the hundreds of thousands of keys a large system has.
 *
 * @example
 * ['b', 'a_b', 'a-b'].sort(compareText) // ['a-b', 'a_b', 'b']
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
