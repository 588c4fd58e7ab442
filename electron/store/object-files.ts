import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { syncFolder, writeDocumentDurably } from './json-document.js';
import { storageErrorOf } from './storage-error.js';
import { writeStreamDurably } from './streamed-file.js';

/** What S3 keeps about an object besides its bytes; stored as `<hash>.json` next to its data file. */
export interface ObjectMeta {
  key: string;
  size: number;
  /** MD5 of the bytes, hex, as S3's ETag of a single-part upload. */
  md5: string;
  contentType: string;
  /** ms epoch on the simulation clock */
  lastModified: number;
  /** x-amz-meta-* headers, lower-cased names without the prefix. */
  userMetadata: Record<string, string>;
  /** The data file's name in the bucket folder. */
  dataFile: string;
  /** Set when a multipart upload made the object: the upload's id, and S3's ETag for it (`<hex>-<parts>`). */
  multipart?: { uploadId: string; etag: string };
}

/** The bytes written and their digests, for the caller to check against what the client claimed. */
export interface WrittenData {
  dataFile: string;
  size: number;
  md5: string;
  sha256: string;
}

/**
 * Objects of the local S3 as files: `<dataDir>/s3/<bucket>/<sha256(key)>.json` (metadata) and a data file named by
 * the same hash and a random suffix. Keys are arbitrary strings, so no part of a key ever becomes a path; a new
 * version's data is written and fsynced before its metadata replaces the old one atomically, so a crash leaves the
 * old object or the new one.
 */
export class ObjectFiles {
  constructor(private readonly root: string) {}

  folderOf(bucket: string): string {
    return path.join(this.root, bucket);
  }

  async createBucketFolder(bucket: string): Promise<void> {
    try {
      await mkdir(this.folderOf(bucket), { recursive: true });
    } catch (error) {
      throw storageErrorOf(error, `bucket "${bucket}"`);
    }
  }

  /** Best effort: the bucket is gone once its record is; a folder left behind holds no objects. */
  async removeBucketFolder(bucket: string): Promise<void> {
    await rm(this.folderOf(bucket), { recursive: true, force: true }).catch(() => undefined);
  }

  /** Every object's metadata in the bucket's folder; data files no metadata names (a write cut short) are removed. */
  async load(bucket: string): Promise<ObjectMeta[]> {
    const folder = this.folderOf(bucket);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const metas: ObjectMeta[] = [];
    for (const name of names.filter((file) => file.endsWith('.json'))) {
      try {
        metas.push(JSON.parse(await readFile(path.join(folder, name), 'utf8')) as ObjectMeta);
      } catch {
        // A metadata file that cannot be read names no object; its data file is removed below.
      }
    }
    const referenced = new Set(metas.map((meta) => meta.dataFile));
    for (const name of names) {
      if ((name.endsWith('.data') && !referenced.has(name)) || name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
    }
    return metas;
  }

  /** Streams `body` through `transforms` into a new data file, fsynced; the caller commits it with `commit` or drops it. */
  async write(bucket: string, key: string, body: Readable, transforms: Transform[]): Promise<WrittenData> {
    const dataFile = `${hashOf(key)}.${randomUUID()}.data`;
    const written = await writeStreamDurably(path.join(this.folderOf(bucket), dataFile), body, transforms, `object "${key}"`);
    return { dataFile, ...written };
  }

  /** Makes `meta` the object's metadata (atomically), then removes the data file it replaces. */
  async commit(bucket: string, meta: ObjectMeta, replaced: ObjectMeta | undefined): Promise<void> {
    try {
      await writeDocumentDurably(this.metaFileOf(bucket, meta.key), JSON.stringify(meta));
    } catch (error) {
      await this.discard(bucket, meta.dataFile);
      throw storageErrorOf(error, `object "${meta.key}"`);
    }
    if (replaced && replaced.dataFile !== meta.dataFile) await this.discard(bucket, replaced.dataFile);
  }

  /** Best effort: a data file that cannot be removed now (Windows keeps files a reader has open) names no object and goes at the next start. */
  async discard(bucket: string, dataFile: string): Promise<void> {
    await rm(path.join(this.folderOf(bucket), dataFile), { force: true }).catch(() => undefined);
  }

  async remove(bucket: string, meta: ObjectMeta): Promise<void> {
    try {
      await rm(this.metaFileOf(bucket, meta.key), { force: true });
      await syncFolder(this.folderOf(bucket));
    } catch (error) {
      throw storageErrorOf(error, `the deletion of object "${meta.key}"`);
    }
    await this.discard(bucket, meta.dataFile);
  }

  /** The object's bytes from `start` to `end` (inclusive); the file is opened now, so a later replacement does not cut it. */
  async read(bucket: string, meta: ObjectMeta, range?: { start: number; end: number }): Promise<Readable> {
    const handle = await open(path.join(this.folderOf(bucket), meta.dataFile), 'r');
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  private metaFileOf(bucket: string, key: string): string {
    return path.join(this.folderOf(bucket), `${hashOf(key)}.json`);
  }
}

const hashOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
