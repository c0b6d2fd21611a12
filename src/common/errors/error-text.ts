/** An error's message for a log field: the stack of an expected failure is noise. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
