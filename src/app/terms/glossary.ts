/** Plain-words definitions of the terms the results page uses, one sentence each (shown by Term.svelte). */

/** The terms with a definition. */
export type TermKey =
  | 'auc'
  | 'logLoss'
  | 'averagePrecision'
  | 'psi'
  | 'cv'
  | 'sha256'
  | 'modelKind'
  | 'logOdds'
  | 'holdout'
  | 'calibration'
  | 'gains';

/** One sentence per term, for an analyst who has not met it. */
export const GLOSSARY: Record<TermKey, string> = {
  auc:
    'AUC (area under the ROC curve): the chance that a customer who made a transaction scores higher than one ' +
    'who did not, both picked at random; 0.5 is guessing, 1 is a perfect ranking.',
  logLoss:
    'Log loss: the average penalty per customer, small when those who transacted got high scores and the others ' +
    'low ones, and largest for confident mistakes; lower is better.',
  averagePrecision:
    'Average precision: the share of flagged customers who transact, averaged over every line from the top ' +
    'customer down; flagging at random gets the overall share of customers who transact.',
  psi:
    'PSI (population stability index): how far the spread of a feature’s values in your file has moved from the ' +
    'training data; below 0.1 is little change, above 0.25 a large shift. On a small file chance alone moves it ' +
    'by more, so there a feature is flagged only above the higher threshold the results name.',
  cv:
    'Cross-validation: the training rows split into 5 parts and the model trained 5 times, each time measured on ' +
    'the part it did not see; the figure is the mean AUC ± its standard deviation over the 5.',
  sha256:
    'SHA-256: a fingerprint of the model file; any change to the file changes it, and the app refuses a model ' +
    'whose fingerprint does not match its card.',
  modelKind:
    'For each feature the model learned how much more common each value is among customers who transact than ' +
    'among those who do not (a log density ratio), smoothed so that close values get close pushes; a ' +
    'customer’s log-odds are the sum of these 200 pushes.',
  logOdds:
    'Log-odds: log(p / (1 − p)), the scale on which the features’ pushes add up; 0 is a 50% score, +2.2 is 90%, ' +
    '−2.2 is 10%.',
  holdout:
    'Holdout: rows set aside before training and used only to measure the model; here synthetic rows, not ' +
    'your customers.',
  calibration:
    'Calibration: whether scores mean what they say; of customers scored around 20%, about 20% should transact.',
  gains:
    'Gains chart: contact the customers from the highest score down; the curve shows the share of all ' +
    'transactions reached for each share of customers contacted.',
};
