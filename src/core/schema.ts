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
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** Characters of one column name shown in a message: a whole line taken for one name can run to megabytes. */
const NAME_CHARS = 40;

function listNames(names: string[], max = 12): string {
  const cut = (n: string) => (n.length > NAME_CHARS ? `${n.slice(0, NAME_CHARS)}…` : n);
  const shown = names.slice(0, max).map(cut).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * Why a header without an ID_code column has none, when it can be told: the name in another case (`id_code`),
 * or one field holding every name between spaces (R's write.table writes `"ID_code" "var_0" …` by default).
 */
function idHint(names: string[]): string {
  const other = names.find((n) => n.replace(/^"(.*)"$/, '$1').toLowerCase() === ID_COLUMN.toLowerCase());
  if (other !== undefined)
    return ` Rename ${JSON.stringify(other)} to ${ID_COLUMN} (this case, as in the Kaggle files).`;
  if (names.length === 1 && /(^|[\s"])ID_code("|\s|$)/.test(names[0]) && /\s/.test(names[0].trim())) {
    return (
      " The columns look separated by spaces (as R's write.table writes them): save the file with commas " +
      "(R: write.csv(df, 'customers.csv', row.names = FALSE)) or tabs."
    );
  }
  return '';
}

/** A column name with case, spaces, quotes, '_' and '-' taken away: `VAR_0`, `var 0` and `Var-0` all give `var0`. */
const looseName = (name: string) => name.toLowerCase().replace(/[\s"'_-]/g, '');

/**
 * Why feature columns are missing, when it can be told: the header has them under names that differ only in
 * case, spaces, quotes, '_' or '-' (`VAR_0`, `var 0`), which a spreadsheet or an earlier step may have written.
 */
function featureHint(missing: string[], names: string[]): string {
  const byLoose = new Map<string, string>();
  for (const n of names) if (!byLoose.has(looseName(n))) byLoose.set(looseName(n), n);
  const found = missing.flatMap((m) => {
    const other = byLoose.get(looseName(m));
    return other === undefined ? [] : [`${JSON.stringify(other)} for ${m}`];
  });
  if (found.length === 0) return '';
  const all = found.length === missing.length;
  return (
    ` ${all ? 'All of them are' : `${found.length} of them are`} in the file under other names ` +
    `(${listNames(found, 3)}): rename them as the Kaggle files name them, var_0 … var_199, in lower case.`
  );
}

/** The column that looks like the labels but is not named `target` (`Target`, `TARGET`) when none is; else undefined. */
export function misnamedTarget(columns: Pick<ColumnMap, 'targetIndex' | 'extra'>): string | undefined {
  return columns.targetIndex < 0
    ? columns.extra.find((name) => name.toLowerCase() === TARGET_COLUMN)
    : undefined;
}

/**
 * Matches a header by column name, in any order. Extra columns are listed, not refused.
 * Throws a SchemaError naming the missing or duplicated columns.
 */
export function mapColumns(header: readonly string[], options: { requireTarget?: boolean } = {}): ColumnMap {
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
    throw new SchemaError(
      `No ${ID_COLUMN} column: the header must name it (found: ${listNames([...seen.keys()], 5)}).${idHint([...seen.keys()])}`,
      [ID_COLUMN],
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
    throw new SchemaError(
      `Missing ${missing.length} feature column(s): ${listNames(missing)}.${featureHint(missing, [...seen.keys()])}`,
      missing,
    );
  }
  const targetIndex = seen.get(TARGET_COLUMN) ?? -1;
  const used = new Set<string>([ID_COLUMN, TARGET_COLUMN, ...FEATURE_NAMES]);
  const extra = header.map((h) => h.trim()).filter((h) => !used.has(h));
  if (options.requireTarget && targetIndex < 0) {
    // `Target` or `TARGET`: the labels are there under another case, as the scoring notes say too.
    const other = misnamedTarget({ targetIndex, extra });
    const hint = other
      ? ` Rename ${JSON.stringify(other)} to ${TARGET_COLUMN} (lower case, as in the Kaggle files).`
      : '';
    throw new SchemaError(`No ${TARGET_COLUMN} column: training needs labelled rows.${hint}`, [
      TARGET_COLUMN,
    ]);
  }
  return { idIndex, targetIndex, featureIndex, extra, fieldCount: header.length };
}
