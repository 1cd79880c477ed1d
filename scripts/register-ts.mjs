// For a worker thread started from the TypeScript sources (under jest, whose transform workers do not
// get): compiles .ts with swc as it is imported and resolves `@brandshelf/<lib>` to libs/<lib>/src.
import { register } from 'node:module';

register('./resolve-ts.mjs', import.meta.url);
