import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { runCli } from '../testing/run-cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const model = join(root, 'models/model.onnx');

const cli = (name: 'train' | 'score', args: string[]) => runCli(`training/cli/${name}.ts`, args);

let dir = '';
let good = '';
const lines: string[] = [];

/** Writes `text` as a file in the test directory and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * models/model.onnx copied into a folder of the test directory, with its card edited by `edit` beside it (null:
 * no card); returns the model's path.
 */
function modelCopy(folder: string, edit: ((card: { model: { sha256: string } }) => void) | null): string {
  const at = join(dir, folder);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'model.onnx'), readFileSync(model));
  if (edit) {
    const card = JSON.parse(readFileSync(join(root, 'models/model-card.json'), 'utf8'));
    edit(card);
    writeFileSync(join(at, 'model-card.json'), JSON.stringify(card));
  }
  return join(at, 'model.onnx');
}

/** The good file with one line changed: (header, rows) -> new lines. */
function variant(name: string, edit: (header: string[], rows: string[][]) => void): string {
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  edit(header, rows);
  return file(name, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  dir = tempDir('cli-test');
  const data = generate({ rows: 60, seed: 5, shapeSeed: 1 });
  good = file('good.csv', rowsToCsv(data.features, data.targets));
  lines.push(...readFileSync(good, 'utf8').trimEnd().split('\n'));
});

/** Nothing but the inputs in the directory: no model, card, predictions or temp file left behind. */
function expectNoOutput(out: string) {
  if (existsSync(out)) expect(readdirSync(out)).toEqual([]);
  expect(
    readdirSync(dir).filter((f) => f.startsWith('.') || f.includes('pred') || f.includes('model')),
  ).toEqual([]);
}

