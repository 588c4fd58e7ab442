import { createHash } from 'node:crypto';
import { isObject, type TelemetryInfo } from './capabilities.js';

/** Where a numeric telemetry value with this semantic type plausibly lies; anything else uses 0..100. */
const RANGES: Record<string, [number, number]> = {
  Temperature: [15, 30],
  Humidity: [30, 70],
  RelativeHumidity: [30, 70],
  Pressure: [980, 1040],
  Voltage: [210, 240],
  Current: [0, 16],
  Power: [0, 2000],
  Frequency: [49.5, 50.5],
  Illuminance: [0, 1000],
  Velocity: [0, 30],
};
const DEFAULT_RANGE: [number, number] = [0, 100];
const WORDS = ['ok', 'idle', 'busy', 'warning'];
/** Numeric values drift through their range over this many simulated minutes. */
const PERIOD_MINUTES = 60;

/**
 * A plausible value of a telemetry capability at a simulated minute. `key` (seed, device and capability) fixes the
 * curve; the minute moves along it, so the same device reports the same value for the same minute after a restart.
 */
export function telemetryValue(info: TelemetryInfo, key: string, minute: number): unknown {
  // Semantic types come from the template: only RANGES' own keys count (a type named "constructor" is no range).
  const semanticType = info.semanticTypes.find((type) => Object.hasOwn(RANGES, type));
  const range = semanticType === undefined ? DEFAULT_RANGE : RANGES[semanticType]!;
  return new ValueMaker(key, minute, range).make(info.schema, info.name);
}

class ValueMaker {
  constructor(
    private readonly key: string,
    private readonly minute: number,
    private readonly range: [number, number],
  ) {}

  make(schema: unknown, at: string): unknown {
    if (typeof schema === 'string') return this.primitive(schema, at);
    if (!isObject(schema)) return null;
    switch (schema['@type']) {
      case 'Enum': {
        const values = Array.isArray(schema.enumValues) ? schema.enumValues.filter(isObject) : [];
        return values.length === 0 ? null : values[Math.floor(this.noise(at) * values.length)]!.enumValue;
      }
      case 'Object': {
        const fields = Array.isArray(schema.fields) ? schema.fields.filter(isObject) : [];
        return Object.fromEntries(fields.filter((field) => typeof field.name === 'string').map((field) => [field.name, this.make(field.schema, `${at}.${String(field.name)}`)]));
      }
      case 'Array':
        return [0, 1].map((i) => this.make(schema.elementSchema, `${at}[${i}]`));
      case 'Map': {
        const valueSchema = isObject(schema.mapValue) ? schema.mapValue.schema : undefined;
        return { key1: this.make(valueSchema, `${at}.key1`) };
      }
      default:
        return null;
    }
  }

  private primitive(schema: string, at: string): unknown {
    const time = new Date(this.minute * 60_000).toISOString();
    switch (schema) {
      case 'double':
      case 'float':
        return Math.round(this.drift(at) * 100) / 100;
      case 'integer':
      case 'long':
        return Math.round(this.drift(at));
      case 'boolean':
        return this.noise(at) < 0.5;
      case 'string':
        return WORDS[Math.floor(this.noise(at) * WORDS.length)];
      case 'dateTime':
        return time;
      case 'date':
        return time.slice(0, 10);
      case 'time':
        return time.slice(11, 19);
      case 'duration':
        return `PT${Math.floor(this.noise(at) * 3600)}S`;
    }
    if (schema.includes('geopoint')) return { lat: 47.6 + this.noise(`${at}/lat`) / 10, lon: -122.3 + this.noise(`${at}/lon`) / 10, alt: 50 };
    if (schema.includes('geospatial:point')) return { type: 'Point', coordinates: [-122.3 + this.noise(`${at}/lon`) / 10, 47.6 + this.noise(`${at}/lat`) / 10] };
    return null;
  }

  /** A slow wave through the range with a little per-minute noise. */
  private drift(at: string): number {
    const [low, high] = this.range;
    const phase = unit(`${this.key}/${at}/phase`) * 2 * Math.PI;
    const wave = Math.sin((2 * Math.PI * this.minute) / PERIOD_MINUTES + phase);
    return low + (high - low) * (0.5 + 0.4 * wave + 0.1 * (this.noise(at) - 0.5));
  }

  private noise(at: string): number {
    return unit(`${this.key}/${at}/${this.minute}`);
  }
}

/** A number in [0, 1) fixed by the text. */
function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}
