import { readFileSync } from 'node:fs';
import { z } from 'zod';

const hostJsonSchema = z.object({
  version: z.literal('2.0'),
  extensions: z
    .object({
      serviceBus: z
        .object({
          maxConcurrentCalls: z.number().int().positive().default(16),
          maxConcurrentSessions: z.number().int().positive().default(8),
        })
        .prefault({}),
      http: z.object({ routePrefix: z.string().default('api') }).prefault({}),
    })
    .prefault({}),
});

export type HostConfig = z.infer<typeof hostJsonSchema>;

/** Reads the settings of host.json that the local runtime honours, as the Functions host would. */
export function readHostConfig(path: string): HostConfig {
  const parsed = hostJsonSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
