import { createHash, randomBytes } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import type { ObjectMeta, WrittenData } from '../../store/object-files.js';
import { UPLOAD_ID, type PartMeta, type StoredUpload, type UploadFiles, type UploadMeta } from '../../store/upload-files.js';
import type { Clock } from '../clock.js';
import { WriteQueue } from '../devices/write-queue.js';
import { checkKey, entityTooLarge, sizeLimit } from './object-rules.js';
import { S3Error } from './s3-errors.js';
import { pageOfUploads, type UploadListOptions, type UploadPage } from './upload-listing.js';

/** What the uploads need of the local S3's objects: where a completed upload's bytes go. */
export interface ObjectSink {
  readonly maxObjectBytes: number;
  put(bucket: string, key: string, body: Readable, options: { contentType: string; userMetadata: Record<string, string>; multipart: ObjectMeta['multipart'] }): Promise<ObjectMeta>;
}

/** One bucket's pending uploads by id. */
export type BucketUploads = Map<string, PendingUpload>;

interface PendingUpload extends UploadMeta {
  parts: Map<number, PartMeta>;
  /** Completing or aborting: no more parts, and no second end. */
  ending: boolean;
}

interface PartOptions {
  declaredSize?: number;
  transforms?: Transform[];
  verify?: (written: WrittenData) => void;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
/** Pending uploads hold disk space until completed or aborted: a client that forgets them meets this bound. */
const MAX_PENDING_UPLOADS = 100;

const noSuchUpload = () => new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');

/**
 * Multipart uploads (S3's CreateMultipartUpload … CompleteMultipartUpload): parts are files of the upload's folder
 * (electron/store/upload-files.ts), indexed in memory per bucket; completion streams them, in order, into a new object.
 */
export class MultipartUploads {
  private readonly byBucket = new Map<string, BucketUploads>();
  private readonly commits = new WriteQueue();
  private creating = 0;

  constructor(
    private readonly files: UploadFiles,
    private readonly clock: Clock,
    private readonly objects: ObjectSink,
  ) {}

  /**
   * The bucket's pending uploads on disk. An upload whose object exists already was completed and only its removal
   * was cut short: it goes now.
   */
  async read(bucket: string, objects: Map<string, ObjectMeta>): Promise<BucketUploads> {
    const uploads: BucketUploads = new Map();
    for (const { upload, parts } of await this.files.load(bucket)) {
      // Best effort: a removal that fails now is tried again at the next load.
      if (objects.get(upload.key)?.multipart?.uploadId === upload.uploadId) await this.files.remove(bucket, upload.uploadId).catch(() => undefined);
      else uploads.set(upload.uploadId, toPending({ upload, parts }));
    }
    return uploads;
  }

  /** Makes these the buckets' uploads (a bucket not named has none, nor exists for them). */
  replace(buckets: Map<string, BucketUploads>): void {
    this.byBucket.clear();
    for (const [name, uploads] of buckets) this.byBucket.set(name, uploads);
  }

  addBucket(bucket: string, uploads: BucketUploads): void {
    this.byBucket.set(bucket, uploads);
  }

  /** The bucket is gone, and its folder with the uploads' files: parts still arriving answer NoSuchUpload. */
  forgetBucket(bucket: string): void {
    for (const upload of this.byBucket.get(bucket)?.values() ?? []) upload.ending = true;
    this.byBucket.delete(bucket);
  }

  async create(bucket: string, key: string, options: { contentType: string; userMetadata: Record<string, string> }): Promise<UploadMeta> {
    checkKey(key);
    const uploads = this.uploadsOf(bucket);
    const pending = [...this.byBucket.values()].reduce((sum, each) => sum + each.size, this.creating);
    if (pending >= MAX_PENDING_UPLOADS) {
      throw new S3Error('InvalidRequest', `The local S3 keeps at most ${MAX_PENDING_UPLOADS} pending multipart uploads; complete or abort one first (ListMultipartUploads lists them).`);
    }
    const upload: UploadMeta = { uploadId: randomBytes(24).toString('base64url'), key, initiated: this.clock.now(), ...options };
    this.creating++;
    try {
      await this.files.create(bucket, upload);
    } finally {
      this.creating--;
    }
    if (this.byBucket.get(bucket) !== uploads) {
      // The bucket was deleted (or the state replaced) meanwhile: the upload would belong to nothing.
      await this.files.remove(bucket, upload.uploadId).catch(() => undefined);
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist.');
    }
    uploads.set(upload.uploadId, toPending({ upload, parts: [] }));
    return upload;
  }

