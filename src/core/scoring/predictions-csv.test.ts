import { describe, expect, it } from 'vitest';
import { packIds } from '../ids';
import { PREDICTIONS_HEADER, predictionLines } from './predictions-csv';

describe('predictionLines', () => {
  it('writes one safe, quoted-as-needed line per row in the range', () => {
    const ids = packIds(['a', '=cmd()', 'x,y', 'plain']);
    const p = new Float32Array([0.5, 0.123456789, 1e-7, 0.25]);
    expect(PREDICTIONS_HEADER).toBe('ID_code,target\n');
    expect(predictionLines(ids, p)).toBe(`a,0.5\n'=cmd(),0.123457\n"x,y",1e-7\nplain,0.25\n`);
    expect(predictionLines(ids, p, 1, 2)).toBe(`'=cmd(),0.123457\n`);
    expect(predictionLines(ids, p, 2, 2)).toBe('');
  });
});
