export const REDACTED = '(redacted)';

// An IoT Central token value anywhere: `SharedAccessSignature sr=…&sig=…&skn=…&se=…`, up to the end of its string.
const SAS_TOKEN = /SharedAccessSignature\s+[^"\s\\]*/g;
// JSON members that carry a secret: API token values, device symmetric keys, AWS secret keys and session tokens.
const SECRET_MEMBER = /"(token|primaryKey|secondaryKey|secretAccessKey|sessionToken)"(\s*:\s*)"(?:[^"\\]|\\.)*("?)/g;

/**
 * The text with every secret value replaced by "(redacted)". It works on text rather than parsed JSON, so that
 * malformed or truncated bodies are redacted as well, and a member cut off by truncation loses what is left of it.
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_MEMBER, (_match, name: string, colon: string) => `"${name}"${colon}"${REDACTED}"`).replace(SAS_TOKEN, `SharedAccessSignature ${REDACTED}`);
}
