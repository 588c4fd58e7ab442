import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { Supervisor } from './domain/background.js';
import { startHost, type Host } from './host.js';
import { ownCertificateVerdict } from './own-certificate.js';
import { WINDOW_READY_LINE } from './launch-plan.js';
import { DEFAULT_MQTT_PORT } from './mqtt-settings.js';
import { packageRoot, packageVersion } from './paths.js';
import { DEFAULT_WINDOW_SIZE, isAppUrl, loadWindowSize, saveWindowSize, windowOptions } from './window.js';

const PRELOAD_PATH = fileURLToPath(new URL('../preload/preload.js', import.meta.url));
const ONLINE_API_REFERENCE = 'https://learn.microsoft.com/rest/api/iotcentral/';

// Menu clicks and warning dialogs start work nobody awaits: a failure is printed, never an unhandled rejection.
const shellTasks = new Supervisor({ info: (_, message) => console.log(message), warn: (_, message) => console.warn(message), error: (_, message) => console.error(message) });

app.enableSandbox();

if (app.requestSingleInstanceLock()) {
  start().catch((error: unknown) => {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    console.error(`Fleetlab could not start: ${message}`);
    dialog.showErrorBox('Fleetlab could not start', message);
    app.exit(1);
  });
} else {
  console.log('Fleetlab is already running; switched to its window.');
  app.quit();
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = path.join(app.getPath('userData'), 'data');
  const boundsFile = path.join(app.getPath('userData'), 'window-state.json');
  const notices: string[] = [];
  const https = process.env.FLEETLAB_HTTPS === '1' ? ({ source: 'local-ca' } as const) : undefined;
  const host = await startHost({ dataDir, port: 0, https, mqtt: { port: DEFAULT_MQTT_PORT, anyPortIfTaken: true }, onNotice: (message) => notices.push(message) });
  console.log(`Fleetlab listening on ${host.url}`);

  denyPermissions();
  if (host.caCertificatePath) trustOwnCa(host, readFileSync(host.caCertificatePath, 'utf8'));
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, host));
  stopHostOnQuit(host);

  const window = new BrowserWindow(windowOptions({ preloadPath: PRELOAD_PATH, bounds: loadWindowSize(boundsFile), apiOrigin: host.url }));
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ host, dataDir })));
  window.on('close', () => {
    const { width, height } = window.getNormalBounds();
    saveWindowSize(boundsFile, { width, height });
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.once('did-finish-load', () => {
    console.log(WINDOW_READY_LINE);
    for (const message of notices) shellTasks.run('showing a notice', () => dialog.showMessageBox(window, { type: 'warning', message }));
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // The emulator lives as long as its window; a macOS-style dock app without a window would be an invisible server.
  app.on('window-all-closed', () => app.quit());
  // The code signs the window's session in (an HttpOnly cookie); the redirect that follows drops it from the address.
  await window.loadURL(`${host.url}/?code=${host.sessionCode()}`);
}

/** With FLEETLAB_HTTPS=1 the window trusts Fleetlab's CA for the emulator's own host only (own-certificate.ts). */
function trustOwnCa(host: Host, caPem: string): void {
  const own = { hostname: new URL(host.url).hostname, caPem };
  session.defaultSession.setCertificateVerifyProc((request, callback) => callback(ownCertificateVerdict(request, own)));
}

function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Every page, frame and popup stays on the emulator's own origin; other URLs are refused, not opened. */
function guardNavigation(contents: WebContents, host: Host): void {
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, host.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, host.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) =>
    isAppUrl(url, host.url)
      ? {
          action: 'allow',
          overrideBrowserWindowOptions: windowOptions({ preloadPath: PRELOAD_PATH, bounds: DEFAULT_WINDOW_SIZE, apiOrigin: host.url }),
        }
      : { action: 'deny' },
  );
}

/** Quitting waits for the host to close so that everything acknowledged is on disk. */
function stopHostOnQuit(host: Host): void {
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    host.close().then(
      () => {
        stopped = true;
        app.quit();
      },
      (error: unknown) => {
        console.error(`Fleetlab could not save its data: ${(error as Error).message}`);
        app.exit(1);
      },
    );
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}

function menuTemplate({ host, dataDir }: { host: Host; dataDir: string }): MenuItemConstructorOptions[] {
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Data Folder', click: () => shellTasks.run('opening the data folder', () => shell.openPath(dataDir)) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { type: 'separator' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { type: 'separator' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'API Reference', click: () => shellTasks.run('opening the API reference', openApiReference) },
        { label: 'About Fleetlab', click: () => shellTasks.run('showing About', () => showAbout(host, dataDir)) },
      ],
    },
  ];
}

/** The checkout's own API notes when present, else Microsoft's reference for the API Fleetlab emulates. */
async function openApiReference(): Promise<void> {
  const localReference = path.join(packageRoot(), 'docs', 'api.md');
  if (existsSync(localReference)) await shell.openPath(localReference);
  else await shell.openExternal(ONLINE_API_REFERENCE);
}

async function showAbout(host: Host, dataDir: string): Promise<void> {
  await dialog.showMessageBox({
    type: 'info',
    title: 'About Fleetlab',
    message: `Fleetlab ${packageVersion()}`,
    detail: [
      'An offline testbed for IoT device-management jobs.',
      `API: ${host.url}/api`,
      `Data: ${dataDir}`,
      `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
    ].join('\n'),
  });
}
