// A TCP relay in front of the app so a test can cut every open connection (a dropped SSE
// stream, as a flaky network would) and refuse new ones for a while.
import net from "node:net";
import type { AddressInfo } from "node:net";

export async function startTcpProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let isPaused = false;
  const server = net.createServer((client) => {
    if (isPaused) return client.destroy();
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Cuts every open connection and refuses new ones until resume(). */
    dropAndPause() {
      isPaused = true;
      for (const socket of sockets) socket.destroy();
    },
    resume() {
      isPaused = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
