/**
 * Reads a Server-Sent Events stream over HTTP (the console's `live` route) the way a browser's
 * EventSource does: `event:` and `data:` lines, a blank line ends a message.
 */

export interface SseMessage {
  readonly event: string;
  readonly data: any;
}

export interface SseStream {
  readonly status: number;
  readonly contentType: string | null;
  /** Resolves with the first message that `matches` (messages before it are dropped); rejects when the stream ends first. */
  next(matches: (message: SseMessage) => boolean): Promise<SseMessage>;
  close(): void;
}

/** Opens the stream at `url`; `close()` aborts it (the server sees the client leave). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const aborter = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: aborter.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const readMessage = async (): Promise<SseMessage | undefined> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
        const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice('data: '.length));
        if (event) return { event, data: JSON.parse(data.join('\n')) };
        continue;
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    async next(matches) {
      for (;;) {
        const message = await readMessage();
        if (!message) throw new Error(`the event stream at ${url} ended before the message the test waits for`);
        if (matches(message)) return message;
      }
    },
    close: () => aborter.abort(),
  };
}
