import { createHmac } from 'node:crypto';

/**
 * A Service Bus shared access signature for `resourceUri`, valid for `validForSeconds`: HMAC-SHA256
 * of the URL-encoded resource and the expiry, as Service Bus defines it.
 */
export function sharedAccessSignature(resourceUri: string, keyName: string, key: string, now: Date, validForSeconds = 3600): string {
  const encoded = encodeURIComponent(resourceUri.toLowerCase());
  const expiry = Math.floor(now.getTime() / 1000) + validForSeconds;
  const signature = createHmac('sha256', key).update(`${encoded}\n${expiry}`).digest('base64');
  return `SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=${encodeURIComponent(keyName)}`;
}
