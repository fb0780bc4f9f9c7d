import type * as z from './zod';
import type { FieldIssue } from './errors';

// Apart from ./envelope, which builds the envelope schema at import: a function that only reports
// zod issues (the notification worker) then bundles neither that schema nor the ids it uses.

/** Turns zod issues into field issues with dotted paths, optionally under a prefix. */
export function zodIssues(error: z.core.$ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || '(root)',
    message: issue.message,
  }));
}
