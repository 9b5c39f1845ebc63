import type { ApiAnswer, DurableClientApi } from './DurableClientApi';

/** The extension's name in its webhook path and system key (`durabletask_extension`). */
export const DURABLE_EXTENSION = 'durabletask';

/** Operations the extension has that the local runtime does not run. */
const NOT_RUN = new Set(['rewind', 'suspend', 'resume', 'restart']);

const flag = (query: URLSearchParams, name: string, otherwise: boolean): boolean => {
  const value = query.get(name);
  return value === null ? otherwise : value.toLowerCase() === 'true';
};

const date = (value: string | null): Date | undefined => (value === null || Number.isNaN(Date.parse(value)) ? undefined : new Date(value));

/**
 * Routes one request of the Durable extension's HTTP API (`path` after `/durabletask/` or
 * `/runtime/webhooks/durabletask/`) to the client API, as the extension's HTTP handler does.
 */
export async function answerDurableRequest(
  api: DurableClientApi,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string,
): Promise<ApiAnswer> {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const [collection, id, operation, eventName] = segments;
  if (collection === 'orchestrators' && method === 'POST' && id !== undefined && segments.length <= 3)
    return await api.start(id, operation, body);
  if (collection !== 'instances') return { status: 404 };
  if (id === undefined) {
    if (method !== 'GET') return { status: 405 };
    const statuses = query
      .get('runtimeStatus')
      ?.split(',')
      .filter((s) => s !== '');
    const from = date(query.get('createdTimeFrom'));
    const to = date(query.get('createdTimeTo'));
    return await api.list({
      ...(from === undefined ? {} : { createdFrom: from }),
      ...(to === undefined ? {} : { createdTo: to }),
      ...(statuses === undefined ? {} : { statuses }),
      showInput: flag(query, 'showInput', false),
    });
  }
  if (operation === undefined) {
    if (method === 'GET')
      return await api.status(id, {
        showInput: flag(query, 'showInput', true),
        showHistory: flag(query, 'showHistory', false),
        showHistoryOutput: flag(query, 'showHistoryOutput', false),
      });
    if (method === 'DELETE') return await api.purge(id);
    return { status: 405 };
  }
  if (method !== 'POST') return { status: 405 };
  if (operation === 'raiseEvent' && eventName !== undefined && segments.length === 4) return await api.raiseEvent(id, eventName, body);
  if (operation === 'terminate' && segments.length === 3) return await api.terminate(id, query.get('reason') ?? '');
  if (NOT_RUN.has(operation)) return { status: 501, body: { Message: `the local runtime does not ${operation} orchestrations` } };
  return { status: 404 };
}

/**
 * What the Durable extension binds to a `durableClient` input: where its HTTP API is (the public
 * webhook with its system key, and the RPC endpoint the library calls) and the task hub.
 */
export function durableClientBindingData(hostUrl: string, rpcBaseUrl: string, hubName: string, systemKey: string) {
  const base = `${hostUrl}/runtime/webhooks/${DURABLE_EXTENSION}`;
  const code = `code=${encodeURIComponent(systemKey)}`;
  const query = `taskHub=${hubName}&connection=Storage&${code}`;
  const instance = `${base}/instances/INSTANCEID`;
  return {
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: code,
    rpcBaseUrl,
    httpBaseUrl: '',
  };
}

/** The management URLs of one instance, as the extension's HttpManagementPayload gives them. */
export function managementUrlsOf(binding: ReturnType<typeof durableClientBindingData>) {
  return (instanceId: string): Record<string, string> => {
    const urls: Record<string, string> = { id: instanceId };
    for (const [name, template] of Object.entries(binding.managementUrls)) {
      if (name === 'id') continue;
      urls[name] = template.replace('INSTANCEID', encodeURIComponent(instanceId));
    }
    return urls;
  };
}
