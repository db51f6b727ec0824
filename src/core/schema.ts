/** The Kaggle "Santander Customer Transaction Prediction" file layout, shared by training, worker and app. */

/** Number of anonymised features (`var_0` .. `var_199`). */
export const FEATURE_COUNT = 200;
/** Feature column names in model order. */
export const FEATURE_NAMES: readonly string[] = Array.from({ length: FEATURE_COUNT }, (_, i) => `var_${i}`);
/** Customer id column. */
export const ID_COLUMN = 'ID_code';
/** Label column, present in train.csv only. */
export const TARGET_COLUMN = 'target';

/** Where each needed column sits in a file's header. */
export interface ColumnMap {
  /** Index of `ID_code` in the header. */
  idIndex: number;
  /** Index of `target`, or -1 when the file has no labels. */
  targetIndex: number;
  /** `featureIndex[j]` is the header index of `var_j`. */
  featureIndex: Int32Array;
  /** Header names that the model does not use, in file order. */
  extra: string[];
  /** Number of fields the header has; every row should have as many. */
  fieldCount: number;
}

/** A problem with the file's layout (not with one cell): missing, duplicated or unnamed columns. */
export class SchemaError extends Error {
  constructor(
    message: string,
    /** Column names the message is about. */
    readonly columns: string[] = [],
    /**
     * No target column, for training: the columns whose names say they may hold the labels (`label`, `y`,
     * `is_transaction`, …; not `Target`, which the message names already), for a check of their values.
     */
    readonly labelCandidates: string[] = [],
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** Names (loose: no case, spaces, '_' or '-') a column holding the labels may have instead of `target`. */
const LABEL_NAMES = new Set([
  'label',
  'labels',
  'y',
  'class',
  'outcome',
  'response',
  'flag',
  'istransaction',
  'transaction',
  'hastransaction',
  'madetransaction',
  'transacted',
]);

/** Characters of one column name shown in a message: a whole line taken for one name can run to megabytes. */
const NAME_CHARS = 40;

const cutName = (n: string) => (n.length > NAME_CHARS ? `${n.slice(0, NAME_CHARS)}…` : n);

function listNames(names: string[], max = 12, cut = cutName): string {
  const shown = names.slice(0, max).map(cut).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Names of the invisible characters a header may carry (copied from a web page, a word processor or an editor). */
const INVISIBLE_NAMES: Record<number, string> = {
  0x00a0: 'NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2004: 'THREE-PER-EM SPACE',
  0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2008: 'PUNCTUATION SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (a byte order mark)',
};

/**
 * Characters that show as nothing or as a plain space: Unicode's format characters (zero-width spaces and
 * joiners, direction marks, a byte order mark inside a line) and every space but the ASCII one.
 */
const INVISIBLE = /[\p{Cf}\p{Zs}\u2028\u2029\u180e]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
const isInvisible = (ch: string) => ch !== ' ' && INVISIBLE.test(ch);

/** A name without its invisible characters (ASCII spaces are kept: they are visible, and trimmed elsewhere). */
export function withoutInvisible(name: string): string {
  return name.replace(INVISIBLE_ALL, (ch) => (ch === ' ' ? ch : ''));
}

/** "U+200B ZERO WIDTH SPACE" */
function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} ${INVISIBLE_NAMES[code] ?? '(an invisible formatting character)'}`;
}

/**
 * A header name with invisible characters, in words: `"var_1" followed by an invisible U+200B ZERO WIDTH SPACE`,
 * `"ID_code" preceded by …`, `"var" and "_1" with an invisible … between them`.
 */
function describeInvisible(name: string): string {
  const chars = [...name];
  const kinds = [...new Set(chars.filter(isInvisible))];
  const what = `${kinds.length === 1 ? 'an invisible' : 'invisible'} ${kinds.map(describeChar).join(' and ')}`;
  const first = chars.findIndex((c) => !isInvisible(c));
  const last = chars.length - 1 - [...chars].reverse().findIndex((c) => !isInvisible(c));
  const visible = withoutInvisible(name);
  if (first < 0) return `made only of ${what}`;
  const inside = chars.slice(first, last + 1).some(isInvisible);
  if (!inside && first === 0) return `${JSON.stringify(visible)} followed by ${what}`;
  if (!inside && last === chars.length - 1) return `${JSON.stringify(visible)} preceded by ${what}`;
  const parts = name
    .split(INVISIBLE_ALL)
    .filter((p) => p !== '' && p !== ' ')
    .map((p) => JSON.stringify(p));
  return `${parts.join(' and ')} with ${what} ${inside && parts.length > 1 ? 'between them' : 'around it'}`;
}

/**
 * The column a needed name is missing for because the header has it with invisible characters (column 3 named
 * `var_1` + U+200B); a SchemaError that says so, or null.
 */
function invisibleError(missing: string[], header: readonly string[]): SchemaError | null {
  const found: string[] = [];
  const names: string[] = [];
  for (const m of missing) {
    const at = header.findIndex((h) => h.trim() !== m && withoutInvisible(h).trim() === m);
    if (at < 0) continue;
    names.push(m);
    found.push(`column ${at + 1}'s name is ${describeInvisible(header[at].trim())}`);
  }
  if (found.length === 0) return null;
  const sentence =
    found.length === 1
      ? found[0]
      : `${found.slice(0, 3).join('; ')}${found.length > 3 ? `; and ${found.length - 3} more` : ''}`;
  const lacks =
    names.length === 1 ? `so the file has no ${names[0]} column` : `so the file lacks ${listNames(names, 3)}`;
  return new SchemaError(
    `${sentence[0].toUpperCase()}${sentence.slice(1)}, ${lacks}: delete the invisible ${found.length === 1 ? 'character' : 'characters'} from the header (such characters come with names copied from a web page or a document).`,
    names,
  );
}

