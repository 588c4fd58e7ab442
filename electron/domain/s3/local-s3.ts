import type { Readable, Transform } from 'node:stream';
import type { ObjectFiles, ObjectMeta, WrittenData } from '../../store/object-files.js';
import type { BucketRecord } from '../../store/records.js';
import type { UploadFiles } from '../../store/upload-files.js';
import type { Supervisor } from '../background.js';
import type { Clock } from '../clock.js';
import { WriteQueue } from '../devices/write-queue.js';
import type { AppStore } from '../persisted.js';
import { MultipartUploads, type BucketUploads } from './multipart-uploads.js';
import { checkKey, compareKeys, sizeLimit } from './object-rules.js';
import { S3Error } from './s3-errors.js';

export type { ObjectMeta, WrittenData } from '../../store/object-files.js';
export { entityTooLarge, etagOf } from './object-rules.js';

interface PutOptions {
  contentType?: string;
  userMetadata?: Record<string, string>;
  /** Decoding of the wire body (aws-chunked) and checks over the decoded bytes, in order. */
  transforms?: Transform[];
  /** Checks the written bytes against what the client claimed (its SHA-256, Content-MD5); throws to refuse them. */
  verify?: (written: WrittenData) => void;
  /** Set for the object a multipart upload completes. */
  multipart?: ObjectMeta['multipart'];
}

interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Keys after this one only (StartAfter, or a continuation token's key). */
  after?: string;
  maxKeys: number;
}

interface ListPage {
  objects: ObjectMeta[];
  commonPrefixes: string[];
  /** The last key or common prefix listed, when more follow. */
  nextAfter?: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The local S3 that job documents and OTA files live in: buckets in the store (so snapshots name them), objects as
 * files (electron/store/object-files.ts) indexed in memory, and their pending multipart uploads. Writes of one key
 * run one after another.
 */
export class LocalS3 {
  readonly uploads: MultipartUploads;
  private readonly index = new Map<string, Map<string, ObjectMeta>>();
  private readonly writes = new WriteQueue();

  constructor(
    private readonly store: AppStore,
    private readonly files: ObjectFiles,
    uploadFiles: UploadFiles,
    private readonly clock: Clock,
    readonly maxObjectBytes: number,
    background: Supervisor,
  ) {
    this.uploads = new MultipartUploads(uploadFiles, clock, this);
    store.subscribe((change) => {
      if (change.op === 'replaced') background.run('loading the local S3 objects of the new state', () => this.load());
    });
  }

  /** Reads every bucket's objects and pending uploads from disk (at start, and after a reset or a snapshot import). */
  async load(): Promise<void> {
    const loaded = new Map<string, Map<string, ObjectMeta>>();
    const uploads = new Map<string, BucketUploads>();
    for (const bucket of this.buckets()) {
      await this.files.createBucketFolder(bucket.name);
      const objects = new Map((await this.files.load(bucket.name)).map((meta) => [meta.key, meta]));
      loaded.set(bucket.name, objects);
      uploads.set(bucket.name, await this.uploads.read(bucket.name, objects));
    }
    this.index.clear();
    for (const [name, objects] of loaded) this.index.set(name, objects);
    this.uploads.replace(uploads);
  }

  buckets(): BucketRecord[] {
    return this.store
      .repository('s3Buckets')
      .list()
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async createBucket(name: string): Promise<BucketRecord> {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new S3Error('InvalidBucketName', 'The specified bucket is not valid: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.');
    }
    if (this.store.repository('s3Buckets').has(name)) throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
    await this.files.createBucketFolder(name);
    // Objects of a bucket a reset or an import dropped are still on disk (snapshots refer to them): they come back with it.
    const objects = new Map((await this.files.load(name)).map((meta) => [meta.key, meta]));
    const uploads = await this.uploads.read(name, objects);
    const record: BucketRecord = { name, createdAt: this.clock.now() };
    await this.store.commit((tx) => tx.put('s3Buckets', name, record));
    this.index.set(name, objects);
    this.uploads.addBucket(name, uploads);
    return record;
  }

