/**
 * How the page names things: short names for physical names, the store's stream id for an account, kept free of Preact so unit tests
 * (and the Node type-check) can import them.
 */

/** The short name of a physical resource name: what follows the stack prefix, hash kept out. */
export function shortName(name: string): string {
  const tail = name.replace(/^.*?-(stateful|stateless)-/, '').replace(/\.fifo$/, '');
  return tail.replace(/[0-9A-F]{8}$/, '') || name;
}

/** The event store's stream id for what was typed: a bare account id is the stream `account#<id>`, anything with a `#` is taken as it is. */
export function storeStreamId(typed: string): string {
  const id = typed.trim();
  return id && !id.includes('#') ? `account#${id}` : id;
}
