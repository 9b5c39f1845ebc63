/** A Service Bus connection string's parts: `Endpoint=…;SharedAccessKeyName=…;SharedAccessKey=…`. */
export interface ServiceBusConnectionString {
  /** `sb://<namespace>/` for AMQP; `http(s)://…/` for the REST API (the local namespace speaks only REST). */
  endpoint: URL;
  keyName: string;
  key: string;
}

/** Parses a Service Bus connection string; throws naming what is missing or malformed. */
export function parseServiceBusConnectionString(text: string): ServiceBusConnectionString {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const endpoint = parts.get('endpoint');
  const keyName = parts.get('sharedaccesskeyname');
  const key = parts.get('sharedaccesskey');
  const missing = [
    endpoint === undefined ? 'Endpoint' : '',
    keyName === undefined ? 'SharedAccessKeyName' : '',
    key === undefined ? 'SharedAccessKey' : '',
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`a Service Bus connection string needs ${missing.join(', ')}`);
  let url: URL;
  try {
    url = new URL(endpoint ?? '');
  } catch {
    throw new Error(`Endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (!['sb:', 'http:', 'https:'].includes(url.protocol))
    throw new Error(`Endpoint must be sb://, https:// or http://, not ${url.protocol}//`);
  return { endpoint: url, keyName: keyName ?? '', key: key ?? '' };
}

/** Whether the connection is made over Service Bus's REST API (http/https) rather than AMQP (sb://). */
export function usesRestApi(connection: ServiceBusConnectionString): boolean {
  return connection.endpoint.protocol !== 'sb:';
}
