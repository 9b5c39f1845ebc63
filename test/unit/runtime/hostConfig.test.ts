import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readHostConfig } from '../../../local/runtime/hostConfig';

const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-hostjson-'));
const hostJson = (content: unknown): string => {
  const file = path.join(dir, `host-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

describe('host.json as the local runtime reads it', () => {
  it("reads the project's host.json: the settings it honours, with the host's defaults", () => {
    expect(readHostConfig(path.join(__dirname, '..', '..', '..', 'host.json'))).toMatchObject({
      functionTimeout: 300_000,
      extensions: {
        serviceBus: { maxConcurrentSessions: 8, maxConcurrentCalls: 16, maxAutoLockRenewalDuration: 300_000, autoCompleteMessages: true },
        http: { routePrefix: 'api' },
      },
    });
  });

  it('refuses what it cannot honour, naming the setting, rather than ignoring it', () => {
    expect(() => readHostConfig(hostJson({ version: '2.0', extensions: { serviceBus: { autoCompleteMessages: false } } }))).toThrow(
      /extensions\.serviceBus\.autoCompleteMessages: .*must be true/,
    );
    expect(() => readHostConfig(hostJson({ version: '2.0', retry: { strategy: 'fixedDelay', maxRetryCount: 3 } }))).toThrow(
      /retry: host-wide retry policies are not run/,
    );
    expect(() => readHostConfig(hostJson({ version: '2.0', functionTimeout: '5 minutes' }))).toThrow(/functionTimeout: must be hh:mm:ss/);
  });
});
