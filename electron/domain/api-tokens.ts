import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppStore } from '../store/app-store.js';
import type { ApiTokenRecord, RoleAssignmentRecord } from '../store/records.js';
import { ADMINISTRATOR, isKnownRole } from './roles.js';
import { DomainError, invalid, notFound } from './errors.js';
import type { Clock } from './clock.js';

export interface Principal {
  tokenId: string;
  roles: string[];
}

export interface CreatedToken extends Omit<ApiTokenRecord, 'hash'> {
  token: string;
}

const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * IoT Central API tokens. The token value is shown once; only its sha256 is kept. Tokens registered with
 * `ephemeral` (the host's own, FLEETLAB_API_TOKEN) live in memory and are never written to the data dir.
 */
export class ApiTokens {
  private readonly ephemeral = new Map<string, ApiTokenRecord>();

  constructor(
    private readonly store: AppStore,
    private readonly clock: Clock,
    private readonly appName: string,
  ) {}

  list(): Omit<ApiTokenRecord, 'hash'>[] {
    return Object.values(this.store.data.apiTokens).map(withoutHash);
  }

  get(id: string): Omit<ApiTokenRecord, 'hash'> {
    const record = this.store.data.apiTokens[id];
    if (!record) throw notFound('API token', id);
    return withoutHash(record);
  }

  async create(id: string, roles: RoleAssignmentRecord[], expiry?: string): Promise<CreatedToken> {
    // The id travels inside the token as `skn=<id>`; characters outside this set would break the token's format.
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(id)) throw invalid(`API token id "${id}" is invalid: use 1 to 255 letters, digits, "_" and "-".`);
    if (this.store.data.apiTokens[id] || this.ephemeral.has(id)) {
      throw new DomainError('Conflict', `API token "${id}" already exists.`);
    }
    for (const { role } of roles) if (!isKnownRole(role)) throw invalid(`Role "${role}" does not exist.`);
    const expiryMs = expiry === undefined ? this.clock.wallNow() + 365 * 24 * 3600_000 : Date.parse(expiry);
    if (Number.isNaN(expiryMs)) throw invalid(`"expiry" must be a date-time, got "${expiry}".`);
    if (expiryMs <= this.clock.wallNow()) throw invalid(`"expiry" must be in the future, got "${expiry}".`);
    const token = this.tokenValue(id, expiryMs);
    const record: ApiTokenRecord = { id, hash: hash(token), roles, expiry: new Date(expiryMs).toISOString() };
    this.store.data.apiTokens[id] = record;
    await this.store.save();
    return { ...withoutHash(record), token };
  }

  async remove(id: string): Promise<void> {
    if (!this.store.data.apiTokens[id]) throw notFound('API token', id);
    delete this.store.data.apiTokens[id];
    await this.store.save();
  }

  /** Registers a token kept in memory only; `value` is the whole Authorization header value. */
  registerEphemeral(value: string, id = tokenIdOf(value) ?? 'fleetlab'): void {
    this.ephemeral.set(id, { id, hash: hash(value), roles: [{ role: ADMINISTRATOR }] });
  }

  /** A fresh in-memory App Administrator token, for the host's own UI. */
  mintEphemeral(id: string): string {
    const value = this.tokenValue(id, this.clock.wallNow() + 10 * 365 * 24 * 3600_000);
    this.registerEphemeral(value, id);
    return value;
  }

  /** The principal for an Authorization header value, or null when it is absent, unknown, revoked or expired. */
  authenticate(header: string | undefined): Principal | null {
    if (!header) return null;
    const id = tokenIdOf(header);
    const candidates = [id && this.store.data.apiTokens[id], id && this.ephemeral.get(id), ...this.ephemeral.values()];
    const digest = Buffer.from(hash(header), 'hex');
    const match = candidates.find(
      (record): record is ApiTokenRecord => !!record && timingSafeEqual(Buffer.from(record.hash, 'hex'), digest),
    );
    if (!match) return null;
    if (match.expiry && Date.parse(match.expiry) <= this.clock.wallNow()) return null;
    const se = /(?:^|[&\s])se=(\d+)/.exec(header)?.[1];
    if (se && Number(se) <= this.clock.wallNow()) return null;
    return { tokenId: match.id, roles: match.roles.map((r) => r.role) };
  }

  private tokenValue(id: string, expiryMs: number): string {
    const sig = encodeURIComponent(randomBytes(32).toString('base64'));
    return `SharedAccessSignature sr=${encodeURIComponent(this.appName)}&sig=${sig}&skn=${encodeURIComponent(id)}&se=${expiryMs}`;
  }
}

function tokenIdOf(header: string): string | undefined {
  const skn = /(?:^|[&\s])skn=([^&\s]+)/.exec(header)?.[1];
  if (skn === undefined) return undefined;
  try {
    return decodeURIComponent(skn);
  } catch {
    return skn;
  }
}

function withoutHash({ hash: _hash, ...rest }: ApiTokenRecord): Omit<ApiTokenRecord, 'hash'> {
  return rest;
}
