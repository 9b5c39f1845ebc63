/**
 * Makes a table or container (`create`, which succeeds when it exists already) before first use:
 * once it has succeeded it is never asked again; a failure is thrown to the caller who waited for
 * it and tried again by the next one, so that a storage hiccup at start does not break an adapter
 * until a restart, and no failure goes unobserved.
 */
export function createdOnce(create: () => Promise<unknown>): () => Promise<void> {
  let created: Promise<void> | undefined;
  return async () => {
    created ??= create().then(
      () => undefined,
      (error: unknown) => {
        created = undefined;
        throw error;
      },
    );
    await created;
  };
}
