import { invalid } from '../errors.js';
import type { SimulatedDownload } from './aws-job-model.js';
import type { LocalS3 } from '../s3/local-s3.js';
import { parseObjectUrl, type ObjectLocation, type ObjectUrlSigner } from '../s3/object-urls.js';
import { S3Error } from '../s3/s3-errors.js';

/** AWS IoT's limit on a job document. */
const MAX_DOCUMENT_BYTES = 32 * 1024;
/** presignedUrlConfig.expiresInSec when the job does not give it, as in AWS IoT. */
export const DEFAULT_PRESIGNED_EXPIRY_SEC = 3600;

const PRESIGNED_PLACEHOLDER = /\$\{aws:iot:s3-presigned-url:([^}]*)\}/g;

/**
 * Job documents and the local S3: a documentSource read from it, and the `${aws:iot:s3-presigned-url:<S3 URL>}`
 * placeholders AWS IoT replaces with a fresh presigned GET each time it delivers the document to a device.
 */
export class JobDocuments {
  constructor(
    private readonly s3: LocalS3,
    private readonly urls: ObjectUrlSigner,
  ) {}

  /** The document a documentSource names; a missing bucket or object is the client's error, as in AWS IoT. */
  async fromSource(link: string): Promise<string> {
    const { bucket, key } = parseObjectUrl(link, 'documentSource');
    try {
      return await this.s3.readText(bucket, key, MAX_DOCUMENT_BYTES);
    } catch (error) {
      if (error instanceof S3Error && (error.code === 'NoSuchKey' || error.code === 'NoSuchBucket')) {
        throw invalid(`The documentSource ${link} names an S3 object that does not exist (bucket "${bucket}", key "${key}"): ${error.message}`);
      }
      if (error instanceof S3Error) throw invalid(error.message);
      throw error;
    }
  }

  /** Checks every presigned-URL placeholder names an S3 object URL; returns what a simulated device downloads. */
  downloadOf(document: string, expiresInSec: number | undefined): SimulatedDownload | undefined {
    const locations = presignedLocations(document);
    if (locations.length === 0) return undefined;
    const bytes = locations.reduce((sum, { bucket, key }) => sum + this.sizeOf(bucket, key), 0);
    return { bytes, expiresInSec: expiresInSec ?? DEFAULT_PRESIGNED_EXPIRY_SEC };
  }

  /** The document with each presigned-URL placeholder replaced by a GET of the local S3 at `origin`, valid from now. */
  async delivered(document: string, expiresInSec: number | undefined, origin: string): Promise<string> {
    const urls = await Promise.all(
      presignedLocations(document).map(({ bucket, key }) => this.urls.presignGet(origin, bucket, key, expiresInSec ?? DEFAULT_PRESIGNED_EXPIRY_SEC)),
    );
    let next = 0;
    return document.replace(PRESIGNED_PLACEHOLDER, () => urls[next++]!);
  }

  private sizeOf(bucket: string, key: string): number {
    try {
      return this.s3.head(bucket, key).size;
    } catch (error) {
      // Not uploaded yet: AWS IoT does not check either, and the device's download fails when it tries.
      if (error instanceof S3Error) return 0;
      throw error;
    }
  }
}

function presignedLocations(document: string): ObjectLocation[] {
  return [...document.matchAll(PRESIGNED_PLACEHOLDER)].map(([, link]) => parseObjectUrl(link!, 'The ${aws:iot:s3-presigned-url:…} placeholder'));
}
