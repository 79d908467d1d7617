import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the server does with one request: answer it, or leave it hanging (a stalled server). */
export type Responder = (request: RecordedRequest, response: ServerResponse) => void;

export interface RecordingServer {
  endpoint: string;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order; when none is left, `fallback` answers. */
  queue: Responder[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that keeps every request it gets, body included. */
export async function startRecordingServer(fallback: Responder = (_request, response) => response.writeHead(200).end()): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const queue: Responder[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      (queue.shift() ?? fallback)(recorded, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    queue,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export function xmlAnswer(status: number, xml: string, headers: Record<string, string> = {}): Responder {
  return (_request, response) => response.writeHead(status, { 'content-type': 'application/xml', ...headers }).end(xml);
}

export function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>req-1</RequestId></Error>`;
}
