/** The curl line a user can paste into a POSIX shell to list jobs with the given token. */
export function curlCommand(apiOrigin: string, apiVersion: string, token: string): string {
  const url = `${apiOrigin}/api/jobs?api-version=${encodeURIComponent(apiVersion)}`;
  return `curl -H ${doubleQuoted(`Authorization: ${token}`)} ${doubleQuoted(url)}`;
}

// Inside double quotes a POSIX shell still expands $, ` and \, and " ends the string; a token set through
// FLEETLAB_API_TOKEN may contain any of them.
function doubleQuoted(text: string): string {
  return `"${text.replace(/["$`\\]/g, '\\$&')}"`;
}
