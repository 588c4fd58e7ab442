/** The environment variable the UI's curl lines read the token from: the UI itself never holds one. */
export const TOKEN_VARIABLE = 'FLEETLAB_API_TOKEN';

/** The curl line a user can paste into a POSIX shell to list jobs, with their token in $FLEETLAB_API_TOKEN. */
export function curlCommand(apiOrigin: string, apiVersion: string): string {
  const url = `${apiOrigin}/api/jobs?api-version=${encodeURIComponent(apiVersion)}`;
  return `curl -H "Authorization: $${TOKEN_VARIABLE}" ${doubleQuoted(url)}`;
}

// Inside double quotes a POSIX shell still expands $, ` and \, and " ends the string.
function doubleQuoted(text: string): string {
  return `"${text.replace(/["$`\\]/g, '\\$&')}"`;
}
