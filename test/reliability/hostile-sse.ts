/** Reads an SSE stream into one string until stopped (bounded by `maxBytes`, to keep a leak check cheap). */
export function collectStream(
  url: string,
  headers: Record<string, string>,
  maxBytes = 32 * 1024 * 1024,
): { text(): string; stop(): Promise<void> } {
  const abort = new AbortController();
  let text = '';
  const done = (async () => {
    const res = await fetch(url, { headers, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (text.length > maxBytes) break;
    }
  })().catch((err: Error) => {
    if (err.name !== 'AbortError') text += `\n[stream failed: ${err.message}]`;
  });
  return {
    text: () => text,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}
