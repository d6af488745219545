// A raw HTTP/1.1 client for upload limits: it writes a body chunk by chunk and stops the moment
// the server answers, so a test sees how much the server let in before refusing, and whether it
// closed the connection rather than reading (and discarding) the rest.
import net from "node:net";

export type RawUploadResult = {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Body bytes this client had written when the answer arrived (or the socket ended). */
  bodyBytesSent: number;
  /** True when the server ended the connection after answering. */
  isClosedByServer: boolean;
  /**
   * The server reset the connection. A server that stops reading and closes while body bytes
   * are still arriving makes the kernel send RST, which can discard its answer before this
   * client reads it: a race of TCP, not of the app.
   */
  isReset: boolean;
};

export async function uploadUntilAnswered(options: {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** Declared Content-Length; without it the body is sent chunked. */
  declaredLength?: number;
  /** Stop offering more body after this many bytes (the server should have answered long before). */
  maxBodyBytes: number;
  chunkBytes?: number;
}): Promise<RawUploadResult> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, "a");
  const socket = net.connect(options.port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const isChunked = options.declaredLength === undefined;
  const head = [
    `POST ${options.path} HTTP/1.1`,
    `Host: 127.0.0.1:${options.port}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
    isChunked ? "Transfer-Encoding: chunked" : `Content-Length: ${options.declaredLength}`,
    "",
    "",
  ].join("\r\n");

  let received = Buffer.alloc(0);
  let isAnswered = false;
  let bodyBytesSent = 0;
  let sentWhenAnswered = 0;
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  let isReset = false;
  // EPIPE / ECONNRESET once the server closes: expected.
  socket.on("error", (error: NodeJS.ErrnoException) => {
    // A reset shows as ECONNRESET on read, or as EPIPE when it lands while this client writes.
    if (error.code === "ECONNRESET" || error.code === "EPIPE") isReset = true;
  });
  socket.on("data", (data: Buffer) => {
    received = Buffer.concat([received, data]);
    if (!isAnswered && received.includes("\r\n\r\n")) {
      isAnswered = true;
      sentWhenAnswered = bodyBytesSent;
    }
  });

  socket.write(head);
  while (!isAnswered && !socket.destroyed && bodyBytesSent < options.maxBodyBytes) {
    const frame = isChunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk;
    const canContinue = socket.write(frame);
    bodyBytesSent += chunk.length;
    if (!canContinue) {
      // Wait for the kernel buffer to drain, for an answer, or for the server to hang up.
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off("drain", done);
          socket.off("data", done);
          socket.off("close", done);
          resolve();
        };
        socket.once("drain", done).once("data", done).once("close", done);
      });
    }
  }
  if (!isAnswered) {
    // Offered everything (or the server hung up): finish the body and wait for the answer.
    if (!socket.destroyed && isChunked) socket.write("0\r\n\r\n");
    await Promise.race([closed, new Promise<void>((resolve) => socket.once("data", () => isAnswered && resolve()))]);
    sentWhenAnswered = bodyBytesSent;
  }
  // A server that reads the rest of the body keeps the connection open; one that refuses closes it.
  const isClosedByServer = await Promise.race([closed.then(() => true), waitForEnd(socket)]);
  socket.destroy();

  const text = received.toString("utf8");
  const [headText, ...bodyParts] = text.split("\r\n\r\n");
  const [statusLine, ...headerLines] = headText.split("\r\n");
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
  return { status: Number(statusLine.split(" ")[1]), headers, body: decodeChunked(bodyParts.join("\r\n\r\n"), headers), bodyBytesSent: sentWhenAnswered, isClosedByServer, isReset };
}

/** Resolves true on the server's FIN; false if the client stopped the wait first (never here). */
function waitForEnd(socket: net.Socket): Promise<boolean> {
  return new Promise((resolve) => socket.once("end", () => resolve(true)));
}

function decodeChunked(body: string, headers: Record<string, string>): string {
  if (headers["transfer-encoding"] !== "chunked") return body;
  let out = "";
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    if (lineEnd < 0) break;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) break;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
  return out;
}
