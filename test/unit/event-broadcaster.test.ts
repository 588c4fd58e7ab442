import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBroadcaster, type TopicState } from '../../electron/api/control/event-broadcaster.js';

/** The part of a ServerResponse the broadcaster uses; `writableLength` is what the socket has not taken yet. */
class FakeStream extends EventEmitter {
  frames: string[] = [];
  writableLength = 0;
  destroyed = false;
  write(frame: string): boolean {
    this.frames.push(frame);
    return true;
  }
  end(): void {
    this.emit('close');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

const asResponse = (stream: FakeStream) => stream as unknown as ServerResponse;

describe('EventBroadcaster', () => {
  let broadcaster: EventBroadcaster | undefined;
  afterEach(() => broadcaster?.close());

  function start(state: () => TopicState, maxBufferedBytes = 1024) {
    const calls = { source: 0, frames: 0 };
    broadcaster = new EventBroadcaster(
      () => {
        calls.source++;
        const { fingerprint, frame } = state();
        return { fingerprint, frame: () => (calls.frames++, frame()) };
      },
      { intervalMs: 5, keepaliveMs: 60_000, maxBufferedBytes, onError: (error) => expect.fail(String(error)) },
    );
    return { broadcaster, calls };
  }

  it('renders each change once, however many streams follow it, and sends every stream that same frame', async () => {
    let version = 1;
    const { broadcaster, calls } = start(() => ({ fingerprint: String(version), frame: () => `data: ${version}\n\n` }));
    const streams = Array.from({ length: 1000 }, () => new FakeStream());
    for (const stream of streams) broadcaster.subscribe(asResponse(stream), ['jobs']);
    await expect.poll(() => streams.every((stream) => stream.frames.length === 1), { message: 'every stream has the first frame' }).toBe(true);
    version = 2;
    await expect.poll(() => streams.every((stream) => stream.frames.length === 2), { message: 'every stream has the second frame' }).toBe(true);

    expect(calls.frames).toBe(2);
    expect(new Set(streams.map((stream) => stream.frames.join('|')))).toEqual(new Set(['data: 1\n\n|data: 2\n\n']));
    const looked = calls.source;
    await expect.poll(() => calls.source >= looked + 3, { message: 'a few more ticks' }).toBe(true);
    expect(calls.frames).toBe(2);
  });

  it('drops a stream whose socket does not drain instead of buffering for it', async () => {
    let version = 1;
    const { broadcaster } = start(() => ({ fingerprint: String(version), frame: () => `data: ${version}\n\n` }));
    const [slow, healthy] = [new FakeStream(), new FakeStream()];
    broadcaster.subscribe(asResponse(slow), ['jobs']);
    broadcaster.subscribe(asResponse(healthy), ['jobs']);
    await expect.poll(() => healthy.frames.length === 1, { message: 'the first frame' }).toBe(true);
    slow.writableLength = 10_000;
    version = 2;
    await expect.poll(() => healthy.frames.length === 2, { message: 'the second frame' }).toBe(true);
    expect(slow.destroyed).toBe(true);
    expect(slow.frames).toHaveLength(1);
    expect(broadcaster.size).toBe(1);
  });

  it('gives a stream that joins later the last frame of its topics at once', async () => {
    const { broadcaster, calls } = start(() => ({ fingerprint: 'same', frame: () => 'data: same\n\n' }));
    const first = new FakeStream();
    broadcaster.subscribe(asResponse(first), ['jobs']);
    await expect.poll(() => first.frames.length === 1, { message: 'the first stream has its frame' }).toBe(true);
    const late = new FakeStream();
    broadcaster.subscribe(asResponse(late), ['jobs']);
    expect(late.frames).toEqual(['data: same\n\n']);
    expect(calls.frames).toBe(1);
  });
});
