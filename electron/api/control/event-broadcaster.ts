import type { ServerResponse } from 'node:http';

/** What a topic looks like now: `fingerprint` is compared with the last one sent, `frame` renders only on a change. */
export interface TopicState {
  fingerprint: string;
  frame: () => string | Promise<string>;
}

export type TopicSource = (topic: string) => TopicState | Promise<TopicState>;

export interface BroadcasterOptions {
  /** How often topics are looked at for changes, while any stream is open. */
  intervalMs: number;
  keepaliveMs: number;
  /** A subscriber with more than this unsent is dropped (its EventSource reconnects and gets the current state). */
  maxBufferedBytes: number;
  onError: (error: unknown) => void;
}

interface Subscriber {
  stream: ServerResponse;
  topics: readonly string[];
}

/** The SSE comment that keeps proxies and the browser from timing an idle stream out. */
const KEEPALIVE_FRAME = ': keepalive\n\n';

/**
 * Server-Sent Events for many streams at the cost of one: each tick looks at every topic some stream follows once,
 * renders a frame only when the topic changed, and writes that same frame to every stream that follows it. A new
 * stream gets the last frame of each of its topics at once.
 */
export class EventBroadcaster {
  private readonly subscribers = new Set<Subscriber>();
  private readonly lastSent = new Map<string, { fingerprint: string; frame: string }>();
  private timer: NodeJS.Timeout | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly source: TopicSource,
    private readonly options: BroadcasterOptions,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(stream: ServerResponse, topics: readonly string[]): void {
    const subscriber = { stream, topics };
    this.subscribers.add(subscriber);
    stream.on('close', () => this.remove(subscriber));
    for (const topic of topics) {
      const last = this.lastSent.get(topic);
      if (last) this.send(subscriber, last.frame);
    }
    this.timer ??= setInterval(() => this.update(), this.options.intervalMs);
    this.keepalive ??= setInterval(() => this.broadcast(() => true, KEEPALIVE_FRAME), this.options.keepaliveMs);
    if (topics.some((topic) => !this.lastSent.has(topic))) this.update();
  }

  /** Ends every stream, so that they do not keep the server from closing. */
  close(): void {
    for (const { stream } of this.subscribers) stream.end();
    this.subscribers.clear();
    this.stop();
  }

  private update(): void {
    if (this.busy) return;
    this.busy = true;
    this.tick()
      .catch(this.options.onError)
      .finally(() => (this.busy = false));
  }

  private async tick(): Promise<void> {
    for (const topic of new Set([...this.subscribers].flatMap((subscriber) => subscriber.topics))) {
      const state = await this.source(topic);
      if (this.lastSent.get(topic)?.fingerprint === state.fingerprint) continue;
      const frame = await state.frame();
      this.lastSent.set(topic, { fingerprint: state.fingerprint, frame });
      this.broadcast((subscriber) => subscriber.topics.includes(topic), frame);
    }
  }

  private broadcast(to: (subscriber: Subscriber) => boolean, frame: string): void {
    for (const subscriber of this.subscribers) if (to(subscriber)) this.send(subscriber, frame);
  }

  // A stream that does not drain is dropped rather than buffered without bound.
  private send(subscriber: Subscriber, frame: string): void {
    if (subscriber.stream.writableLength > this.options.maxBufferedBytes) {
      subscriber.stream.destroy();
      this.remove(subscriber);
      return;
    }
    subscriber.stream.write(frame);
  }

  private remove(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    const followed = new Set([...this.subscribers].flatMap((other) => other.topics));
    for (const topic of subscriber.topics) if (!followed.has(topic)) this.lastSent.delete(topic);
    if (this.subscribers.size === 0) this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    clearInterval(this.keepalive);
    this.timer = undefined;
    this.keepalive = undefined;
  }
}
