/** Whether the emulator answers the UI, as the connection banner shows it. */
export type ConnectionStatus =
  /** Requests are answered. */
  | 'ok'
  /** The last request did not reach the emulator; it is asked again every few seconds. */
  | 'unreachable'
  /** It answers again and this page is still signed in, but what the page shows may be out of date. */
  | 'back'
  /** It answers again but refuses this page's session: it restarted, and a restart ends every sign-in. */
  | 'signed-out';