describe('train refuses bad input with file, row and column, and writes nothing', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a missing file', () => join(dir, 'nope.csv'), /nope\.csv: no such file/],
    [
      'a file without target',
      () => variant('no-target.csv', (h) => (h[1] = 'label')),
      /no-target\.csv.*No target column/,
    ],
    [
      'a missing column',
      () =>
        variant('missing.csv', (h, rows) => {
          h.splice(7, 1);
          rows.forEach((r) => r.splice(7, 1));
        }),
      /missing\.csv.*Missing 1 feature column\(s\): var_5/,
    ],
    [
      'a duplicated column',
      () => variant('dup.csv', (h) => (h[7] = 'var_6')),
      /dup\.csv.*Duplicated column names: var_6/,
    ],
    [
      'a non-numeric cell',
      () => variant('text.csv', (_h, rows) => (rows[2][9] = 'abc')),
      /text\.csv: row 3, column var_7: non-numeric value "abc"/,
    ],
    [
      'a bad target',
      () => variant('target.csv', (_h, rows) => (rows[4][1] = '2')),
      /target\.csv: row 5, column target: .*"2"/,
    ],
    [
      'an empty cell',
      () => variant('empty-cell.csv', (_h, rows) => (rows[0][3] = '')),
      /empty-cell\.csv: row 1, column var_1: empty cell/,
    ],
    ['an empty file', () => file('empty.csv', ''), /empty\.csv.*empty/i],
    [
      'one class only',
      () => variant('one-class.csv', (_h, rows) => rows.forEach((r) => (r[1] = '0'))),
      /one-class\.csv: All 60 rows have target 0: a model needs customers of both classes/,
    ],
    [
      'too few rows (60) to tell a model from chance',
      () => good,
      /good\.csv: Too few rows to train on: 60 rows, \d+ with target 1 .* Use a file with at least \d+ rows with target 1: the fewest with which even a perfect model could be told from chance/,
    ],
  ];
  for (const [label, make, message] of cases) {
    it(label, () => {
      const out = join(dir, `model-out-${label.replace(/\W/g, '-')}`);
      const r = cli('train', ['--data', make(), '--out', out]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split(dir).length - 1).toBe(1); // the path once, not repeated by each layer
      expect(r.code).toBe(1);
      expectNoOutput(out);
    });
  }

  it('a usage error exits 2, before the file is read, naming the value as typed', () => {
    const r = cli('train', ['--data', good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out are required/);
    const out = join(dir, 'train-usage');
    const cases: [string[], RegExp][] = [
      [['--out', out, '--holdout', 'abc'], /--holdout must be between 0 and 1, got "abc"\./],
      [['--out', out, '--holdout', '1'], /--holdout must be between 0 and 1, got "1"\./],
      [['--out', out, '--folds', '2.5'], /--folds must be an integer from 2 to 20, got "2\.5"\./],
      [['--out', out, '--seed', 'abc'], /--seed must be an integer, got "abc"\./],
      [['--out', good], /--out .*good\.csv is a file: name a folder for the model and its card\./],
      [
        ['--out', join(good, 'model')],
        /--out .* cannot be a folder: a part of the path is a file, not a folder\./,
      ],
    ];
    // A file that does not exist: an up-front check answers before anything would read it.
    for (const [args, message] of cases) {
      const run = cli('train', ['--data', join(dir, 'not-read.csv'), ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe('score', () => {
  it('writes ID_code,target for every row, neutralising formula-like ids and scoring bad cells as missing', () => {
    const input = variant('to-score.csv', (h, rows) => {
      h.splice(1, 1); // no target: a test.csv
      rows.forEach((r) => r.splice(1, 1));
      rows[0][0] = '=HYPERLINK("x")';
      rows[1][5] = '';
      rows[2][6] = 'NaN';
      rows[40][12] = '1.5x';
      rows[41][0] = rows[40][0];
    });
    const out = join(dir, 'pred-ok.csv');
    const r = cli('score', ['--model', model, '--in', input, '--out', out]);
    expect(r.code).toBe(0);
    // The results page's words: counts per kind, the first examples, repeated ids.
    expect(r.stderr).toContain(
      'score: 4 rows affected: 1 empty cell, 1 missing value (NA, null, …), 1 non-numeric cell, 1 repeated ID_code.',
    );
    expect(r.stderr).toContain('row 41, var_11: "1.5x" is not a number');
    expect(r.stderr).toContain(
      'Rows with a repeated ID_code were all kept and scored (first: "train_40" at row 42',
    );
    const written = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(written[0]).toBe('ID_code,target');
    expect(written).toHaveLength(61);
    expect(written[1]).toMatch(/^"'=HYPERLINK\(""x""\)",0\.\d+/);
    for (const line of written.slice(2)) expect(line).toMatch(/^train_\d+,(0\.\d+|\d(\.\d+)?e-\d+)$/);
    expect(r.stdout).not.toMatch(/AUC/); // no target column: nothing to evaluate
    expect(r.stderr).toContain('score: add --affected-rows <file> to list every affected row.');

    // Every affected row, as the page's download lists them; written only with predictions.csv.
    const idOf = (k: number) => lines[k + 1].split(',')[0];
    const list = join(dir, 'affected-ok.csv');
    const r2 = cli('score', ['--model', model, '--in', input, '--out', out, '--affected-rows', list]);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain(`score: ${list} lists 4 affected rows.`);
    expect(readFileSync(list, 'utf8')).toBe(
      [
        'row,ID_code,column,kind,value',
        `2,${idOf(1)},var_4,empty,`,
        `3,${idOf(2)},var_5,missing,NaN`,
        `41,${idOf(40)},var_11,non-numeric,1.5x`,
        `42,${idOf(40)},ID_code,duplicate-id,${idOf(40)}`,
        '',
      ].join('\n'),
    );
  });

  it('says an empty target column is empty (scored, not evaluated), not that its targets are not 0 or 1', () => {
    const input = variant('empty-target.csv', (_h, rows) => {
      for (const row of rows) row[1] = '';
    });
    const r = cli('score', ['--model', model, '--in', input, '--out', join(dir, 'pred-empty-target.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'score: The target column is empty: the file is scored but not evaluated (no row has a label to check the model on).',
    );
    expect(r.stderr).not.toContain('not 0 or 1');
    expect(r.stdout).toContain('No AUC on your labels: the target column is empty.');
  });

  it('names a yes/no target column and says to recode it as 1/0', () => {
    const input = variant('yes-no-target.csv', (_h, rows) => {
      rows.forEach((row, i) => (row[1] = row[1] === '1' || i === 0 ? 'yes' : 'no'));
    });
    const r = cli('score', ['--model', model, '--in', input, '--out', join(dir, 'pred-yes-no.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the target holds yes/no, not 1/0 (first: row 1, "yes"); recode it as 1/0');
    expect(r.stderr).not.toContain('not 0 or 1');
    expect(r.stdout).toContain(
      'No AUC on your labels: the target holds yes/no, not 1/0 (first: row 1, "yes"); recode it as 1/0.',
    );
  });

  it('evaluates a labelled file as the page does: the AUC on the rows labelled 0 or 1, other targets listed', () => {
    const input = variant('labelled.csv', (_h, rows) => {
      rows[3][1] = 'yes';
      rows[7][1] = '2';
    });
    const out = join(dir, 'pred-labelled.csv');
    const r = cli('score', ['--model', model, '--in', input, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      '2 rows affected: 1 target not 0 or 1 (left out of the evaluation), 1 target written as yes/no (left out ' +
        'of the evaluation).',
    );
    expect(r.stderr).toContain('First: row 8, target: "2" is not 0 or 1.');
    expect(r.stderr).toContain('The target holds yes, not 1/0 (first: row 4, "yes"); recode it as 1/0');
    // The expected AUC from the written predictions and the file's labels, pairs counted one by one.
    const p = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[1]));
    const y = lines.slice(1).map((l) => l.split(',')[1]);
    const kept = p.map((_, i) => i).filter((i) => i !== 3 && i !== 7);
    let wins = 0;
    let pairs = 0;
    for (const i of kept) {
      for (const k of kept) {
        if (y[i] !== '1' || y[k] !== '0') continue;
        pairs++;
        wins += p[i] > p[k] ? 1 : p[i] === p[k] ? 0.5 : 0;
      }
    }
    const positives = kept.filter((i) => y[i] === '1').length;
    expect(positives).toBeGreaterThan(0);
    expect(r.stdout).toContain(
      `AUC on your labels: ${(wins / pairs).toFixed(4)} (58 rows labelled 0 or 1, ${positives} of them 1)`,
    );

    const oneClass = variant('one-class.csv', (_h, rows) => rows.forEach((row) => (row[1] = '0')));
    const r1 = cli('score', ['--model', model, '--in', oneClass, '--out', join(dir, 'pred-one-class.csv')]);
    expect(r1.code).toBe(0);
    expect(r1.stdout).toContain('No AUC on your labels: all 60 labelled rows are 0.');
  });

  it('counts rows in words on stdout: "1 row", "1,200 rows", no MB/s for a file too small to time', () => {
    const one = file('one-row.csv', `${lines[0]}\n${lines[1]}\n`);
    const r1 = cli('score', ['--model', model, '--in', one, '--out', join(dir, 'pred-one-row.csv')]);
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/wrote .*pred-one-row\.csv: 1 row in \d+\.\d\d s\n/);
    expect(r1.stdout).toContain(`No AUC on your labels: the only labelled row is ${lines[1].split(',')[1]}.`);
    const data = generate({ rows: 1200, seed: 6, shapeSeed: 1 });
    const big = file('rows-1200.csv', rowsToCsv(data.features, data.targets));
    const r2 = cli('score', ['--model', model, '--in', big, '--out', join(dir, 'pred-rows-1200.csv')]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toMatch(/wrote .*pred-rows-1200\.csv: 1,200 rows in \d+\.\d\d s \(\d+ MB\/s\)\n/);
    expect(r2.stdout).toMatch(
      /AUC on your labels: 0\.\d{4} \(1,200 rows labelled 0 or 1, [\d,]+ of them 1\)/,
    );
  });

  it('refuses, before any scoring (exit 2), an output that would overwrite the input, the model, its card or record, or the other output, or that cannot be a file', () => {
    const input = file('clash.csv', readFileSync(good, 'utf8'));
    const before = readFileSync(input, 'utf8');
    const out = join(dir, 'pred-clash.csv');
    const linked = join(dir, 'clash-link.csv');
    linkSync(input, linked); // another name for the same file
    const cases: [string[], RegExp][] = [
      [['--out', input], /--out .*clash\.csv is the same file as --in/],
      [['--out', linked], /--out .*clash-link\.csv is the same file as --in/],
      [['--out', model], /--out .*model\.onnx is the same file as --model/],
      [['--out', out, '--affected-rows', input], /--affected-rows .*clash\.csv is the same file as --in/],
      [['--out', out, '--affected-rows', out], /--out .*pred-clash\.csv is the same file as --affected-rows/],
      [['--out', out, '--affected-rows', ''], /--affected-rows needs a file name/],
      [['--out', out, '--affected-rows', dir], /--affected-rows .* is a directory: name a file/],
      [['--out', dir], /--out .* is a directory: name a file/],
      [
        ['--out', join(input, 'x.csv')],
        /--out .*clash\.csv\/x\.csv cannot be written: a part of the path is a file, not a folder\./,
      ],
      [['--out', join(dir, 'n'.repeat(300))], /--out .* cannot be written: the name is too long\./],
      [
        ['--out', join(dirname(model), 'model-card.json')],
        /--out .*model-card\.json is the same file as the model's model-card\.json/,
      ],
      [
        ['--out', out, '--affected-rows', join(dirname(model), 'fitted-rows.bin')],
        /--affected-rows .*fitted-rows\.bin is the same file as the model's fitted-rows\.bin/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli('score', ['--model', model, '--in', input, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readFileSync(input, 'utf8')).toBe(before);
    }
    expect(existsSync(out)).toBe(false);
  });

  // Node's mkdir(…, { recursive: true }) never returned under /proc: the CLIs spun until killed.
  it.runIf(existsSync('/proc/self'))(
    'an output under /proc exits 2 with a sentence, for score and train, instead of spinning',
    () => {
      const input = file('proc.csv', readFileSync(good, 'utf8'));
      // Killed after a minute: the old code never ended (a killed run has code null, and the test fails).
      const run = (name: 'train' | 'score', args: string[]) =>
        runCli(`training/cli/${name}.ts`, args, {}, 60_000);
      const cases: ['train' | 'score', string[], RegExp][] = [
        [
          'score',
          ['--model', model, '--in', input, '--out', '/proc/x/y.csv'],
          /^--out \/proc\/x\/y\.csv cannot be written: the folder \/proc\/x cannot be made \(the system does not allow one there, ENOENT\)\./,
        ],
        [
          'score',
          ['--model', model, '--in', input, '--out', '/proc/y.csv'],
          /^--out \/proc\/y\.csv cannot be written: no file can be made in \/proc \(the system does not allow one there, ENOENT\)\./,
        ],
        [
          'score',
          ['--model', model, '--in', input, '--out', join(dir, 'p.csv'), '--affected-rows', '/proc/a/b.txt'],
          /^--affected-rows \/proc\/a\/b\.txt cannot be written: the folder \/proc\/a cannot be made/,
        ],
        [
          'train',
          ['--data', input, '--out', '/proc/x/model'],
          /^--out \/proc\/x\/model cannot be a folder: the folder \/proc\/x cannot be made \(the system does not allow one there, ENOENT\)\./,
        ],
        [
          'train',
          ['--data', input, '--out', '/proc'],
          /^--out \/proc cannot hold the model: no file can be made in \/proc/,
        ],
      ];
      for (const [name, args, message] of cases) {
        const r = run(name, args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(message);
      }
      expect(existsSync(join(dir, 'p.csv'))).toBe(false);
    },
  );

  it('the duckdb engine exits after refusing a file, every time (it hung in 2 runs of 3 once the refusal was printed)', () => {
    const lines = readFileSync(good, 'utf8').trimEnd().split('\n');
    const quoted = file(
      'quoted-header.csv',
      `${lines[0]
        .split(',')
        .map((n) => `"${n}"`)
        .join(',')}\n${lines.slice(1).join('\n')}\n`,
    );
    for (let k = 0; k < 3; k++) {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'training/cli/score.ts'),
          '--model',
          model,
          '--in',
          quoted,
          '--out',
          join(dir, 'duck.csv'),
          '--engine',
          'duckdb',
        ],
        { cwd: root, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
      );
      expect(r.status, `run ${k + 1}: ${r.signal ?? ''} ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/quoted-header\.csv: /);
    }
  }, 240_000);

  const cases: [string, () => string[], RegExp][] = [
    ['a missing input', () => ['--model', model, '--in', join(dir, 'nope.csv')], /nope\.csv: no such file/],
    [
      'a missing model',
      () => ['--model', join(dir, 'nope.onnx'), '--in', good],
      /nope\.onnx: no such model file/,
    ],
    ['a file that is not a model', () => ['--model', good, '--in', good], /good\.csv: not a model/],
    [
      'a model without its card (the app refuses it too)',
      () => ['--model', modelCopy('bare', null), '--in', good],
      /bare\/model\.onnx: no model-card\.json beside it/,
    ],
    [
      'a model whose card describes another model file',
      () => ['--model', modelCopy('swapped', (card) => (card.model.sha256 = '0'.repeat(64))), '--in', good],
      /swapped\/model\.onnx does not match its card: the card describes SHA-256 0{64}/,
    ],
    [
      'a missing column',
      () => ['--model', model, '--in', variant('s-missing.csv', (h) => (h[20] = 'other'))],
      /s-missing\.csv.*var_18/,
    ],
    [
      'a duplicated column',
      () => ['--model', model, '--in', variant('s-dup.csv', (h) => (h[20] = 'var_0'))],
      /s-dup\.csv.*Duplicated column names: var_0/,
    ],
    [
      'a column that cannot be read as numbers',
      () => [
        '--model',
        model,
        '--in',
        variant('s-text.csv', (_h, rows) => rows.forEach((r, i) => (r[12] = i % 3 ? 'yes' : '1.5'))),
      ],
      /s-text\.csv: Cannot read feature column var_10 as numbers: 40 of its 60 cells are not numbers.*For example row 2, var_10: "yes"/,
    ],
    ['an empty file', () => ['--model', model, '--in', file('s-empty.csv', '')], /s-empty\.csv.*empty/i],
    [
      'a --member of a file that is not a zip archive',
      () => ['--model', model, '--in', good, '--member', 'test.csv'],
      /good\.csv.*not a zip archive, so it has no member "test\.csv"/,
    ],
  ];
  for (const [label, args, message] of cases) {
    it(`refuses ${label} and leaves an existing output untouched`, () => {
      const out = join(dir, `pred-${label.replace(/\W/g, '-')}.csv`);
      writeFileSync(out, 'previous\n');
      const r = cli('score', [...args(), '--out', out]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split(dir).length - 1).toBe(1);
      expect(r.code).toBe(1);
      expect(readFileSync(out, 'utf8')).toBe('previous\n');
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }
});

describe('row counts', () => {
  it('the fixture has the expected shape', () => {
    expect(lines).toHaveLength(61);
    expect(lines[0].split(',')).toHaveLength(FEATURE_COUNT + 2);
  });
});
