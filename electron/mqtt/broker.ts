import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type Connection } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { messageOf, type DomainLog, type Supervisor } from '../domain/background.js';
import type { TlsMaterial } from '../tls/https-credentials.js';
import { CONNACK, ConnectRefused, type ConnectAttempt, type DeviceSession, type MqttTransport } from './device-protocol.js';
import type { ProtocolRegistry } from './protocol-registry.js';
import { filterMatches } from './topics.js';

export interface BrokerOptions {
  registry: ProtocolRegistry;
  supervisor: Supervisor;
  log: DomainLog;
  tls: TlsMaterial;
  /** Interface to bind, as the HTTP server's. */
  host: string;
  /** MQTT over TLS; 0 picks a free port. */
  tlsPort: number;
  /** Plain MQTT over TCP (--mqtt-plain), for local tools only; none when absent. */
  plainPort?: number;
}

/** A client a protocol accepted. */
export interface ConnectedClient {
  protocol: string;
  identity: string;
  transport: MqttTransport;
  /** Wall-clock ms of the CONNECT. */
  since: number;
}

interface Accepted extends ConnectedClient {
  session: DeviceSession;
  ended: boolean;
}

/** A connection that sends no CONNECT within this time is closed. */
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The embedded MQTT broker (aedes): MQTT 3.1.1 over TLS, over WebSockets on the HTTP(S) port, and plain TCP when asked.
 * It holds no device logic: each CONNECT goes to the registered protocol that claims it, which authenticates the
 * client and authorizes and answers its messages.
 */
export class DeviceBroker {
  private readonly connections = new WeakMap<Connection, { transport: MqttTransport; websocketPath?: string; upgradeRequest?: IncomingMessage }>();
  private readonly accepted = new Map<Client, Accepted>();
  private readonly websockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly servers: Server[] = [];
  private closing: Promise<void> | undefined;
  tlsPort = 0;
  plainPort: number | undefined;

  /** Set once by start(), before any client can connect. */
  private broker!: Aedes;

  private constructor(private readonly options: BrokerOptions) {}

  static async start(options: BrokerOptions): Promise<DeviceBroker> {
    const self = new DeviceBroker(options);
    const broker = await Aedes.createBroker({
      connectTimeout: CONNECT_TIMEOUT_MS,
      authenticate: (client, username, password, done) => self.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => done(self.mayPublish(client, packet.topic) ? null : new Error(`publish to "${packet.topic}" is not allowed`)),
      authorizeSubscribe: (client, subscription, done) =>
        // A refused filter gets SUBACK 0x80 for itself; the client's other filters and its connection stay.
        done(null, self.maySubscribe(client, subscription.topic) ? subscription : null),
      published: (packet, client, done) => {
        if (client) self.received(client, packet.topic, packet.payload as Buffer);
        done();
      },
    });
    self.broker = broker;
    broker.on('subscribe', (subscriptions, client) => self.subscribed(client, subscriptions.map((subscription) => subscription.topic)));
    broker.on('clientError', (client, error) => options.log.info({ clientId: client.id }, `MQTT client "${client.id}": ${error.message}`));
    broker.on('connectionError', (client, error) => options.log.info({ clientId: client.id }, `MQTT connection refused: ${error.message}`));
    try {
      // Client certificates are asked for but not checked here: the protocol that claims the client decides.
      const tls = createTlsServer({ ...options.tls, requestCert: true, rejectUnauthorized: false }, (socket) => self.handle(socket, 'tls'));
      self.tlsPort = await self.listen(tls, options.tlsPort, 'tls');
      if (options.plainPort !== undefined) self.plainPort = await self.listen(createTcpServer((socket) => self.handle(socket, 'tcp')), options.plainPort, 'tcp');
    } catch (error) {
      await self.close();
      throw error;
    }
    return self;
  }

