/**
 * AWS IoT's attribute update rules (UpdateThing, UpdateThingGroup): with `merge` the given attributes are laid over
 * the stored ones, else they replace them; either way an attribute given an empty value is removed.
 */
export function attributesAfter(stored: Record<string, string>, given: Record<string, string>, merge: boolean): Record<string, string> {
  const next: Record<string, string> = merge ? { ...stored } : {};
  for (const [name, value] of Object.entries(given)) {
    if (value === '') delete next[name];
    else next[name] = value;
  }
  return next;
}
