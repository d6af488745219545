// The setup command's only way out. Setup runs without a network of its own (bwrap
// --unshare-net); this HTTP proxy, run by the app on a Unix socket bound into the sandbox,
// forwards CONNECT tunnels and plain HTTP requests to allowlisted hosts only (the package
// registries by default). Every destination is resolved here and the resolved address is
// checked and then dialled itself, so a name that resolves to loopback, a private or
// link-local range (cloud metadata included) or CGNAT is refused, and a second resolution
// cannot swap the address (no DNS rebinding). The same design as Anthropic's sandbox-runtime.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";

export type ResolvedAddress = { address: string; family: number };

export type EgressPolicy = {
  /** Exact host names, or "*.example.com" for its subdomains. */
  allowedHosts: string[];
  /** Destination ports; default 443 and 80. */
  allowedPorts?: number[];
  /** Test seam: resolves names instead of DNS, so tests never touch the internet. */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
  /**
   * Test seam: addresses exempt from the private-range rule, so a positive test can reach a
   * local TLS-less server. Never set from configuration.
   */
  testOnlyTrustedAddresses?: string[];
};

export type EgressProxy = {
  /** Destinations refused so far, e.g. "127.0.0.1:5432 (not an allowed host)". */
  refusals: string[];
  close: () => Promise<void>;
};

const connectTimeoutMs = 15_000;

/** Loopback, private, link-local, CGNAT, unspecified, documentation, multicast and reserved ranges. */
const blockedRanges = (() => {
  const list = new net.BlockList();
  for (const [prefix, bits] of [
    ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
    ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
    ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
  ] as const) list.addSubnet(prefix, bits, "ipv4");
  for (const [prefix, bits] of [
    ["::", 128], ["::1", 128], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32],
    ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
  ] as const) list.addSubnet(prefix, bits, "ipv6");
  return list;
})();

/** Whether the proxy may dial this address: public unicast only. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? mappedHexToIpv4(address);
  if (mapped) return !blockedRanges.check(mapped, "ipv4");
  if (net.isIPv4(address)) return !blockedRanges.check(address, "ipv4");
  if (net.isIPv6(address)) return !blockedRanges.check(address, "ipv6");
  return false;
}

function isAllowedHost(host: string, allowedHosts: string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return allowedHosts.some((allowed) => (allowed.startsWith("*.") ? name.endsWith(allowed.slice(1)) && name.length > allowed.length - 1 : name === allowed));
}

export async function startEgressProxy(policy: EgressPolicy, socketPath: string): Promise<EgressProxy> {
  const refusals: string[] = [];
  const lookup = policy.lookup ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  const allowedPorts = policy.allowedPorts ?? [443, 80];
  const trusted = new Set(policy.testOnlyTrustedAddresses ?? []);

  /** The address to dial, or the reason it is refused. */
  const decide = async (host: string, port: number): Promise<{ address: string } | { refused: string }> => {
    const bare = host.replace(/^\[|\]$/g, "");
    if (!Number.isInteger(port) || !allowedPorts.includes(port)) return { refused: `port ${port} is not allowed (allowed: ${allowedPorts.join(", ")})` };
    if (!isAllowedHost(bare, policy.allowedHosts)) return { refused: "not an allowed host (FACTORY_SETUP_ALLOWED_HOSTS)" };
    let addresses: ResolvedAddress[];
    try {
      addresses = net.isIP(bare) ? [{ address: bare, family: net.isIP(bare) }] : await lookup(bare);
    } catch (error) {
      return { refused: `cannot resolve: ${(error as Error).message}` };
    }
    const usable = addresses.find(({ address }) => trusted.has(address) || isPublicAddress(address));
    if (!usable) return { refused: `resolves only to non-public addresses (${addresses.map((a) => a.address).join(", ") || "none"})` };
    return { address: usable.address };
  };
  const refuse = (destination: string, reason: string) => {
    const line = `${destination} (${reason})`;
    if (refusals.length < 100) refusals.push(line);
    return `Refused by the factory's egress proxy: ${line}. The setup command may reach only the package registries.\n`;
  };

  const server = http.createServer(async (request, response) => {
    // Plain HTTP through a proxy: the request line carries an absolute URL.
    let target: URL;
    try {
      target = new URL(request.url ?? "");
      if (target.protocol !== "http:") throw new Error("not http");
    } catch {
      response.writeHead(400, { "content-type": "text/plain" }).end("The egress proxy takes absolute http:// URLs or CONNECT.\n");
      return;
    }
    const port = Number(target.port || 80);
    const decision = await decide(target.hostname, port);
    if ("refused" in decision) {
      response.writeHead(403, { "content-type": "text/plain" }).end(refuse(`${target.hostname}:${port}`, decision.refused));
      return;
    }
    const headers = { ...request.headers };
    delete headers["proxy-connection"];
    delete headers["proxy-authorization"];
    // RFC 9112 §3.2.2: a proxy replaces Host with the authority of the absolute request target.
    headers.host = target.host;
    const upstream = http.request(
      { host: decision.address, port, method: request.method, path: `${target.pathname}${target.search}`, headers, setHost: false, timeout: connectTimeoutMs },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on("timeout", () => upstream.destroy(new Error("timed out")));
    upstream.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`The egress proxy could not reach ${target.host}: ${error.message}\n`);
    });
    request.pipe(upstream);
  });

  // Tunnels are detached from the HTTP server, so close() must end them itself.
  const tunnels = new Set<Duplex>();
  server.on("connect", async (request: http.IncomingMessage, client: Duplex, head: Buffer) => {
    client.on("error", () => {});
    tunnels.add(client);
    client.on("close", () => tunnels.delete(client));
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(request.url ?? "");
    if (!match) {
      client.end("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nCONNECT needs host:port.\n");
      return;
    }
    const [, host, portText] = match;
    const decision = await decide(host, Number(portText));
    if ("refused" in decision) {
      const body = refuse(`${host}:${portText}`, decision.refused);
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    const upstream = net.connect({ host: decision.address, port: Number(portText), timeout: connectTimeoutMs });
    upstream.once("connect", () => {
      upstream.setTimeout(0);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("timeout", () => upstream.destroy(new Error("timed out")));
    upstream.on("error", (error) => {
      if (!client.writableEnded) client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\n${error.message}\n`);
    });
    client.on("close", () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const tunnel of tunnels) tunnel.destroy();
        server.close(() => resolve());
      }),
  };
}

/** "::ffff:7f00:1" -> "127.0.0.1" */
function mappedHexToIpv4(address: string): string | undefined {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!match) return undefined;
  const high = Number.parseInt(match[1], 16);
  const low = Number.parseInt(match[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/**
 * Runs inside the sandbox (its own network namespace, loopback only): listens on a loopback
 * port, pipes each connection to the proxy's Unix socket, and runs the setup command with the
 * proxy variables pointing at it. Plain CommonJS for the sandbox's `node`.
 */
export const egressBridgeSource = `
const net = require("node:net");
const os = require("node:os");
const { spawn } = require("node:child_process");
const [socketPath, port, ...command] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on("error", close);
  upstream.on("error", close);
  client.pipe(upstream).pipe(client);
});
server.listen(Number(port), "127.0.0.1", () => {
  const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
  child.on("error", (error) => { console.error("sandbox: " + error.message); process.exit(127); });
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] || 0)));
});
`;