  /** Streams one part to disk; the parts together may not exceed the largest object, so a part beyond it fails early. */
  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, options: PartOptions = {}): Promise<PartMeta> {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`);
    }
    const upload = this.pending(bucket, key, uploadId);
    const max = this.objects.maxObjectBytes;
    const budget = max - [...upload.parts.values()].reduce((sum, part) => sum + (part.partNumber === partNumber ? 0 : part.size), 0);
    if (options.declaredSize !== undefined && options.declaredSize > budget) throw entityTooLarge(max);
    let written: WrittenData;
    try {
      written = await this.files.writePart(bucket, uploadId, partNumber, body, [...(options.transforms ?? []), sizeLimit(budget, max)]);
    } catch (error) {
      throw upload.ending ? noSuchUpload() : error;
    }
    try {
      options.verify?.(written);
    } catch (error) {
      await this.files.discardPart(bucket, uploadId, written.dataFile);
      throw error;
    }
    return this.commits.run(`${bucket}/${uploadId}/${partNumber}`, async () => {
      if (upload.ending) {
        await this.files.discardPart(bucket, uploadId, written.dataFile);
        throw noSuchUpload();
      }
      const part: PartMeta = { partNumber, size: written.size, md5: written.md5, lastModified: this.clock.now(), dataFile: written.dataFile };
      await this.files.commitPart(bucket, uploadId, part, upload.parts.get(partNumber));
      upload.parts.set(partNumber, part);
      return part;
    });
  }

  /** Assembles the listed parts into the object (parts not listed are dropped), then ends the upload. */
  async complete(bucket: string, key: string, uploadId: string, listed: CompletedPart[]): Promise<ObjectMeta> {
    const upload = this.pending(bucket, key, uploadId);
    const parts = this.partsToAssemble(upload, listed);
    upload.ending = true;
    let meta: ObjectMeta;
    try {
      const digests = Buffer.concat(parts.map((part) => Buffer.from(part.md5, 'hex')));
      const etag = `${createHash('md5').update(digests).digest('hex')}-${parts.length}`;
      const body = Readable.from(this.concatenation(bucket, uploadId, parts));
      meta = await this.objects.put(bucket, key, body, { contentType: upload.contentType, userMetadata: upload.userMetadata, multipart: { uploadId, etag } });
    } catch (error) {
      upload.ending = false;
      throw error;
    }
    this.byBucket.get(bucket)?.delete(uploadId);
    // The object is whole: an upload whose files cannot be removed now is dropped at the next load, as its object names it.
    await this.files.remove(bucket, uploadId).catch(() => undefined);
    return meta;
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    const upload = this.pending(bucket, key, uploadId);
    upload.ending = true;
    try {
      await this.files.remove(bucket, uploadId);
    } catch (error) {
      upload.ending = false;
      throw error;
    }
    this.byBucket.get(bucket)?.delete(uploadId);
  }

  /** The upload's parts after `after`, by number. */
  listParts(bucket: string, key: string, uploadId: string, options: { after: number; maxParts: number }): { upload: UploadMeta; parts: PartMeta[]; truncated: boolean } {
    const upload = this.find(bucket, key, uploadId);
    const parts = [...upload.parts.values()].filter((part) => part.partNumber > options.after).sort((a, b) => a.partNumber - b.partNumber);
    return { upload, parts: parts.slice(0, options.maxParts), truncated: parts.length > options.maxParts };
  }

  /** Pending uploads by key (UTF-8 order), then by initiation; keys sharing a prefix up to the delimiter are one common prefix. */
  list(bucket: string, options: UploadListOptions): UploadPage {
    return pageOfUploads([...this.uploadsOf(bucket).values()].map(metaOf), options);
  }

  private partsToAssemble(upload: PendingUpload, listed: CompletedPart[]): PartMeta[] {
    if (listed.length === 0) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema: it lists no part.');
    const parts = listed.map((entry, index) => {
      if (index > 0 && entry.partNumber <= listed[index - 1]!.partNumber) {
        throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
      }
      const part = upload.parts.get(entry.partNumber);
      if (!part || entry.etag.replace(/^"|"$/g, '') !== part.md5) {
        throw new S3Error('InvalidPart', `One or more of the specified parts could not be found (part ${entry.partNumber}). The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.`);
      }
      return part;
    });
    const small = parts.slice(0, -1).find((part) => part.size < MIN_PART_BYTES);
    if (small) throw new S3Error('EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size: part ${small.partNumber} is ${small.size} bytes; every part but the last must be at least 5 MiB.`);
    if (parts.reduce((sum, part) => sum + part.size, 0) > this.objects.maxObjectBytes) throw entityTooLarge(this.objects.maxObjectBytes);
    return parts;
  }

  private async *concatenation(bucket: string, uploadId: string, parts: PartMeta[]): AsyncGenerator<Buffer> {
    for (const part of parts) {
      for await (const chunk of await this.files.readPart(bucket, uploadId, part)) yield chunk as Buffer;
    }
  }

  private uploadsOf(bucket: string): BucketUploads {
    const uploads = this.byBucket.get(bucket);
    if (!uploads) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist.');
    return uploads;
  }

  private find(bucket: string, key: string, uploadId: string): PendingUpload {
    const upload = UPLOAD_ID.test(uploadId) ? this.uploadsOf(bucket).get(uploadId) : undefined;
    if (!upload || upload.key !== key) throw noSuchUpload();
    return upload;
  }

  private pending(bucket: string, key: string, uploadId: string): PendingUpload {
    const upload = this.find(bucket, key, uploadId);
    if (upload.ending) throw noSuchUpload();
    return upload;
  }
}

function toPending({ upload, parts }: StoredUpload): PendingUpload {
  return { ...upload, parts: new Map(parts.map((part) => [part.partNumber, part])), ending: false };
}

function metaOf(upload: PendingUpload): UploadMeta {
  return { uploadId: upload.uploadId, key: upload.key, initiated: upload.initiated, contentType: upload.contentType, userMetadata: upload.userMetadata };
}
