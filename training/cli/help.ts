/** `-h` / `--help` for the command lines: the text on stdout, exit 0, before any other argument is looked at. */

/** True (and `text` printed to stdout) when the arguments ask for help: `-h` or `--help` anywhere among them. */
export function printedHelp(text: string, args: readonly string[] = process.argv.slice(2)): boolean {
  if (!args.includes('--help') && !args.includes('-h')) return false;
  console.log(text);
  return true;
}
