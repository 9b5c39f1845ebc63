import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, readBody } from '../runtime/readBody';
import { closeServer, listen } from '../support/httpServer';

export interface JsonRequest {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: ServerResponse;
}

export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** undefined: the handler answered on `raw` itself (or never will). */
type Handler = (request: JsonRequest) => Promise<JsonReply | undefined> | JsonReply | undefined;

/** A small JSON-over-HTTP server for the sandboxes: routes by method and path pattern. */
export class JsonServer {
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  private server: Server | undefined;

  on(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  async listen(port: number, host: string): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await listen(this.server, port, host);
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    // The sandbox ERP holds unanswered creates open: drop them too.
    await closeServer(this.server, true);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    let reply: JsonReply | undefined;
    try {
      const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
      if (route === undefined) {
        reply = { status: 404, body: { error: `no route ${method} ${url.pathname}` } };
      } else {
        const text = (await readBody(req, 5 * 1024 * 1024)).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          reply = { status: 400, body: { error: 'body is not JSON' } };
        }
        if (reply === undefined) {
          const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
          reply = await route.handler({
            method,
            path: url.pathname,
            params,
            query: url.searchParams,
            headers: req.headers,
            body,
            raw: res,
          });
          if (reply === undefined) return;
        }
      }
    } catch (error) {
      reply =
        error instanceof BodyTooLargeError
          ? { status: 413, body: { error: error.message } }
          : { status: 500, body: { error: String(error) } };
    }
    if (res.headersSent || res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks the sandbox API key header; a reply to send when it is wrong. */
export function refuseWithoutKey(request: JsonRequest, apiKey: string): JsonReply | undefined {
  return request.headers['x-api-key'] === apiKey ? undefined : { status: 401, body: { error: 'missing or wrong x-api-key' } };
}
