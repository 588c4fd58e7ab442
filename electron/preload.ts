// A sandboxed preload can require only 'electron' and a few polyfills, so it cannot import window.ts: the argument
// name below must match BRIDGE_ARGUMENT there (test/unit/window.test.ts checks that the two agree).
import { contextBridge } from 'electron';

const BRIDGE_ARGUMENT = '--fleetlab-bridge=';

const argument = process.argv.find((value) => value.startsWith(BRIDGE_ARGUMENT));
if (argument !== undefined) {
  const { apiOrigin } = JSON.parse(decodeURIComponent(argument.slice(BRIDGE_ARGUMENT.length))) as { apiOrigin: string };
  contextBridge.exposeInMainWorld('fleetlab', Object.freeze({ apiOrigin }));
}
