/** One Server-Sent Event: its `event:` name and its parsed `data:`. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events stream as a client would, one parsed event at a time; `seen` keeps every event read. */
export function eventReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: StreamEvent[] = [];
  let buffer = '';
  return {
    seen,
    // Callers read the data as the event's schema says; `any` spares each a cast.
    async next(name: string, accept: (data: any) => boolean = () => true): Promise<any> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const text = /^data: (.*)$/m.exec(block)?.[1];
          if (event === undefined || text === undefined) continue;
          const data: unknown = JSON.parse(text);
          seen.push({ event, data });
          if (event === name && accept(data)) return data;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before a "${name}" event`);
        buffer += value;
      }
    },
    cancel: () => reader.cancel(),
  };
}
