/** Normal distribution helpers for the generator's calibration (double precision, no dependencies). */

/** log(sqrt(2 pi)). */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Complementary error function, W. J. Cody's rational approximations (relative error below 1e-15). */
function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 0.5) {
    const t = z * z;
    const top =
      (((0.18577770618460315 * t + 3.1611237438705655) * t + 113.86415415105016) * t + 377.485237685302) * t +
      3209.3775891384694;
    const bot =
      (((t + 23.601290952344122) * t + 244.02463793444417) * t + 1282.6165260773723) * t + 2844.236833439171;
    r = 1 - (z * top) / bot;
  } else if (z < 4) {
    const top =
      (((((((2.1531153547440383e-8 * z + 0.5641884969886701) * z + 8.883149794388377) * z +
        66.11919063714163) *
        z +
        298.6351381974001) *
        z +
        881.952221241769) *
        z +
        1712.0476126340707) *
        z +
        2051.0783778260716) *
        z +
      1230.3393547979972;
    const bot =
      (((((((z + 15.744926110709835) * z + 117.6939508913125) * z + 537.1811018620099) * z +
        1621.3895745666903) *
        z +
        3290.7992357334597) *
        z +
        4362.619090143247) *
        z +
        3439.3676741437216) *
        z +
      1230.3393548037495;
    r = Math.exp(-z * z) * (top / bot);
  } else {
    const t = 1 / (z * z);
    const top =
      ((((0.016315387137302097 * t + 0.30532663496123236) * t + 0.36034489994980445) * t +
        0.12578172611122926) *
        t +
        0.016083785148742275) *
        t +
      0.0006587491615298378;
    const bot =
      ((((t + 2.568520192289822) * t + 1.8729528499234673) * t + 0.5279051029514285) * t +
        0.06051834131244132) *
        t +
      0.0023352049762686918;
    r = (Math.exp(-z * z) / z) * (0.5641895835477563 - (t * top) / bot);
  }
  return x < 0 ? 2 - r : r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
