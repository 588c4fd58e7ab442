/** The `?a=b&c=d` tail of a topic (IoT Hub and DPS put request parameters there), and the path before it. */
export function splitTopic(topic: string): { path: string; query: URLSearchParams } {
  const mark = topic.indexOf('?');
  return mark < 0 ? { path: topic, query: new URLSearchParams() } : { path: topic.slice(0, mark), query: new URLSearchParams(topic.slice(mark + 1)) };
}

/** MQTT topic filter matching: `+` one level, `#` the rest. */
export function filterMatches(filter: string, topic: string): boolean {
  const want = filter.split('/');
  const have = topic.split('/');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '#') return true;
    if (i >= have.length || (want[i] !== '+' && want[i] !== have[i])) return false;
  }
  return want.length === have.length;
}

/** A JSON payload, or undefined when it is not JSON. */
export function jsonOf(payload: Buffer): unknown {
  try {
    return payload.length === 0 ? undefined : JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A percent-encoded name from a username, or undefined when its encoding is broken. */
export function decodeName(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
