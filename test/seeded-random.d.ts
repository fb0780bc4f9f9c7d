/** See seeded-random.js: a seeded PRNG returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number;
