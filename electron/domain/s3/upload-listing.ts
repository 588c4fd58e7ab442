import type { UploadMeta } from '../../store/upload-files.js';
import { compareKeys } from './object-rules.js';

export interface UploadListOptions {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads: number;
}

export interface UploadPage {
  uploads: UploadMeta[];
  commonPrefixes: string[];
  /** Where the next page starts, when more follow. */
  next?: { keyMarker: string; uploadIdMarker?: string };
}

/**
 * One page of ListMultipartUploads: by key (UTF-8 order), then by initiation; keys sharing a prefix up to the
 * delimiter are one common prefix, listed once.
 */
export function pageOfUploads(all: UploadMeta[], options: UploadListOptions): UploadPage {
  const prefix = options.prefix ?? '';
  const sorted = all
    .filter((upload) => upload.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated || compareKeys(a.uploadId, b.uploadId));
  const uploads: UploadMeta[] = [];
  const commonPrefixes: string[] = [];
  let next: UploadPage['next'];
  for (const upload of sorted.slice(startOf(sorted, options.keyMarker, options.uploadIdMarker))) {
    const at = options.delimiter ? upload.key.indexOf(options.delimiter, prefix.length) : -1;
    const common = at < 0 ? undefined : upload.key.slice(0, at + options.delimiter!.length);
    if (common !== undefined && common === commonPrefixes.at(-1)) {
      next = { keyMarker: upload.key };
      continue;
    }
    if (uploads.length + commonPrefixes.length === options.maxUploads) return { uploads, commonPrefixes, next: next! };
    if (common !== undefined) {
      commonPrefixes.push(common);
      // A key marker alone skips every upload of that key: the next page starts past the prefix's keys seen so far.
      next = { keyMarker: upload.key };
    } else {
      uploads.push(upload);
      next = { keyMarker: upload.key, uploadIdMarker: upload.uploadId };
    }
  }
  return { uploads, commonPrefixes };
}

/** Where a listing continues: after the marker upload among its key's uploads, or after the marker's key. */
function startOf(sorted: UploadMeta[], keyMarker: string | undefined, uploadIdMarker: string | undefined): number {
  if (keyMarker === undefined) return 0;
  const marker = uploadIdMarker === undefined ? -1 : sorted.findIndex((upload) => upload.key === keyMarker && upload.uploadId === uploadIdMarker);
  if (marker >= 0) return marker + 1;
  const after = sorted.findIndex((upload) => compareKeys(upload.key, keyMarker) > 0 || (upload.key === keyMarker && uploadIdMarker !== undefined && compareKeys(upload.uploadId, uploadIdMarker) > 0));
  return after < 0 ? sorted.length : after;
}
