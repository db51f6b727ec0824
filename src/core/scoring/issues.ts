/** Cell and row problems the parser reported, condensed for display: counts, affected rows, first examples. */

/** A problem with one cell or row, as the CSV reader reports it. */
export interface CellIssue {
  /** 1-based data-row number. */
  row: number;
  column: string;
  value: string;
  kind: string;
}

/** What the app shows about a file's bad cells. */
export interface IssueDigest {
  /** Number of issues reported. */
  total: number;
  /** Number of distinct rows with at least one issue. */
  rows: number;
  /** Issues per kind. */
  byKind: Record<string, number>;
  /** The first issues, in file order. */
  examples: CellIssue[];
}

/** Collects issues in file order with bounded memory (only the first `keep` are stored). */
export class IssueLog {
  private total = 0;
  private rows = 0;
  private lastRow = -1;
  private readonly byKind: Record<string, number> = {};
  private readonly examples: CellIssue[] = [];

  constructor(private readonly keep = 20) {}

  /** Records one issue; rows arrive in file order, so a changed row number is a new affected row. */
  add(issue: CellIssue): void {
    this.total++;
    if (issue.row !== this.lastRow) {
      this.rows++;
      this.lastRow = issue.row;
    }
    this.byKind[issue.kind] = (this.byKind[issue.kind] ?? 0) + 1;
    if (this.examples.length < this.keep) this.examples.push({ ...issue });
  }

  /** The digest so far. */
  digest(): IssueDigest {
    return { total: this.total, rows: this.rows, byKind: { ...this.byKind }, examples: [...this.examples] };
  }
}
