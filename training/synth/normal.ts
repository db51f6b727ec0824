/** Normal distribution helpers for the generator's calibration (double precision, no dependencies). */

/** log(sqrt(2 pi)). */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Complementary error function, W. J. Cody's rational approximations (relative error below 1e-15). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 0.5) {
    const t = z * z;
    const top =
      (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t +
        377.485237685302021) *
        t +
      3209.37758913846947;
    const bot =
      (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t +
      2844.23683343917062;
    r = 1 - (z * top) / bot;
  } else if (z < 4) {
    const top =
      (((((((2.15311535474403846e-8 * z + 0.564188496988670089) * z + 8.88314979438837594) * z +
        66.1191906371416295) *
        z +
        298.635138197400131) *
        z +
        881.95222124176909) *
        z +
        1712.04761263407058) *
        z +
        2051.07837782607147) *
        z +
      1230.33935479799725;
    const bot =
      (((((((z + 15.7449261107098347) * z + 117.693950891312499) * z + 537.181101862009858) * z +
        1621.38957456669019) *
        z +
        3290.79923573345963) *
        z +
        4362.61909014324716) *
        z +
        3439.36767414372164) *
        z +
      1230.33935480374942;
    r = Math.exp(-z * z) * (top / bot);
  } else {
    const t = 1 / (z * z);
    const top =
      ((((0.0163153871373020978 * t + 0.305326634961232344) * t + 0.360344899949804439) * t +
        0.125781726111229246) *
        t +
        0.0160837851487422766) *
        t +
      0.000658749161529837803;
    const bot =
      ((((t + 2.56852019228982242) * t + 1.87295284992346725) * t + 0.527905102951428412) * t +
        0.0605183413124413191) *
        t +
      0.00233520497626869185;
    r = (Math.exp(-z * z) / z) * (0.564189583547756287 - (t * top) / bot);
  }
  return x < 0 ? 2 - r : r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
