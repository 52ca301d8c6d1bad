import type { S3Client } from "@aws-sdk/client-s3";
import { mediaType } from "../edge.js";

/**
 * Refuses answers that are not S3's: a captive portal or proxy page answering 200 `text/html`, a
 * list without a ListBucketResult, a PutObject without the ETag S3 always returns. The SDK would
 * read such a body as an empty result (a false "prefix is empty"), so the check runs on the raw
 * response, before the SDK's deserializer, and throws an error of its own shape instead.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html (ListBucketResult)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (ETag)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (errors are XML)
 */

/** The `name` (and code) of the error thrown for an answer that is not S3's. */
export const NOT_S3_ANSWER = "NimbleNotS3Answer";

/** Name of the middleware that checks answers. */
export const ANSWER_MIDDLEWARE = "nimbleAnswerCheck";

/** The root element each operation's 2xx body must have. */
const ROOT_ELEMENT: Readonly<Record<string, string>> = {
  ListObjectsV2Command: "ListBucketResult",
  GetBucketLocationCommand: "LocationConstraint",
};

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

const checked = new WeakSet<S3Client>();

/** The handler below a deserialize-step middleware: the raw response, no output yet. */
type Next = (args: unknown) => Promise<{ response: unknown; output?: unknown }>;
type Middleware = Parameters<S3Client["middlewareStack"]["addRelativeTo"]>[0];

/**
 * Installs, once per client, a middleware just inside the SDK's deserializer that throws
 * {@link NOT_S3_ANSWER} (with `$metadata.httpStatusCode`) when an answer is not S3's.
 * @param client - the probe's client
 * @returns the same client
 */
export function checkS3Answers(client: S3Client): S3Client {
  if (checked.has(client)) return client;

  const middleware = (next: Next, context: { commandName?: string }) => async (args: unknown) => {
    const result = await next(args);
    const response = result.response as RawResponse;
    const problem = await answerProblem(context.commandName ?? "", response);
    if (problem) throw notS3(problem, response.statusCode);
    return result;
  };
  client.middlewareStack.addRelativeTo(middleware as unknown as Middleware, {
    relation: "after",
    toMiddleware: "deserializerMiddleware",
    name: ANSWER_MIDDLEWARE,
  });
  checked.add(client);
  return client;
}

/**
 * What is wrong with a raw answer, or undefined when it may be S3's.
 * @param command - the SDK command name, e.g. ListObjectsV2Command
 * @param response - the raw HTTP response (its body is buffered and put back when read)
 * @returns "got text/html", "no ETag", … or undefined
 */
export async function answerProblem(
  command: string,
  response: RawResponse,
): Promise<string | undefined> {
  const type = mediaType(response.headers?.["content-type"]);
  const isSuccess = (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;
  // A HeadObject success carries the object's own Content-Type, which may be HTML.
  const isObjectType = command === "HeadObjectCommand" && isSuccess;
  if (/html/i.test(type ?? "") && !isObjectType) return `got ${type ?? ""}`;
  if (!isSuccess) return undefined;

  if (command === "PutObjectCommand" && !response.headers?.etag) return "no ETag in the answer";
  const root = ROOT_ELEMENT[command];
  return root === undefined ? undefined : bodyProblem(root, type, response);
}

async function bodyProblem(
  root: string,
  type: string | undefined,
  response: RawResponse,
): Promise<string | undefined> {
  // Ceph RGW sends GetBucketLocation with no Content-Type at all: the body decides then.
  if (type !== undefined && !/xml/i.test(type)) return `got ${type}`;

  const body = await buffered(response.body);
  response.body = body;
  const found = rootElement(new TextDecoder().decode(body));
  return found === root ? undefined : `got ${type ?? "a body"} without a ${root} element`;
}

/** The first element's local name, after the XML declaration, comments and whitespace. */
function rootElement(text: string): string | undefined {
  const rest = text.replace(/^\uFEFF?(\s|<\?[^>]*\?>|<!--[\s\S]*?-->)*/, "");
  return /^<(?:[\w.-]+:)?([\w.-]+)[\s/>]/.exec(rest)?.[1];
}

async function buffered(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body !== "object" || body === null || !(Symbol.asyncIterator in body)) {
    return new Uint8Array(0);
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function notS3(problem: string, httpStatus: number | undefined): Error {
  return Object.assign(new Error(problem), {
    name: NOT_S3_ANSWER,
    Code: NOT_S3_ANSWER,
    $fault: "client",
    $metadata: { httpStatusCode: httpStatus, attempts: 1 },
  });
}
