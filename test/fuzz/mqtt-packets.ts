import fc from 'fast-check';
import { trickyString } from './nasty-values.js';

/** MQTT's variable-length "remaining length" field. */
function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0 && bytes.length < 4);
  return Buffer.from(bytes);
}

function utf8Field(text: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(Math.min(bytes.length, 0xffff));
  return Buffer.concat([length, bytes]);
}

function packet(type: number, flags: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(type << 4) | flags]), remainingLength(body.length), body]);
}

/** A CONNECT with any protocol name, level, flags and fields, well framed or not. */
const connect = fc
  .record({
    protocol: fc.constantFrom('MQTT', 'MQIsdp', 'mqtt', '', 'MQTTX'),
    level: fc.constantFrom(3, 4, 5, 0, 255),
    flags: fc.integer({ min: 0, max: 255 }),
    keepAlive: fc.integer({ min: 0, max: 0xffff }),
    clientId: fc.oneof(trickyString, fc.constant('')),
    username: fc.option(trickyString),
    password: fc.option(fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))),
  })
  .map(({ protocol, level, flags, keepAlive, clientId, username, password }) => {
    const header = Buffer.concat([utf8Field(protocol), Buffer.from([level, flags, keepAlive >> 8, keepAlive & 0xff])]);
    const fields = [utf8Field(clientId), ...(username === null ? [] : [utf8Field(username)]), ...(password === null ? [] : [utf8Field(password)])];
    return packet(1, 0, Buffer.concat([header, ...fields]));
  });

/** A well-formed MQTT 3.1.1 CONNECT (flags that match its fields) with any client id, username and password. */
const wellFormedConnect = fc
  .record({ clientId: trickyString, username: fc.option(trickyString), password: fc.option(trickyString) })
  .map(({ clientId, username, password }) => {
    const flags = 0x02 | (username === null ? 0 : 0x80) | (password === null || username === null ? 0 : 0x40);
    const header = Buffer.concat([utf8Field('MQTT'), Buffer.from([4, flags, 0, 60])]);
    const fields = [utf8Field(clientId), ...(username === null ? [] : [utf8Field(username)]), ...(password === null || username === null ? [] : [utf8Field(password)])];
    return packet(1, 0, Buffer.concat([header, ...fields]));
  });

/** A PUBLISH (before or after CONNECT) to any topic with any QoS bits. */
const publish = fc.record({ topic: trickyString, flags: fc.integer({ min: 0, max: 15 }), payload: fc.uint8Array({ maxLength: 200 }) }).map(({ topic, flags, payload }) =>
  packet(3, flags, Buffer.concat([utf8Field(topic), ...((flags & 0x06) !== 0 ? [Buffer.from([0, 1])] : []), Buffer.from(payload)])),
);

/** A header that announces far more than will come (up to MQTT's 256 MB maximum), or a length field that never ends. */
const oversized = fc.oneof(
  fc.integer({ min: 1, max: 15 }).map((type) => Buffer.concat([Buffer.from([type << 4]), remainingLength(268_435_455), Buffer.alloc(64)])),
  fc.constant(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff])),
  fc.constant(Buffer.concat([Buffer.from([0x30]), remainingLength(2_000_000), Buffer.alloc(2_000_000, 0x41)])),
);

/** Bytes a broker may meet on its socket: noise, truncated and malformed packets, and well-formed ones out of order. */
export const mqttBytes = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
      { weight: 3, arbitrary: connect },
      { weight: 2, arbitrary: wellFormedConnect },
      { weight: 2, arbitrary: publish },
      { weight: 1, arbitrary: oversized },
      { weight: 1, arbitrary: fc.constantFrom(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.from([0xc0, 0x00]), Buffer.from([0xe0, 0x00]), Buffer.from([0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 0x23])) },
      { weight: 1, arbitrary: fc.tuple(connect, fc.nat()).map(([bytes, cut]) => bytes.subarray(0, Math.max(1, cut % bytes.length))) },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((chunks) => Buffer.concat(chunks));

