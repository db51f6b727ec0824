/** The comparison table `npm run data -- --report` prints: generated rows against the published figures. */
import { auc } from '../../src/core/metrics';
import { FEATURE_COUNT } from '../../src/core/schema';
import {
  publishedFigures,
  REAL_CLASS_ROWS,
  sampleFigures,
  type Statistic,
  STATISTICS,
  standardErrors,
} from './compare';
import type { ReferenceFigures } from './figures';
import { mixtureLogDensity, prepare } from './mixture';
import type { SynthSpec } from './spec';

/** |z| above which a line is flagged. */
const FLAG_Z = 3;

const pad = (text: string, width: number) => text.padStart(width);

/** Lines of the report for rows (row-major [rows, 200] 4-decimal values) drawn from spec. */
export function comparisonReport(
  spec: SynthSpec,
  figures: ReferenceFigures,
  features: Float32Array,
  targets: Uint8Array,
  rows: number,
): string[] {
  const lines: string[] = [];
  const worst = new Map<Statistic, { z: number; where: string; flagged: number }>(
    STATISTICS.map((s) => [s, { z: 0, where: '', flagged: 0 }]),
  );
  const aucGaps: number[] = [];
  lines.push(
    `Generated rows (${rows.toLocaleString('en-US')}) against the real train.csv's published per-class figures ` +
      `(${spec.kind} kind).`,
    `z = (generated - published) / the standard error of the difference between two samples of these sizes ` +
      `(the generated rows and the real ${REAL_CLASS_ROWS[0].toLocaleString('en-US')} / ` +
      `${REAL_CLASS_ROWS[1].toLocaleString('en-US')} rows per class); |z| > ${FLAG_Z} is marked *.`,
    'Single-feature AUC: "rows" is the AUC of the feature\'s own density ratio on the generated rows, "exact" the ' +
      'same under the generator\'s densities, "published" the out-of-fold AUC of the 2nd-place team\'s ' +
      'single-feature model, which also saw how often each value occurs: a little above what the raw value ' +
      'gives, so a comparison, not a target.',
    '',
    [
      'feature'.padEnd(8),
      'class',
      ...STATISTICS.flatMap((s) => [pad(s, 9), pad('published', 10), pad('z', 7)]),
      pad('AUC rows', 9),
      pad('exact', 7),
      pad('published', 10),
    ].join(' '),
  );
  const column = new Float64Array(rows);
  const generated = sampleFigures(features, targets, rows);
  spec.features.forEach((f, j) => {
    const published = figures.features[j];
    for (const cls of [0, 1] as const) {
      const density = cls === 0 ? f.class0 : f.class1;
      const got = generated[j][cls];
      const seGenerated = standardErrors(density, got.count);
      const seReal = standardErrors(density, REAL_CLASS_ROWS[cls]);
      const want = publishedFigures(published, cls);
      const cells = STATISTICS.flatMap((s) => {
        const z = (got[s] - want[s]) / Math.hypot(seGenerated[s], seReal[s]);
        const w = worst.get(s)!;
        if (Math.abs(z) > Math.abs(w.z)) [w.z, w.where] = [z, `${f.name} class ${cls}`];
        if (Math.abs(z) > FLAG_Z) w.flagged++;
        return [
          pad(got[s].toFixed(4), 9),
          pad(want[s].toFixed(4), 10),
          pad(z.toFixed(2) + (Math.abs(z) > FLAG_Z ? '*' : ' '), 7),
        ];
      });
      let aucCells: string[] = [];
      if (cls === 1) {
        const p0 = prepare(f.class0);
        const p1 = prepare(f.class1);
        for (let r = 0; r < rows; r++) {
          const x = features[r * FEATURE_COUNT + j];
          column[r] = mixtureLogDensity(p1, x) - mixtureLogDensity(p0, x);
        }
        const onRows = auc(column, targets);
        aucGaps.push(f.auc - published.auc);
        aucCells = [pad(onRows.toFixed(4), 9), pad(f.auc.toFixed(4), 7), pad(published.auc.toFixed(4), 10)];
      }
      lines.push([f.name.padEnd(8), pad(String(cls), 5), ...cells, ...aucCells].join(' '));
    }
  });
  lines.push('');
  for (const [s, w] of worst) {
    lines.push(
      `${s}: ${w.flagged} of ${2 * FEATURE_COUNT} feature-classes beyond |z| ${FLAG_Z}; largest |z| ` +
        `${Math.abs(w.z).toFixed(2)} (${w.where})`,
    );
  }
  const meanGap = aucGaps.reduce((a, b) => a + b, 0) / aucGaps.length;
  const above = aucGaps.filter((g) => g > 0).length;
  lines.push(
    `single-feature AUC, exact minus published: mean ${meanGap >= 0 ? '+' : ''}${meanGap.toFixed(4)}, ` +
      `above the published figure for ${above} of ${FEATURE_COUNT} features`,
  );
  return lines;
}
