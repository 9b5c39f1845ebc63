import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** A host.json time span, `hh:mm:ss`, in milliseconds. */
const timeSpan = z
  .string()
  .regex(/^\d{1,2}:\d{2}:\d{2}(\.\d+)?$/, 'must be hh:mm:ss')
  .transform((value) => {
    const [h, m, s] = value.split(':').map(Number) as [number, number, number];
    return ((h * 60 + m) * 60 + s) * 1000;
  });

/**
 * What the local runtime reads of host.json. Settings it honours are typed; settings that change
 * nothing here (logging, the extension bundle, prefetch, the session idle timeout) are let through;
 * settings it cannot honour are refused at start, rather than silently ignored.
 */
const hostJsonSchema = z.looseObject({
  version: z.literal('2.0'),
  /** The host fails an invocation that runs longer. @default 00:05:00 (Consumption) */
  functionTimeout: timeSpan.default(300_000),
  retry: z.undefined({ error: 'host-wide retry policies are not run by the local runtime: remove host.json retry' }).optional(),
  extensions: z
    .looseObject({
      serviceBus: z
        .looseObject({
          maxConcurrentCalls: z.number().int().positive().default(16),
          maxConcurrentSessions: z.number().int().positive().default(8),
          /** Locks are renewed this long at most; then they expire. @default 00:05:00 */
          maxAutoLockRenewalDuration: timeSpan.default(300_000),
          autoCompleteMessages: z
            .literal(true, { error: 'the local runtime settles messages itself only: autoCompleteMessages must be true' })
            .default(true),
        })
        .prefault({}),
      http: z.looseObject({ routePrefix: z.string().default('api') }).prefault({}),
      durableTask: z
        .looseObject({
          /** The task hub: its tables and queues are named after it. Azure's default is the app's name; Core Tools' TestHubName. */
          hubName: z
            .string()
            .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'must be 3 to 45 letters and digits, starting with a letter')
            .default('TestHubName'),
          maxConcurrentActivityFunctions: z
            .number()
            .int()
            .positive()
            .default(10 * availableParallelism()),
          maxConcurrentOrchestratorFunctions: z
            .number()
            .int()
            .positive()
            .default(10 * availableParallelism()),
          /** Which existing instances a start with the same id replaces. */
          overridableExistingInstanceStates: z.enum(['NonRunningStates', 'AnyState']).default('NonRunningStates'),
          storageProvider: z
            .looseObject({
              partitionCount: z.number().int().min(1).max(16).default(4),
              controlQueueVisibilityTimeout: timeSpan.default(300_000),
              workItemQueueVisibilityTimeout: timeSpan.default(300_000),
              maxQueuePollingInterval: timeSpan.default(30_000),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type HostConfig = z.infer<typeof hostJsonSchema>;
export type DurableTaskConfig = HostConfig['extensions']['durableTask'];

/** Reads host.json as the Functions host would; a setting the local runtime cannot honour stops it, naming the setting. */
export function readHostConfig(path: string): HostConfig {
  const parsed = hostJsonSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
