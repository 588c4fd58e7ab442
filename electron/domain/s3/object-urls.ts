import { invalid } from '../errors.js';

/** An object of the local S3 that a job names. */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

/** Makes presigned GET URLs of the local S3 (implemented by the API layer, which holds the credentials). */
export interface ObjectUrlSigner {
  /** A URL at `origin` (the address the device reached the emulator at) valid for `expiresInSec` of simulation time. */
  presignGet(origin: string, bucket: string, key: string, expiresInSec: number): Promise<string>;
}

const S3_HOST = /^s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;
const VIRTUAL_HOST = /^(.+)\.s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;

/**
 * The bucket and key an S3 link names: `s3://<bucket>/<key>`, path-style `https://s3[.<region>].amazonaws.com/<bucket>/<key>`,
 * virtual-hosted `https://<bucket>.s3[.<region>].amazonaws.com/<key>`, or the local S3's own `<origin>/s3/<bucket>/<key>`.
 */
export function parseObjectUrl(link: string, member: string): ObjectLocation {
  const bad = () => invalid(`${member} "${link}" is not an S3 object URL (s3://<bucket>/<key>, https://s3.amazonaws.com/<bucket>/<key> or https://<bucket>.s3.amazonaws.com/<key>).`);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw bad();
  }
  const segments = url.pathname.split('/').slice(1);
  const decode = (parts: string[]) => {
    try {
      return parts.map(decodeURIComponent).join('/');
    } catch {
      throw bad();
    }
  };
  let location: ObjectLocation | undefined;
  if (url.protocol === 's3:') location = { bucket: url.hostname, key: decode(segments) };
  else if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad();
  else if (S3_HOST.test(url.hostname)) location = { bucket: segments[0] ?? '', key: decode(segments.slice(1)) };
  else if (VIRTUAL_HOST.test(url.hostname)) location = { bucket: VIRTUAL_HOST.exec(url.hostname)![1]!, key: decode(segments) };
  else if (segments[0] === 's3') location = { bucket: segments[1] ?? '', key: decode(segments.slice(2)) };
  if (!location || location.bucket === '' || location.key === '') throw bad();
  return location;
}
