/** A failed call. `status` 0 means the API did not answer at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads the IoT Central error shape `{ error: { code, message } }` that both /api and /_fleetlab answer with. */
export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text();
  let code = `Http${response.status}`;
  let message = text.trim() || `The API answered ${response.status} ${response.statusText}.`;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not JSON (e.g. the host guard's plain-text refusal): the text itself is the message.
  }
  return new ApiError(message, response.status, code);
}

/** An API failure in words for the field or form it concerns. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
