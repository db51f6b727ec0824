/**
 * What a thrown error means to the user when a whole file cannot be scored, as one sentence naming the file.
 * The reader's errors (CsvError, SchemaError, FileError) already say what is wrong in the user's words, a broken
 * gzip or zip included (the input layer's FileError); any other error (a worker that died, a bug) is passed on as
 * it is, never guessed from the file's name.
 */
export function fileProblemMessage(error: unknown, fileName: string): string {
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'AbortError') return `Cancelled: ${fileName} was not scored.`;
  return `Cannot score ${fileName}: ${e.message}`;
}
