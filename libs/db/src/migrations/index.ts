import { Accounts1764000000000 } from './1764000000000-accounts.js';

/** In the order they run. Each lib owns its tables; the schema's history lives here, in one line. */
export const MIGRATIONS = [Accounts1764000000000];
