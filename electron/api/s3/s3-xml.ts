/** The little XML the local S3 answers with: S3's documents are flat enough to write by hand, escaped. */
type XmlValue = string | number | boolean | undefined | XmlElement | XmlElement[];
interface XmlElement {
  [name: string]: XmlValue;
}

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => render(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([child, inner]) => render(child, inner)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole S3 response document: the root element in S3's namespace. */
export function xmlDocument(root: string, body: XmlElement, withNamespace = true): string {
  const inner = Object.entries(body).map(([name, value]) => render(name, value)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${withNamespace ? ` xmlns="${NAMESPACE}"` : ''}>${inner}</${root}>`;
}

/** S3 timestamps in XML: ISO 8601 with milliseconds. */
export const xmlTime = (ms: number) => new Date(ms).toISOString();
