/** The row issues in the user's words: one issue (`describeIssue`) and a whole file's digest (`summarizeIssues`). */

import {
  DUPLICATE_ID,
  isYesNoWord,
  NO_ID,
  type IssueLike,
  type RowIssueDigest,
  type YesNoTargets,
} from './types';

/** Not a reader's kind: the empty ones among the bad targets, counted apart in the summary. */
const EMPTY_TARGET = 'empty-target';
/** Not a reader's kind: the yes/no words among the bad targets, counted apart in the summary. */
const YES_NO_TARGET = 'yes-no-target';

const KIND_TEXT: Record<string, [one: string, many: string]> = {
  empty: ['empty cell', 'empty cells'],
  missing: ['missing value (NA, null, …)', 'missing values (NA, null, …)'],
  'non-numeric': ['non-numeric cell', 'non-numeric cells'],
  'non-finite': ['non-finite value (NaN, inf or too large)', 'non-finite values (NaN, inf or too large)'],
  'too-few-fields': ['row with too few fields', 'rows with too few fields'],
  'too-many-fields': ['row with too many fields', 'rows with too many fields'],
  'bad-target': [
    'target not 0 or 1 (left out of the evaluation)',
    'targets not 0 or 1 (left out of the evaluation)',
  ],
  [YES_NO_TARGET]: [
    'target written as yes/no (left out of the evaluation)',
    'targets written as yes/no (left out of the evaluation)',
  ],
  [EMPTY_TARGET]: [
    'empty target (no label; left out of the evaluation)',
    'empty targets (no label; left out of the evaluation)',
  ],
  'far-outside': [
    'value far outside the training range (scored as missing)',
    'values far outside the training range (scored as missing)',
  ],
  [DUPLICATE_ID]: ['repeated ID_code', 'repeated ID_codes'],
  [NO_ID]: ['row without an ID_code (not scored)', 'rows without an ID_code (not scored)'],
};

