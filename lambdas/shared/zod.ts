import { en } from 'zod/locales';
import { config } from 'zod/mini';

// zod/mini registers no locale, so every issue without a custom message would read "Invalid input";
// English once here keeps the messages the classic API gave ("Too small: expected string to have >=1 characters").
config(en());

/**
 * zod's functional `zod/mini` API (about a sixth of the classic API's bundle) with English messages.
 *
 * Import it as `import * as z from '../shared/zod'`, never from `zod/mini` directly, so the locale
 * is always loaded; `export *` (not a re-exported namespace object) keeps it tree-shakeable.
 */
export * from 'zod/mini';
