/** How a thing's agent reached the broker. */
export type ThingTransport = 'tls' | 'websocket' | 'tcp';

export interface ConnectedThing {
  thingName: string;
  transport: ThingTransport;
  /** Wall-clock ms of the CONNECT. */
  since: number;
}

/** The things whose agents are connected over MQTT now (AWS IoT), for the connected-device list and the UI. */
export class ConnectedThings {
  private readonly connections = new Map<number, ConnectedThing[]>();
  private nextId = 1;

  /** Records a connection speaking for `thingNames`; the returned function forgets it. */
  connect(thingNames: readonly string[], transport: ThingTransport): () => void {
    const id = this.nextId++;
    const since = Date.now();
    this.connections.set(
      id,
      thingNames.map((thingName) => ({ thingName, transport, since })),
    );
    return () => this.connections.delete(id);
  }

  /** One entry per thing, its latest connection's. */
  list(): ConnectedThing[] {
    const byThing = new Map<string, ConnectedThing>();
    for (const things of this.connections.values()) for (const thing of things) byThing.set(thing.thingName, thing);
    return [...byThing.values()];
  }
}
