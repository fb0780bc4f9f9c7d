/**
 * How the page names resources: short names for physical names, kept free of Preact so unit tests
 * (and the Node type-check) can import them.
 */

/** The short name of a physical resource name: what follows the stack prefix, hash kept out. */
export function shortName(name: string): string {
  const tail = name.replace(/^.*?-(stateful|stateless)-/, '').replace(/\.fifo$/, '');
  return tail.replace(/[0-9A-F]{8}$/, '') || name;
}
