import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A network namespace joined to this one by a veth pair: a peer on another address, as a second machine would be. */
export interface NamespacePeer {
  /** This side's address, for a host to bind to. */
  hostAddress: string;
  /** Runs a command inside the namespace. */
  exec(command: string, args: string[]): Promise<string>;
  remove(): Promise<void>;
}

/** The namespace, or why it cannot be made here (not root, no `ip`, no network namespaces in this container). */
export async function createNamespacePeer(): Promise<NamespacePeer | { refused: string }> {
  // Per-process names and subnet, so that concurrent test runs do not collide.
  const tag = process.pid % 10_000;
  const namespace = `fleetlab-${tag}`;
  const [outer, inner] = [`flv${tag}a`, `flv${tag}b`];
  const subnet = `10.231.${process.pid % 250}`;
  const steps = [
    ['netns', 'add', namespace],
    ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner],
    ['link', 'set', inner, 'netns', namespace],
    ['addr', 'add', `${subnet}.1/24`, 'dev', outer],
    ['link', 'set', outer, 'up'],
    ['netns', 'exec', namespace, 'ip', 'addr', 'add', `${subnet}.2/24`, 'dev', inner],
    ['netns', 'exec', namespace, 'ip', 'link', 'set', inner, 'up'],
  ];
  // Deleting the namespace deletes the inner end, and with it the pair.
  const remove = async () => {
    await run('ip', ['netns', 'del', namespace]).catch(() => undefined);
    await run('ip', ['link', 'del', outer]).catch(() => undefined);
  };
  try {
    for (const step of steps) await run('ip', step);
  } catch (error) {
    await remove();
    return { refused: (error as Error).message.split('\n')[0] ?? String(error) };
  }
  return {
    hostAddress: `${subnet}.1`,
    exec: async (command, args) => (await run('ip', ['netns', 'exec', namespace, command, ...args])).stdout,
    remove,
  };
}