/**
 * A column name with case, spaces, quotes, '_' and '-' (and invisible characters) taken away: `VAR_0`, `var 0`
 * and `Var-0` all give `var0`.
 */
const looseName = (name: string) =>
  withoutInvisible(name)
    .toLowerCase()
    .replace(/[\s"'_-]/g, '');

/** A name in quotes, saying which invisible characters it holds: `"var 1" (with a U+00A0 NO-BREAK SPACE in it)`. */
export function quotedName(name: string): string {
  const kinds = [...new Set([...name].filter(isInvisible))];
  return kinds.length === 0
    ? JSON.stringify(name)
    : `${JSON.stringify(name)} (with ${kinds.length === 1 ? 'a ' : ''}${kinds.map(describeChar).join(' and ')} in it)`;
}

/**
 * Why a header without an ID_code column has none, when it can be told: the name in another case (`id_code`),
 * or one field holding every name between spaces (R's write.table writes `"ID_code" "var_0" …` by default).
 */
function idHint(names: string[]): string {
  const other = names.find((n) => n.replace(/^"(.*)"$/, '$1').toLowerCase() === ID_COLUMN.toLowerCase());
  if (other !== undefined)
    return ` Rename ${JSON.stringify(other)} to ${ID_COLUMN} (this case, as in the Kaggle files).`;
  const loose = names.find((n) => looseName(n) === looseName(ID_COLUMN));
  if (loose !== undefined) return ` Rename ${quotedName(loose)} to ${ID_COLUMN} (as in the Kaggle files).`;
  if (names.length === 1 && /(^|[\s"])ID_code("|\s|$)/.test(names[0]) && /\s/.test(names[0].trim())) {
    return (
      " The columns look separated by spaces (as R's write.table writes them): save the file with commas " +
      "(R: write.csv(df, 'customers.csv', row.names = FALSE)) or tabs."
    );
  }
  return '';
}

/**
 * Why feature columns are missing, when it can be told: the header has them under names that differ only in
 * case, spaces, quotes, '_' or '-' (`VAR_0`, `var 0`), which a spreadsheet or an earlier step may have written.
 */
function featureHint(missing: string[], names: string[]): string {
  const byLoose = new Map<string, string>();
  for (const n of names) if (!byLoose.has(looseName(n))) byLoose.set(looseName(n), n);
  const found = missing.flatMap((m) => {
    const other = byLoose.get(looseName(m));
    return other === undefined ? [] : [`${quotedName(cutName(other))} for ${m}`];
  });
  if (found.length === 0) return '';
  const all = found.length === missing.length;
  return (
    ` ${all ? 'All of them are' : `${found.length} of them are`} in the file under other names ` +
    `(${listNames(found, 3, (n) => n)}): rename them as the Kaggle files name them, var_0 … var_199, in lower case.`
  );
}

/**
 * The column that looks like the labels but is not named `target` (`Target`, `TARGET`, `target` with an invisible
 * character) when none is; else undefined.
 */
export function misnamedTarget(columns: Pick<ColumnMap, 'targetIndex' | 'extra'>): string | undefined {
  return columns.targetIndex < 0
    ? columns.extra.find((name) => withoutInvisible(name).trim().toLowerCase() === TARGET_COLUMN)
    : undefined;
}

/**
 * Matches a header by column name, in any order. Extra columns are listed, not refused.
 * Throws a SchemaError naming the missing or duplicated columns.
 */
export function mapColumns(
  header: readonly string[],
  options: { requireTarget?: boolean; targetColumn?: string } = {},
): ColumnMap {
  const targetColumn = options.targetColumn ?? TARGET_COLUMN;
  const seen = new Map<string, number>();
  const duplicated: string[] = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (seen.has(name)) {
      if (!duplicated.includes(name)) duplicated.push(name);
    } else seen.set(name, i);
  });
  if (duplicated.length > 0) {
    throw new SchemaError(`Duplicated column names: ${listNames(duplicated)}.`, duplicated);
  }
  const idIndex = seen.get(ID_COLUMN);
  if (idIndex === undefined) {
    throw (
      invisibleError([ID_COLUMN], header) ??
      new SchemaError(
        `No ${ID_COLUMN} column: the header must name it (found: ${listNames([...seen.keys()], 5)}).${idHint([...seen.keys()])}`,
        [ID_COLUMN],
      )
    );
  }
  const featureIndex = new Int32Array(FEATURE_COUNT);
  const missing: string[] = [];
  FEATURE_NAMES.forEach((name, j) => {
    const at = seen.get(name);
    if (at === undefined) missing.push(name);
    else featureIndex[j] = at;
  });
  if (missing.length > 0) {
    throw (
      invisibleError(missing, header) ??
      new SchemaError(
        `Missing ${missing.length} feature column(s): ${listNames(missing)}.${featureHint(missing, [...seen.keys()])}`,
        missing,
      )
    );
  }
  const targetIndex = seen.get(targetColumn) ?? -1;
  const used = new Set<string>([ID_COLUMN, targetColumn, ...FEATURE_NAMES]);
  const extra = header.map((h) => h.trim()).filter((h) => !used.has(h));
  if (options.requireTarget && targetIndex < 0) {
    // `Target` or `TARGET`: the labels are there under another case, as the scoring notes say too.
    const other = misnamedTarget({ targetIndex, extra });
    const hint = other
      ? ` Rename ${JSON.stringify(other)} to ${TARGET_COLUMN} (lower case, as in the Kaggle files).`
      : '';
    throw (
      invisibleError([TARGET_COLUMN], header) ??
      new SchemaError(
        `No ${TARGET_COLUMN} column: training needs labelled rows.${hint}`,
        [TARGET_COLUMN],
        other ? [] : extra.filter((name) => LABEL_NAMES.has(looseName(name))),
      )
    );
  }
  return { idIndex, targetIndex, featureIndex, extra, fieldCount: header.length };
}
