// Lets code import libs as `@brandshelf/<lib>`, the same specifiers tsc and jest resolve. The build already
// rewrites them in dist/ (scripts/build.mjs), so compiled code no longer needs this: the app's processes
// start without it (no module-hooks thread), and the scripts that still pass it are unaffected.
import { register } from 'node:module';

register('./resolve-libs.mjs', import.meta.url);
