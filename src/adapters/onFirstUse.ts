/**
 * A value made on first use and kept: an SDK client whose package loads then, not at start, so
 * that the function app's entry stays quick to load (cold start). A failed attempt is forgotten,
 * and the next use tries again.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}

/** The same for a value made synchronously (an HTTP client whose library loads on first use). */
export function onFirstCall<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
