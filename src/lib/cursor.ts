/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Clients pass
 * them back unchanged and never build one, so the key can change shape without an API change.
 * Decoding never throws: a cursor that is not ours comes back as undefined (the caller answers
 * validation_failed).
 */
export type CursorPart = string | number;

export function encodeCursor(parts: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** The parts, if the cursor decodes to exactly this many strings/integers of the given kinds. */
export function decodeCursor<K extends ReadonlyArray<'string' | 'int'>>(
  cursor: string,
  kinds: K,
): { [I in keyof K]: K[I] extends 'int' ? number : string } | undefined {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== kinds.length) return undefined;
  const ok = kinds.every((k, i) =>
    k === 'int' ? Number.isSafeInteger(parts[i]) : typeof parts[i] === 'string' && (parts[i] as string).length <= 300,
  );
  return ok ? (parts as { [I in keyof K]: K[I] extends 'int' ? number : string }) : undefined;
}