  /** Pending multipart uploads do not keep a bucket: they go with it (their parts are no objects). */
  async deleteBucket(name: string): Promise<void> {
    if (this.objectsOf(name).size > 0) throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty.');
    await this.store.commit((tx) => tx.delete('s3Buckets', name));
    this.index.delete(name);
    this.uploads.forgetBucket(name);
    await this.files.removeBucketFolder(name);
  }

  /** Streams the body to disk (never whole in memory), at most maxObjectBytes, then makes it the key's object. */
  put(bucket: string, key: string, body: Readable, options: PutOptions = {}): Promise<ObjectMeta> {
    checkKey(key);
    this.objectsOf(bucket);
    return this.writes.run(`${bucket}/${key}`, async () => {
      const written = await this.files.write(bucket, key, body, [...(options.transforms ?? []), sizeLimit(this.maxObjectBytes, this.maxObjectBytes)]);
      try {
        options.verify?.(written);
      } catch (error) {
        await this.files.discard(bucket, written.dataFile);
        throw error;
      }
      const objects = this.objectsOf(bucket);
      const meta: ObjectMeta = {
        key,
        size: written.size,
        md5: written.md5,
        contentType: options.contentType ?? 'application/octet-stream',
        lastModified: this.clock.now(),
        userMetadata: options.userMetadata ?? {},
        dataFile: written.dataFile,
        ...(options.multipart && { multipart: options.multipart }),
      };
      const replaced = objects.get(key);
      await this.files.commit(bucket, meta, replaced);
      objects.set(key, meta);
      return meta;
    });
  }

  head(bucket: string, key: string): ObjectMeta {
    const meta = this.objectsOf(bucket).get(key);
    if (!meta) throw new S3Error('NoSuchKey', 'The specified key does not exist.');
    return meta;
  }

  /** The object's bytes, or the inclusive range of them. */
  read(bucket: string, meta: ObjectMeta, range?: { start: number; end: number }): Promise<Readable> {
    return this.files.read(bucket, meta, range);
  }

  /** The whole object as text, for job documents (which AWS limits to 32 KiB). */
  async readText(bucket: string, key: string, maxBytes: number): Promise<string> {
    const meta = this.head(bucket, key);
    if (meta.size > maxBytes) throw new S3Error('EntityTooLarge', `Object "${key}" is ${meta.size} bytes; a job document may have ${maxBytes}.`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.read(bucket, meta)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Deleting a key that is not there succeeds, as in S3. */
  delete(bucket: string, key: string): Promise<void> {
    this.objectsOf(bucket);
    return this.writes.run(`${bucket}/${key}`, async () => {
      const objects = this.objectsOf(bucket);
      const meta = objects.get(key);
      if (!meta) return;
      await this.files.remove(bucket, meta);
      objects.delete(key);
    });
  }

  /** Keys in UTF-8 binary order, as S3 lists them; keys sharing a prefix up to the delimiter are one common prefix. */
  list(bucket: string, options: ListOptions): ListPage {
    const prefix = options.prefix ?? '';
    const keys = [...this.objectsOf(bucket).keys()].filter((key) => key.startsWith(prefix) && (options.after === undefined || compareKeys(key, options.after) > 0));
    keys.sort(compareKeys);
    const objects: ObjectMeta[] = [];
    const commonPrefixes: string[] = [];
    let last: string | undefined;
    for (const key of keys) {
      const at = options.delimiter ? key.indexOf(options.delimiter, prefix.length) : -1;
      const common = at < 0 ? undefined : key.slice(0, at + options.delimiter!.length);
      if (common !== undefined && common === commonPrefixes.at(-1)) continue;
      if (objects.length + commonPrefixes.length === options.maxKeys) return { objects, commonPrefixes, nextAfter: last! };
      if (common !== undefined) {
        commonPrefixes.push(common);
        // Past every key of the prefix: the next page starts after them.
        last = `${common}\u{10FFFF}`;
      } else {
        objects.push(this.objectsOf(bucket).get(key)!);
        last = key;
      }
    }
    return { objects, commonPrefixes };
  }

  hasBucket(name: string): boolean {
    return this.index.has(name);
  }

  private objectsOf(bucket: string): Map<string, ObjectMeta> {
    const objects = this.index.get(bucket);
    if (!objects) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist.');
    return objects;
  }
}
