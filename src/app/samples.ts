/** The sample files users can try or download (static/, emitted by Vite with content-hashed names). */
import sampleUrl from '../../static/sample.csv?url';
import sampleTrainUrl from '../../static/sample-train.csv?url';

/** A downloadable sample. */
export interface Sample {
  label: string;
  fileName: string;
  url: string;
}

/** 500 customers in Kaggle's test.csv layout. */
export const SAMPLE: Sample = {
  label: 'Sample customers (500 rows)',
  fileName: 'sample.csv',
  url: sampleUrl,
};
/** 500 customers with a target column: switches on evaluation. */
export const SAMPLE_TRAIN: Sample = {
  label: 'Sample with labels (500 rows)',
  fileName: 'sample-train.csv',
  url: sampleTrainUrl,
};

/** Fetches a sample as a File, as if the user had picked it. */
export async function sampleFile(sample: Sample): Promise<File> {
  const response = await fetch(sample.url);
  if (!response.ok) throw new Error(`Could not load ${sample.fileName} (${response.status}).`);
  return new File([await response.blob()], sample.fileName, { type: 'text/csv' });
}