  /** Takes an HTTP upgrade to one of the protocols' WebSocket paths; false when the path is not one of them. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = pathOf(request.url);
    if (path === undefined || !this.options.registry.websocketPaths().includes(path)) return false;
    if (this.closing) {
      socket.destroy();
      return true;
    }
    this.websockets.handleUpgrade(request, socket, head, (websocket) => {
      const stream = createWebSocketStream(websocket);
      stream.on('error', () => stream.destroy());
      this.connections.set(stream, { transport: 'websocket', websocketPath: path, upgradeRequest: request });
      this.broker.handle(stream, request);
    });
    return true;
  }

  connectedClients(): ConnectedClient[] {
    return [...this.accepted.values()].filter((client) => !client.ended).map(({ protocol, identity, transport, since }) => ({ protocol, identity, transport, since }));
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await new Promise<void>((resolve) => this.broker.close(() => resolve()));
      for (const websocket of this.websockets.clients) websocket.terminate();
      await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      for (const client of [...this.accepted.keys()]) this.end(client);
    })());
  }

  /** A listen failure carries `mqttPort` and `mqttTransport`, for the CLI to name the flag. */
  private listen(server: Server, port: number, transport: MqttTransport): Promise<number> {
    // A handshake that fails (a client that does not trust the CA, a port scanner) concerns that client only.
    server.on('tlsClientError', (error: Error) => this.options.log.info({}, `MQTT TLS handshake failed: ${error.message}`));
    return new Promise((resolve, reject) => {
      server.once('error', (error) => reject(Object.assign(error, { mqttPort: port, mqttTransport: transport })));
      server.listen({ port, host: this.options.host }, () => {
        server.removeAllListeners('error');
        server.on('error', (error: Error) => this.options.log.warn({ err: error }, `MQTT listener: ${error.message}`));
        this.servers.push(server);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private handle(socket: Socket | TLSSocket, transport: MqttTransport): void {
    socket.on('error', () => socket.destroy());
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.connections.set(socket, { transport });
    this.broker.handle(socket);
  }

  private authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: (error: AuthenticateError | null, success: boolean | null) => void): void {
    const connection = this.connections.get(client.conn) ?? { transport: 'tcp' as const };
    const attempt: ConnectAttempt = {
      clientId: client.id,
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      ...connection,
      ...clientCertificateOf(client.conn),
    };
    const refuse = (code: number, why: string) => {
      this.options.log.info({ clientId: client.id, transport: attempt.transport }, `MQTT CONNECT of "${client.id}" refused: ${why}`);
      done(Object.assign(new Error(why), { returnCode: code }) as AuthenticateError, false);
    };
    const protocol = this.options.registry.protocolFor(attempt);
    if (!protocol) return refuse(CONNACK.notAuthorized, 'no device protocol recognises its username');
    const link = {
      transport: attempt.transport,
      send: (topic: string, payload: string | Buffer) => this.send(client, topic, payload),
      // aedes keeps a client's granted subscriptions, restored ones too, in its `subscriptions` map.
      isSubscribed: (topic: string) => Object.keys((client as unknown as { subscriptions: object }).subscriptions).some((filter) => filterMatches(filter, topic)),
      disconnect: () => client.close(),
    };
    this.options.supervisor.run(`MQTT CONNECT ${protocol.name}`, async () => {
      try {
        const session = await protocol.open(attempt, link);
        const entry: Accepted = { protocol: protocol.name, identity: session.identity, transport: attempt.transport, since: Date.now(), session, ended: false };
        this.accepted.set(client, entry);
        // The client may have gone while the protocol looked it up: then its session ends as soon as it began.
        if ((client.conn as { destroyed?: boolean }).destroyed) return this.end(client);
        client.conn.once('close', () => this.end(client));
        done(null, true);
      } catch (error) {
        if (error instanceof ConnectRefused) refuse(error.returnCode, error.message);
        else {
          refuse(CONNACK.serverUnavailable, messageOf(error));
          throw error;
        }
      }
    });
  }

  private mayPublish(client: Client | null, topic: string): boolean {
    const entry = client && this.accepted.get(client);
    return entry !== undefined && entry !== null && this.guard(entry, 'authorize publish', () => entry.session.mayPublish(topic));
  }

  private maySubscribe(client: Client, filter: string): boolean {
    const entry = this.accepted.get(client);
    return entry !== undefined && this.guard(entry, 'authorize subscribe', () => entry.session.maySubscribe(filter));
  }

  private received(client: Client, topic: string, payload: Buffer): void {
    const entry = this.accepted.get(client);
    if (entry) this.options.supervisor.run(`MQTT ${entry.protocol} message from "${entry.identity}" on ${topic}`, () => entry.session.received(topic, payload));
  }

  private subscribed(client: Client, filters: string[]): void {
    const entry = this.accepted.get(client);
    if (!entry?.session.subscribed) return;
    for (const filter of filters) this.options.supervisor.run(`MQTT ${entry.protocol} subscription of "${entry.identity}" to ${filter}`, () => entry.session.subscribed?.(filter));
  }

  private end(client: Client): void {
    const entry = this.accepted.get(client);
    if (!entry || entry.ended) return;
    entry.ended = true;
    this.accepted.delete(client);
    this.options.supervisor.run(`MQTT ${entry.protocol} disconnect of "${entry.identity}"`, () => entry.session.closed());
  }

  private guard(entry: Accepted, what: string, check: () => boolean): boolean {
    try {
      return check();
    } catch (error) {
      this.options.log.error({ err: error }, `MQTT ${entry.protocol} ${what} for "${entry.identity}" failed: ${messageOf(error)}`);
      return false;
    }
  }

  private send(client: Client, topic: string, payload: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (client.closed) return reject(new Error(`MQTT client "${client.id}" is no longer connected`));
      client.publish({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: 0, retain: false, dup: false }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }
}

/** The path of a request target, or undefined when it is not one (an upgrade is an event handler: it must not throw). */
function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://fleetlab').pathname;
  } catch {
    return undefined;
  }
}

function clientCertificateOf(connection: Connection): { clientCertificate?: X509Certificate } {
  const raw = (connection as Partial<TLSSocket>).getPeerCertificate?.()?.raw;
  if (!raw) return {};
  try {
    return { clientCertificate: new X509Certificate(raw) };
  } catch {
    return {};
  }
}
