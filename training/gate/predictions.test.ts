import { describe, expect, it } from 'vitest';
import { checkPredictions } from './predictions';

const preds = 'ID_code,target\na,0.9\nb,0.2\nc,0.6\nd,0.1\n';
const labels = 'ID_code,target\nd,0\nc,1\nb,0\na,1\n';

describe('checkPredictions', () => {
  it('counts the rows and computes the AUC matched by id', () => {
    expect(checkPredictions(preds, 4)).toEqual({ rows: 4 });
    expect(checkPredictions(preds, 4, labels)).toEqual({ rows: 4, auc: 1 });
    // Positives c (0.6) and d (0.1) against negatives a (0.9) and b (0.2): only c > b is in order, 1 of 4 pairs.
    expect(checkPredictions(preds, 4, 'ID_code,target\na,0\nb,0\nc,1\nd,1\n').auc).toBe(0.25);
  });

  it('names a wrong header, a wrong row count, a value outside [0, 1] and an unknown id', () => {
    expect(() => checkPredictions('id,p\na,0.5\n', 1)).toThrow(/header is "id,p"/);
    expect(() => checkPredictions(preds, 5)).toThrow(/4 predictions for 5 rows/);
    expect(() => checkPredictions('ID_code,target\na,1.5\n', 1)).toThrow(
      /prediction 1 is not a probability: "a,1.5"/,
    );
    expect(() => checkPredictions('ID_code,target\na,\n', 1)).toThrow(
      /prediction 1 is not a probability: "a,"/,
    );
    expect(() => checkPredictions('ID_code,target\na,NaN\n', 1)).toThrow(/not a probability/);
    expect(() => checkPredictions(preds, 4, 'ID_code,target\na,1\n')).toThrow(/no label for id "b"/);
  });
});
