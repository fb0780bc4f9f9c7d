/** The error a call throws; fails the test when it does not throw. */
export function captureError(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, it returned');
}
