/** Where both parsers put rows: batch arrays, issue reports and field-count rules, so they cannot drift apart. */
import { IdWriter } from '../ids';
import { FEATURE_COUNT, type ColumnMap } from '../schema';
import { cutValue, readNumber, targetOf } from './cell';
import type { IssueKind, ParseOptions, RowBatch } from './types';

/** Role of a header position: a feature index (>= 0) or one of these. */
const ROLE_IGNORE = -1;
/** The ID_code column. */
export const ROLE_ID = -2;
/** The target column. */
export const ROLE_TARGET = -3;

/** Role of each header position. */
function columnRoles(columns: ColumnMap): Int32Array {
  const roles = new Int32Array(columns.fieldCount).fill(ROLE_IGNORE);
  roles[columns.idIndex] = ROLE_ID;
  if (columns.targetIndex >= 0) roles[columns.targetIndex] = ROLE_TARGET;
  columns.featureIndex.forEach((at, j) => (roles[at] = j));
  return roles;
}

/** Accumulates rows into batches of typed arrays and reports issues; owned by one parse run. */
export class RowSink {
  readonly roles: Int32Array;
  readonly fieldCount: number;
  readonly hasTarget: boolean;
  /** Header names (trimmed), for issue reports. */
  readonly names: string[];
  readonly capacity: number;
  features!: Float32Array;
  targets!: Float32Array | null;
  /** The current batch's ids (reused: each batch gets a copy). */
  readonly ids: IdWriter;
  /** Rows in the current batch. */
  count = 0;
  /** Rows completed in the whole run. */
  rows = 0;
  issueCount = 0;
  private firstRow = 1;

  constructor(
    columns: ColumnMap,
    header: readonly string[],
    private readonly options: ParseOptions,
  ) {
    this.roles = columnRoles(columns);
    this.fieldCount = columns.fieldCount;
    this.hasTarget = columns.targetIndex >= 0;
    this.names = header.map((h) => h.trim());
    this.capacity = Math.max(1, Math.floor(options.batchRows ?? 8192));
    this.ids = new IdWriter(this.capacity);
    this.allocate();
  }

  private allocate(): void {
    this.features = new Float32Array(this.capacity * FEATURE_COUNT);
    this.targets = this.hasTarget ? new Float32Array(this.capacity) : null;
    this.ids.reset();
    this.count = 0;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** 1-based number of the row being filled. */
  get row(): number {
    return this.rows + 1;
  }

  issue(column: string, value: string, kind: IssueKind): void {
    this.issueCount++;
    this.options.onIssue?.({ row: this.rows + 1, column, value: cutValue(value), kind });
  }

  /** Marks the row being filled as complete. */
  endRow(): void {
    this.count++;
    this.rows++;
  }

  /**
   * Fills what a short row lacks (from field `present` on) with NaN and reports it; reports a long row.
   * Call after the present fields are stored, before endRow.
   */
  fieldCountIssue(present: number): void {
    if (present < this.fieldCount) {
      const base = this.count * FEATURE_COUNT;
      for (let c = present; c < this.fieldCount; c++) {
        const role = this.roles[c];
        if (role >= 0) this.features[base + role] = NaN;
        else if (role === ROLE_ID) this.ids.push('');
        else if (role === ROLE_TARGET) this.targets![this.count] = NaN;
      }
      this.issue(this.names[present], `${present} of ${this.fieldCount} fields`, 'too-few-fields');
    } else if (present > this.fieldCount) {
      this.issue('', `${present} of ${this.fieldCount} fields`, 'too-many-fields');
    }
  }

  /** Stores one row given as strings (the papaparse path). */
  addFields(fields: readonly string[], decimalComma: boolean): void {
    const n = Math.min(fields.length, this.fieldCount);
    const base = this.count * FEATURE_COUNT;
    for (let c = 0; c < n; c++) {
      const role = this.roles[c];
      if (role === ROLE_IGNORE) continue;
      const text = fields[c];
      if (role === ROLE_ID) {
        this.ids.push(text);
        continue;
      }
      const value = readNumber(text, decimalComma);
      if (role >= 0) {
        if (typeof value === 'number') this.features[base + role] = value;
        else {
          this.features[base + role] = NaN;
          this.issue(this.names[c], text, value);
        }
      } else {
        this.storeTarget(value, text, c);
      }
    }
    this.fieldCountIssue(fields.length);
    this.endRow();
  }

  /** Stores the target cell of the row being filled. */
  storeTarget(value: number | IssueKind, text: string, column: number): void {
    const target = targetOf(value);
    if (target >= 0) this.targets![this.count] = target;
    else {
      this.targets![this.count] = NaN;
      this.issue(this.names[column], text, 'bad-target');
    }
  }

  /** Hands the filled rows to onBatch (awaited) and starts a new batch. */
  async flush(last = false): Promise<void> {
    if (this.count === 0) return;
    const count = this.count;
    const batch: RowBatch = {
      firstRow: this.firstRow,
      count,
      ids: this.ids.finish(),
      // A short last batch gets exact-size buffers, so a transferred buffer holds no stale rows.
      features: count === this.capacity ? this.features : this.features.slice(0, count * FEATURE_COUNT),
      targets: this.targets && (count === this.capacity ? this.targets : this.targets.slice(0, count)),
    };
    this.firstRow += count;
    if (!last) this.allocate();
    await this.options.onBatch(batch);
  }
}
