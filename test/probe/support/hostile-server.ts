import { createServer } from "node:http";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Test-only: a loopback HTTP server that answers every request with whatever the test says, to
 * play a misbehaving endpoint (a captive portal, a proxy page, a server that lies with a 200).
 */

/** One canned answer. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A running server: its base URL, the requests it saw ("METHOD /path?query"), and a stop. */
export interface HostileServer {
  url: string;
  requests: string[];
  stop: () => Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 and a free port.
 * @param answer - picks the answer for each request
 * @returns the running server
 */
export async function startHostileServer(
  answer: (request: IncomingMessage) => Answer,
): Promise<HostileServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? "?"} ${request.url ?? ""}`);
    request.resume();
    request.on("end", () => {
      const { status, headers = {}, body = "" } = answer(request);
      response.writeHead(status, { "content-length": Buffer.byteLength(body), ...headers });
      response.end(request.method === "HEAD" ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
