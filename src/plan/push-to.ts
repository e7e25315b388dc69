/**
 * Adds a value to the list a map holds under a key, making the list at the first value: the planner's
 * checks gather statements by object this way.
 *
 * @example
 * const byTable = new Map<string, Unit[]>();
 * pushTo(byTable, 'main|public.users', unit);
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
