/**
 * A callback-style handler `(event, context, callback)`: the nodejs24.x runtime refuses it.
 * Kept deliberately in the old style; nothing else in the project may look like this.
 */
export const handler = (_event: unknown, _context: unknown, callback: (error: Error | null, result?: unknown) => void): void => {
  callback(null, { style: 'callback' });
};
