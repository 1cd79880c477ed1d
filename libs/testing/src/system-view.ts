import { runAsOwner } from '@brandshelf/db';

/**
 * The object with every method call (and every call on what those return: repositories, query builders, managers)
 * made as the database's owner (runAsOwner): what a test reads or writes in the database directly, to set up a case
 * or check its result (a trigger that makes a publish fail, say), sees every brand's rows. The application's own code never gets this
 * view: requests run as their caller and jobs as their brand (libs/db tenancy.ts).
 */
export function systemView<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = runAsOwner('test', () => (value as (...a: unknown[]) => unknown).apply(object, args));
        return isPlainObject(result) ? systemView(result) : result;
      };
    },
  });
}

function isPlainObject(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then !== 'function' &&
    !Array.isArray(value)
  );
}
