/** Brings the first field with an error into view once the form has rendered its messages. */
export function focusFirstError(): void {
  queueMicrotask(() => document.querySelector<HTMLElement>('[aria-invalid="true"], .field-error')?.scrollIntoView({ block: 'center' }));
}
