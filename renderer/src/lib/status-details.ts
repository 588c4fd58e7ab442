/** An AWS IoT job execution's statusDetails in words: a simulated failure's `reason` as plain text, other keys as "key: value". */
export function statusDetailsText(details: Record<string, string>): string {
  const { reason, ...others } = details;
  return [reason, ...Object.entries(others).map(([key, value]) => `${key}: ${value}`)].filter((part) => part !== undefined && part !== '').join(' · ');
}
