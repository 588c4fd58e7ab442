/** What `npm start` knows at each step; later steps add facts. */
export interface LaunchFacts {
  platform: NodeJS.Platform;
  env: Partial<Record<'DISPLAY' | 'WAYLAND_DISPLAY', string>>;
  /** Why the Electron binary is missing, once it was looked for (and a download tried). */
  missingBinary?: string;
  /** Set when Electron exited before it printed WINDOW_READY_LINE; code and signal null: it could not be spawned. */
  earlyExit?: { code: number | null; signal: NodeJS.Signals | null; lastMessage?: string };
}

/** main.ts prints this once its window has loaded. */
export const WINDOW_READY_LINE = 'Fleetlab window ready';

const HEADLESS = 'serving the UI headless instead.';

/** The one line explaining why `npm start` serves the UI headless, or undefined while the desktop app can run. */
export function headlessReason(facts: LaunchFacts): string | undefined {
  if (facts.platform === 'linux' && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) {
    return `Fleetlab: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset); ${HEADLESS} For the desktop app run \`npm start\` in a graphical session.`;
  }
  if (facts.missingBinary) {
    return `Fleetlab: the Electron binary is not installed (${facts.missingBinary}); ${HEADLESS} To get the desktop app run \`node node_modules/electron/install.js\` with access to github.com.`;
  }
  const exit = facts.earlyExit;
  if (exit && (exit.code !== 0 || exit.signal !== null)) {
    const what = exit.signal
      ? `was killed by ${exit.signal} before its window opened`
      : exit.code === null
        ? 'could not be started'
        : `exited with code ${exit.code} before its window opened`;
    const detail = exit.lastMessage ? ` (${exit.lastMessage})` : '';
    return `Fleetlab: Electron ${what}${detail}; ${HEADLESS} To see Electron's own output run \`npx electron .\`.`;
  }
  return undefined;
}

/** Why a download attempt left no binary, from install.js's exit and output. */
export function downloadFailure(outcome: { timedOut: boolean; exitCode: number | null; output: string }): string {
  if (outcome.timedOut) return 'download timed out';
  const firstLine = outcome.output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);
  return `download failed: ${firstLine ?? `install.js exited with code ${outcome.exitCode}`}`;
}
