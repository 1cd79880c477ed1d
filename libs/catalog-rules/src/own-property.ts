/**
 * `record[key] = value` that also works for the key "__proto__": feeds may have a column of that name, and plain
 * assignment would try to change the object's prototype instead, dropping the value in silence.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
