import { describe, expect, it } from 'vitest';
import { calibrationSeries } from './calibration-series';

describe('calibrationSeries', () => {
  it('draws the diagonal from 0 to 1 and leaves the observed series empty beyond the groups', () => {
    const [x, observed, diagonal] = calibrationSeries([
      { predicted: 0.02, observed: 0.01 },
      { predicted: 0.3, observed: 0.35 },
    ]);
    expect(x).toEqual([0, 0.02, 0.3, 1]);
    expect(observed).toEqual([null, 0.01, 0.35, null]);
    expect(diagonal).toEqual(x);
  });

  it('still spans 0 to 1 with no groups', () => {
    expect(calibrationSeries([])).toEqual([
      [0, 1],
      [null, null],
      [0, 1],
    ]);
  });
});
