/** Short tick labels for the AUC-over-versions chart, where full version names ran into each other on a phone. */

/**
 * The versions without the part every one of them shares up to a `-` (`387c459c-s1.1`, `387c459c-s1.2` ->
 * `s1.1`, `s1.2`, prefix `387c459c-`); the names as they are when they share none, or when there is one.
 */
export function versionLabels(versions: readonly string[]): { prefix: string; labels: string[] } {
  if (versions.length < 2) return { prefix: '', labels: [...versions] };
  let prefix = versions[0].slice(0, versions[0].lastIndexOf('-') + 1);
  while (prefix && !versions.every((v) => v.startsWith(prefix) && v.length > prefix.length)) {
    prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('-') + 1);
  }
  return { prefix, labels: versions.map((v) => v.slice(prefix.length)) };
}
