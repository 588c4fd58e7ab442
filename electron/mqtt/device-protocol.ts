import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** How a client reached the broker. */
export type MqttTransport = 'tls' | 'websocket' | 'tcp';

/** A client's CONNECT, with what the connection itself says about it. */
export interface ConnectAttempt {
  clientId: string;
  username?: string;
  password?: Buffer;
  transport: MqttTransport;
  /** The request path of a WebSocket connection (`/$iothub/websocket`, `/mqtt`). */
  websocketPath?: string;
  /** A WebSocket connection's HTTP upgrade request: its URL and headers (AWS SigV4 signs the URL's query). */
  upgradeRequest?: IncomingMessage;
  /** The client certificate a TLS client presented (not verified by the broker: the protocol decides whom it trusts). */
  clientCertificate?: X509Certificate;
}

/** What a protocol may do to its connected client. */
export interface ClientLink {
  readonly transport: MqttTransport;
  /** Sends one message to this client only (never to other subscribers). */
  send(topic: string, payload: string | Buffer): Promise<void>;
  /** Whether one of the client's subscriptions matches `topic`, those a persistent session restored included. */
  isSubscribed(topic: string): boolean;
  /** Ends the connection. */
  disconnect(): void;
}

/**
 * One accepted connection, as its protocol sees it. Every call is made by the broker under supervision: a throw or a
 * rejection is logged and never ends the process.
 */
export interface DeviceSession {
  /** Whom the connection speaks for (a device id, a thing name): logs and the connected-device list show it. */
  readonly identity: string;
  mayPublish(topic: string): boolean;
  maySubscribe(filter: string): boolean;
  /** A message the client published, after mayPublish allowed it. */
  received(topic: string, payload: Buffer): unknown;
  /** The client's subscription was granted (to start notifications that need it). */
  subscribed?(filter: string): unknown;
  /** The connection ended, for whatever reason. */
  closed(): unknown;
}

/** A device protocol on the broker (IoT Hub, AWS IoT), recognised by its username, certificate or WebSocket path. */
export interface DeviceProtocol {
  readonly name: string;
  /** Paths on the HTTP(S) port where its clients speak MQTT over WebSockets. */
  readonly websocketPaths: readonly string[];
  /** Whether the attempt is this protocol's to answer; the first protocol that claims it decides. */
  claims(attempt: ConnectAttempt): boolean;
  /** Accepts the client, or refuses it by throwing a ConnectRefused. */
  open(attempt: ConnectAttempt, link: ClientLink): Promise<DeviceSession>;
}

/** MQTT 3.1.1 CONNACK return codes a protocol may refuse with. */
export const CONNACK = { badUsernameOrPassword: 4, notAuthorized: 5, serverUnavailable: 3, identifierRejected: 2 } as const;

/** A refused CONNECT; the message is logged, the client sees only the code. */
export class ConnectRefused extends Error {
  constructor(
    readonly returnCode: (typeof CONNACK)[keyof typeof CONNACK],
    message: string,
  ) {
    super(message);
  }
}
