/**
 * mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same sequence. Shared by the
 * random test-file order (random-sequencer.js) and the HTTP fuzz suite, so each run is reproducible
 * from the seed it prints. CommonJS, because jest loads the sequencer without a transform.
 *
 * @param {number} seed
 * @returns {() => number} a function returning numbers in [0, 1)
 */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { seededRandom };
