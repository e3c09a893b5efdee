import { afterEach } from 'vitest';

/**
 * Registers an afterEach that runs the cleanups pushed during the test, last first. One that
 * throws does not skip the rest: a skipped `engine.stop()` would leave a serve and its servers behind.
 */
export function cleanupAfterEach(): (cleanup: () => unknown) => void {
  const list: (() => unknown)[] = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const cleanup of list.splice(0).reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch((err: unknown) => errors.push(err));
    }
    if (errors.length > 0) throw errors[0];
  });
  return (cleanup) => void list.push(cleanup);
}
