import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { syncFolder, writeDocumentDurably } from './json-document.js';
import { storageErrorOf } from './storage-error.js';
import { writeStreamDurably, type StreamedData } from './streamed-file.js';

/** A pending multipart upload: what CreateMultipartUpload said about the object to be. */
export interface UploadMeta {
  uploadId: string;
  key: string;
  /** ms epoch on the simulation clock */
  initiated: number;
  contentType: string;
  userMetadata: Record<string, string>;
}

export interface PartMeta {
  partNumber: number;
  size: number;
  /** MD5 of the part's bytes, hex: its ETag. */
  md5: string;
  /** ms epoch on the simulation clock */
  lastModified: number;
  /** The data file's name in the upload's folder. */
  dataFile: string;
}

export interface StoredUpload {
  upload: UploadMeta;
  parts: PartMeta[];
}

/** The ids the local S3 makes (base64url of 24 random bytes); nothing else is ever taken for a folder name. */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{32}$/;
const UPLOADS = 'uploads';
const UPLOAD_FILE = 'upload.json';
const PART_META = /^part-(\d{1,5})\.json$/;

/**
 * Pending multipart uploads as files: `<bucket folder>/uploads/<uploadId>/` holds `upload.json` (the upload exists
 * while it does), and per part `part-<n>.json` naming its data file `part-<n>.<random>.data`. A part's data is written
 * and fsynced before its metadata (temporary file, fsync, rename) replaces the previous one, so a crash leaves the old
 * part or the new one; data files no metadata names are removed at the next load.
 */
export class UploadFiles {
  constructor(private readonly folderOfBucket: (bucket: string) => string) {}

  async create(bucket: string, upload: UploadMeta): Promise<void> {
    const folder = this.folderOf(bucket, upload.uploadId);
    try {
      await mkdir(folder, { recursive: true });
      // The uploads folder may be new too: both folders' entries are made durable.
      await syncFolder(path.dirname(folder));
      await syncFolder(this.folderOfBucket(bucket));
      await writeDocumentDurably(path.join(folder, UPLOAD_FILE), JSON.stringify(upload));
    } catch (error) {
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
      throw storageErrorOf(error, `the multipart upload of "${upload.key}"`);
    }
  }

  /** Every pending upload of the bucket; folders without a readable upload.json (a create or a removal cut short) go. */
  async load(bucket: string): Promise<StoredUpload[]> {
    const root = path.join(this.folderOfBucket(bucket), UPLOADS);
    const ids = await readdir(root).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const stored: StoredUpload[] = [];
    for (const uploadId of ids) {
      const folder = path.join(root, uploadId);
      const upload = UPLOAD_ID.test(uploadId) ? await readJson<UploadMeta>(path.join(folder, UPLOAD_FILE)) : undefined;
      if (!upload) {
        await rm(folder, { recursive: true, force: true });
        continue;
      }
      stored.push({ upload, parts: await this.loadParts(folder) });
    }
    return stored;
  }

  /** Streams one part's body into a new data file, fsynced; the caller commits it with `commitPart` or drops it. */
  async writePart(bucket: string, uploadId: string, partNumber: number, body: Readable, transforms: Transform[]): Promise<StreamedData & { dataFile: string }> {
    const dataFile = `part-${partNumber}.${randomUUID()}.data`;
    const written = await writeStreamDurably(path.join(this.folderOf(bucket, uploadId), dataFile), body, transforms, `part ${partNumber}`);
    return { dataFile, ...written };
  }

  /** Makes `part` the part's metadata (atomically), then removes the data file it replaces. */
  async commitPart(bucket: string, uploadId: string, part: PartMeta, replaced: PartMeta | undefined): Promise<void> {
    const folder = this.folderOf(bucket, uploadId);
    try {
      await writeDocumentDurably(path.join(folder, `part-${part.partNumber}.json`), JSON.stringify(part));
    } catch (error) {
      await this.discardPart(bucket, uploadId, part.dataFile);
      throw storageErrorOf(error, `part ${part.partNumber}`);
    }
    if (replaced && replaced.dataFile !== part.dataFile) await this.discardPart(bucket, uploadId, replaced.dataFile);
  }

  /** Best effort: a data file left behind names no part and goes at the next load. */
  async discardPart(bucket: string, uploadId: string, dataFile: string): Promise<void> {
    await rm(path.join(this.folderOf(bucket, uploadId), dataFile), { force: true }).catch(() => undefined);
  }

  async readPart(bucket: string, uploadId: string, part: PartMeta): Promise<Readable> {
    const handle = await open(path.join(this.folderOf(bucket, uploadId), part.dataFile), 'r');
    return handle.createReadStream();
  }

  /** Ends the upload: its upload.json goes first (durably), so a removal cut short leaves no upload behind; then its parts. */
  async remove(bucket: string, uploadId: string): Promise<void> {
    const folder = this.folderOf(bucket, uploadId);
    try {
      await rm(path.join(folder, UPLOAD_FILE), { force: true });
      await syncFolder(folder);
    } catch (error) {
      throw storageErrorOf(error, `the end of multipart upload "${uploadId}"`);
    }
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
  }

  private async loadParts(folder: string): Promise<PartMeta[]> {
    const names = await readdir(folder);
    const parts: PartMeta[] = [];
    for (const name of names) {
      const part = PART_META.test(name) ? await readJson<PartMeta>(path.join(folder, name)) : undefined;
      if (part) parts.push(part);
    }
    const referenced = new Set(parts.map((part) => part.dataFile));
    for (const name of names) {
      if ((name.endsWith('.data') && !referenced.has(name)) || name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  private folderOf(bucket: string, uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new Error(`"${uploadId}" is not an upload id of the local S3`);
    return path.join(this.folderOfBucket(bucket), UPLOADS, uploadId);
  }
}

/** A JSON file's content, or nothing when it is missing or unreadable (a write cut short). */
async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
