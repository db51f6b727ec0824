/** What the row-issue collector takes in and gives out: the kinds of problem row and the digest the page shows. */

import type { PackedIds } from '../ids';

/** One problem cell or row, as the CSV reader reports it (RowIssue in src/core/csv). */
export interface IssueLike {
  /** 1-based data-row number (row 1 = the first row after the header). */
  row: number;
  column: string;
  value: string;
  kind: string;
}

/** The rows of a batch, as far as this module needs them (the reader's RowBatch fits). */
export interface BatchIds {
  firstRow: number;
  count: number;
  ids: PackedIds;
}

/** Kind used for a row whose ID_code appeared on an earlier row. */
export const DUPLICATE_ID = 'duplicate-id';
/** Kind written in the affected-rows CSV for rows whose details were not kept (over `detailLimit`). */
export const NOT_LISTED = 'not-listed';

/** Limits that bound memory; the defaults suit a 200,000-row file with room to spare. */
export interface RowIssueLimits {
  /** Examples kept for display. */
  examples?: number;
  /** Issues whose column, kind and value are kept for the affected-rows CSV. */
  detailLimit?: number;
  /** Distinct ids remembered for the repeated-id check. */
  idLimit?: number;
}

/** A repeated ID_code. */
export interface DuplicateExample {
  id: string;
  row: number;
  /** Row where the id first appeared. */
  firstRow: number;
}

/**
 * A target written as a yes/no word (`yes`, `No`, `Y`, …; trimmed), as a survey export or a spreadsheet's Yes/No
 * column holds it. Not read as a label (which word is the transaction is the user's to say), but named, so the
 * message can say what to recode.
 */
export function isYesNoWord(text: string): boolean {
  return /^(?:yes|no|y|n)$/i.test(text.trim());
}

/** Targets written as yes/no words: which spellings, how many, and the first one. */
export interface YesNoTargets {
  count: number;
  /** The distinct spellings found, in the order met (`no`, `yes`, `Yes`, …). */
  words: string[];
  /** The first such target cell. */
  first: IssueLike;
}

/** What the app shows about a file's problem rows. */
export interface RowIssueDigest {
  /** Issues reported, repeated ids included. */
  total: number;
  /** Distinct affected rows. */
  rows: number;
  byKind: Record<string, number>;
  /** The first issues, in file order (repeated ids included). */
  examples: IssueLike[];
  duplicates: {
    /** Rows whose id appeared earlier. */
    rows: number;
    examples: DuplicateExample[];
    /** Rows the repeated-id check covered; less than the file's rows when it outgrew `idLimit`. */
    checkedRows: number;
    complete: boolean;
  };
  /** False when some issues' details were not kept (the CSV marks those rows `not-listed`). */
  detailsComplete: boolean;
  /** Target cells that are empty (no label), counted in `byKind['bad-target']` too. */
  emptyTargets: number;
  /** True when the file has a target column and every scored row's target cell is empty: nothing to evaluate. */
  targetColumnEmpty: boolean;
  /** Targets written as yes/no words (`yes`, `No`, `Y`, …), counted in `byKind['bad-target']` too; null if none. */
  yesNoTargets: YesNoTargets | null;
  /** Plain-language summary for the results page; empty when nothing is wrong. */
  message: string;
}

/** Kind of a row with values but an empty ID_code (not scored). */
export const NO_ID = 'no-id';