function plural(n: number, kind: string): string {
  const [one, many] = KIND_TEXT[kind] ?? [`${kind} issue`, `${kind} issues`];
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** One issue in words, e.g. `row 12, var_3: "abc" is not a number`. */
export function describeIssue(issue: IssueLike): string {
  return describe(issue, true);
}

/** One issue of a pasted row (the only row) in words, without its row number: `var_3: "abc" is not a number`. */
export function describePastedIssue(issue: IssueLike): string {
  return describe(issue, false);
}

function describe(issue: IssueLike, withRow: boolean): string {
  const rowAt = withRow ? `row ${issue.row}` : 'the row';
  const at = withRow ? `${rowAt}, ${issue.column}` : issue.column;
  const value = JSON.stringify(issue.value);
  switch (issue.kind) {
    case 'empty':
      return `${at}: empty`;
    case 'missing':
      return `${at}: ${value} (a missing value)`;
    case 'non-numeric':
      return `${at}: ${value} is not a number`;
    case 'non-finite':
      return `${at}: ${value} is not a finite number`;
    case 'too-few-fields':
      return `${rowAt}: too few fields${issue.value ? ` (${issue.value})` : ''}; the missing cells count as missing`;
    case 'too-many-fields':
      // RowSink.fieldCountIssue: only a row whose extra fields hold something (empty ones are not an issue).
      return (
        `${rowAt}: too many fields${issue.value ? ` (${issue.value})` : ''}; its values may be in the wrong ` +
        'columns (an unquoted comma?), so none is used: scored as if every value were missing'
      );
    case 'bad-target':
      // An empty label is what pandas writes for NaN: a customer without a label, not a wrong one.
      return issue.value.trim() === '' ? `${at}: empty (no label)` : `${at}: ${value} is not 0 or 1`;
    case 'far-outside':
      return `${at}: ${issue.value} is far outside every value the model was trained on (a unit or typing error?); scored as missing`;
    case DUPLICATE_ID:
      return `${rowAt}: ID_code ${value} appeared before`;
    case NO_ID:
      return `${rowAt}: no ID_code`;
    default:
      return `${at}: ${issue.kind} ${value}`;
  }
}

/**
 * Plain-language summary of a digest for the results page (its `message`); empty when nothing is wrong.
 * `idLimit` is the repeated-id check's limit, named when the check outgrew it.
 */
export function summarizeIssues(d: RowIssueDigest, idLimit: number): string {
  const parts: string[] = [];
  // An empty target is no label, not a wrong one: counted apart from the targets that are not 0 or 1, and not at
  // all when the whole column is empty (said once, first).
  const yesNo = d.yesNoTargets?.count ?? 0;
  const badTargets = (d.byKind['bad-target'] ?? 0) - d.emptyTargets - yesNo;
  const counted: [kind: string, n: number][] = [];
  for (const kind of Object.keys(d.byKind)) {
    if (kind !== 'bad-target') counted.push([kind, d.byKind[kind]]);
    else {
      if (badTargets > 0) counted.push([kind, badTargets]);
      if (yesNo > 0) counted.push([YES_NO_TARGET, yesNo]);
      if (d.emptyTargets > 0 && !d.targetColumnEmpty) counted.push([EMPTY_TARGET, d.emptyTargets]);
    }
  }
  if (d.targetColumnEmpty) {
    parts.push(
      'The target column is empty: the file is scored but not evaluated (no row has a label to check the ' +
        'model on).',
    );
  }
  if (counted.length > 0) {
    const counts = counted.map(([k, n]) => plural(n, k)).join(', ');
    // With an empty target column every row is "affected": the count would say nothing.
    parts.push(
      d.targetColumnEmpty
        ? `Other issues: ${counts}.`
        : `${d.rows.toLocaleString('en-US')} row${d.rows === 1 ? '' : 's'} affected: ${counts}.`,
    );
  }
  const noId = d.byKind[NO_ID] ?? 0;
  if (noId > 0) {
    const first = d.examples.filter((e) => e.kind === NO_ID).slice(0, 3);
    parts.push(
      'Rows with values but no ID_code were not scored (predictions.csv could not name them)' +
        `${first.length > 0 ? `. First: ${first.map(describeIssue).join('; ')}` : ''}.`,
    );
  }
  const cellExamples = d.examples.filter(
    (e) => e.kind !== DUPLICATE_ID && e.kind !== NO_ID && e.kind !== 'bad-target',
  );
  const targetExamples = d.examples.filter(
    (e) =>
      e.kind === 'bad-target' && !(d.targetColumnEmpty && e.value.trim() === '') && !isYesNoWord(e.value),
  );
  const scored = noId > 0 ? 'Every other row was scored' : 'Every row was scored and none was dropped';
  if (cellExamples.length > 0) {
    parts.push(
      `${scored}: a bad or missing cell counts as missing, which gives the neutral contribution. First: ` +
        `${cellExamples.slice(0, 3).map(describeIssue).join('; ')}.`,
    );
  }
  if (targetExamples.length > 0) {
    // The target is not a feature: a bad label changes no score, only what the evaluation can use.
    const what =
      badTargets === 0
        ? 'an empty target'
        : d.emptyTargets > 0
          ? 'a target that is empty or not 0 or 1'
          : 'a target that is not 0 or 1';
    const lead =
      cellExamples.length > 0 || d.targetColumnEmpty
        ? what[0].toUpperCase() + what.slice(1)
        : `${scored}; ${what}`;
    parts.push(
      `${lead} is left out of the evaluation on your labels. First: ` +
        `${targetExamples.slice(0, 3).map(describeIssue).join('; ')}.`,
    );
  }
  if (d.yesNoTargets) {
    const lead = cellExamples.length > 0 || targetExamples.length > 0 ? 'The' : `${scored}; the`;
    parts.push(
      `${lead} ${yesNoTargetText(d.yesNoTargets)} to evaluate the model on your labels (until then those rows ` +
        'are left out of the evaluation).',
    );
  }
  if (d.duplicates.rows > 0) {
    const first = d.duplicates.examples[0];
    parts.push(
      `Rows with a repeated ID_code were all kept and scored (first: ${JSON.stringify(first.id)} at row ` +
        `${first.row}, first seen at row ${first.firstRow}).`,
    );
  }
  if (!d.duplicates.complete) {
    parts.push(
      `Repeated ids were checked on the first ${d.duplicates.checkedRows.toLocaleString('en-US')} rows only ` +
        `(${idLimit.toLocaleString('en-US')} distinct ids is the limit).`,
    );
  }
  if (!d.detailsComplete) parts.push('The affected-rows list gives full details for the first issues only.');
  return parts.join(' ');
}

/**
 * What a target column holding yes/no words says to do, naming the spellings found (yes-words first) and the
 * first one's row: `target holds yes/no, not 1/0 (first: row 3, "no"); recode it as 1/0`.
 */
export function yesNoTargetText(y: YesNoTargets): string {
  const yesFirst = (w: string) => (/^y/i.test(w) ? 0 : 1);
  const words = [...y.words].sort((a, b) => yesFirst(a) - yesFirst(b)).join('/');
  return `target holds ${words}, not 1/0 (first: row ${y.first.row}, ${JSON.stringify(y.first.value)}); recode it as 1/0`;
}
