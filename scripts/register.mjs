// Lets the compiled code import libs as `@brandshelf/<lib>`, the same specifiers tsc and jest resolve.
import { register } from 'node:module';

register('./resolve-libs.mjs', import.meta.url);
