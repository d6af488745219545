// Keeps only the last `maxBytes` of a stream, so a chatty command can't blow up memory or
// the model's context; the end of the output is where errors usually are.

export type TailBuffer = {
  push(chunk: Buffer): void;
  /** The kept tail as UTF-8, and whether anything before it was dropped. */
  read(): { text: string; isTruncated: boolean };
};

export function createTailBuffer(maxBytes: number): TailBuffer {
  let chunks: Buffer[] = [];
  let keptBytes = 0;
  let totalBytes = 0;

  return {
    push(chunk) {
      chunks.push(chunk);
      keptBytes += chunk.length;
      totalBytes += chunk.length;
      // Compact only when we hold twice the cap, so pushing stays cheap.
      if (keptBytes > maxBytes * 2) {
        const joined = Buffer.concat(chunks);
        chunks = [joined.subarray(joined.length - maxBytes)];
        keptBytes = maxBytes;
      }
    },
    read() {
      const joined = Buffer.concat(chunks);
      const tail = joined.length > maxBytes ? joined.subarray(joined.length - maxBytes) : joined;
      // A cut can land inside a multi-byte character; drop the broken lead bytes.
      const text = tail.toString("utf8").replace(/^\uFFFD+/, "");
      return { text, isTruncated: totalBytes > maxBytes };
    },
  };
}
