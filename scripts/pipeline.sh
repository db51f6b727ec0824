#!/usr/bin/env bash
# `npm run pipeline [-- --publish]`: the retrain pipeline, the same script the Retrain workflow runs, so a broken
# pipeline fails here before it reaches GitHub. Steps: data (synthetic realistic rows with fixed seeds, or DATA_DIR) -> train ->
# evaluate (score the test file with the new model) -> quality gate against the committed card -> register ->
# build under a base path -> unit tests -> browser tests against that build.
#
# Without --publish the committed models/ is never touched: the model is registered into a temporary copy, and
# the build and tests use the committed model. With --publish a model that passed the gate (and differs from the
# live one) is copied into models/ and registered there, and the build and tests then run with it.
#
# Environment (all optional):
#   ROWS=200000        synthetic rows (fewer for a quick run; the gate then cannot compare AUCs, see below)
#   DATA_KIND=realistic  the generator kind: realistic (the real data's per-class figures) or shapes (invented
#                      class differences; the gate refuses it over a realistic model)
#   DATA_SEED=1 SHAPE_SEED=1 (shapes only) TOLERANCE=0.002 BASE_PATH=/santander-scorer/
#   TRAIN_SEED         default: the live model's seed (its card), else 42
#   DATA_DIR=<dir>     use <dir>/train.csv and <dir>/test.csv instead of generating data (the Kaggle files)
#   DATA_SOURCE=synthetic|kaggle|other   what DATA_DIR holds (default synthetic, or kaggle with DATA_DIR)
#   PIPELINE_TMP=<dir> where the temporary work folder goes (default $TMPDIR or /tmp); KEEP_WORK=1 keeps it
#   SKIP_TESTS=1       stop after the build (for a quick check of the data/train/gate/register steps)
set -euo pipefail
cd "$(dirname "$0")/.."

publish=0
for arg in "$@"; do
  case "$arg" in
    --publish) publish=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "pipeline: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

ROWS="${ROWS:-200000}"
DATA_KIND="${DATA_KIND:-realistic}"
DATA_SEED="${DATA_SEED:-1}"
SHAPE_SEED="${SHAPE_SEED:-1}"
# Like for like: the live model's training seed, so an unchanged retrain reproduces it byte for byte.
live_seed="$(node -p "try { require('./models/model-card.json').model.parameters.seed ?? 42 } catch { 42 }")"
TRAIN_SEED="${TRAIN_SEED:-$live_seed}"
TOLERANCE="${TOLERANCE:-0.002}"
BASE_PATH="${BASE_PATH:-/santander-scorer/}"
DATA_DIR="${DATA_DIR:-}"
if [ -n "$DATA_DIR" ]; then DATA_SOURCE="${DATA_SOURCE:-kaggle}"; else DATA_SOURCE="synthetic"; fi
# How the data is named in the summary and the pull request: "synthetic realistic", "kaggle", ...
if [ "$DATA_SOURCE" = synthetic ] && [ -z "$DATA_DIR" ]; then data_label="synthetic $DATA_KIND"; else data_label="$DATA_SOURCE"; fi
export BASE_PATH

in_actions() { [ "${GITHUB_ACTIONS:-}" = true ]; }
total_start=$(date +%s)
timings=()
current=''
work="$(mktemp -d "${PIPELINE_TMP:-${TMPDIR:-/tmp}}/pipeline.XXXXXX")"
cleanup() {
  local code=$?
  if [ "$code" != 0 ] && [ -n "${current:-}" ]; then
    if in_actions; then echo '::endgroup::'; fi
    echo "pipeline: FAILED at step \"$current\" (exit $code) after $(($(date +%s) - total_start))s" >&2
    if [ ${#timings[@]} -gt 0 ]; then printf '  %s\n' "${timings[@]}" >&2; fi
  fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "pipeline: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

output() { if in_actions; then echo "$1=$2" >> "$GITHUB_OUTPUT"; fi; }
json() { node -p "const v = require(process.argv[1]).$2; v === undefined ? '' : String(v)" "$(realpath "$1")"; }

started=0
begin() {
  current="$1"
  started=$(date +%s)
  if in_actions; then echo "::group::$1"; else printf '\n=== %s\n' "$1"; fi
}
finish() {
  local took=$(($(date +%s) - started))
  timings+=("$(printf '%-34s %5ss' "$current" "$took")")
  current=''
  if in_actions; then echo '::endgroup::'; fi
}

if [ ! -d node_modules ]; then
  begin 'install (npm ci)'
  npm ci --no-audit --no-fund
  finish
fi

# 1. Data
data="$work/data"
if [ -n "$DATA_DIR" ]; then
  begin "data: $DATA_SOURCE files in $DATA_DIR"
  for f in train.csv test.csv; do
    [ -f "$DATA_DIR/$f" ] || { echo "pipeline: no $DATA_DIR/$f" >&2; exit 1; }
  done
  data="$DATA_DIR"
else
  begin "data: $ROWS $data_label rows"
  data_args=(--rows "$ROWS" --out "$data" --kind "$DATA_KIND" --seed "$DATA_SEED")
  if [ "$DATA_KIND" = shapes ]; then data_args+=(--shape-seed "$SHAPE_SEED"); fi
  npm run --silent data -- "${data_args[@]}"
fi
finish

# 2. Train (the train CLI validates the file and exits non-zero on bad data: set -e stops here)
candidate="$work/candidate"
begin 'train'
train_args=(--data "$data/train.csv" --out "$candidate" --seed "$TRAIN_SEED" --source "$DATA_SOURCE")
if [ -f "$data/spec.json" ]; then train_args+=(--bayes-spec "$data/spec.json"); fi
npm run --silent train -- "${train_args[@]}"
version="$(json "$candidate/model-card.json" version)"
# The version is written into the .onnx, and the train CLI's default names the data and the seed, not the code.
# So that an unchanged retrain reproduces the live model byte for byte, train under the live version when it
# continues this data and seed's line ("<default>.N"); and so that a version never names two models, a model
# the registry does not know gets the next free "<default>.N" (register --suggest-version).
retrain_as() {
  echo "pipeline: training again as version $1 ($2)"
  npm run --silent train -- "${train_args[@]}" --version "$1"
  version="$1"
}
live_version="$(if [ -f models/model-card.json ]; then json models/model-card.json version; fi)"
if [[ -n "$live_version" && "$live_version" =~ ^${version//./\\.}\.[0-9]+$ ]]; then
  retrain_as "$live_version" 'the live version of this data and seed'
fi
free_version="$(npm run --silent register -- --models-dir models --card "$candidate/model-card.json" --suggest-version)"
if [ "$free_version" != "$version" ]; then retrain_as "$free_version" "$version already names another model"; fi
auc="$(json "$candidate/model-card.json" metrics.holdout.auc)"
echo "pipeline: trained $version, holdout AUC $auc"
finish

# 3. Evaluate: the exported model must run in onnxruntime-web and score every test row with a probability;
# the synthetic test file has labels, so its AUC on fresh rows is printed too.
begin 'evaluate: score the test file'
npm run --silent score -- --model "$candidate/model.onnx" --in "$data/test.csv" --out "$work/predictions.csv"
labels=()
if [ -f "$data/test-labels.csv" ]; then labels=("$data/test-labels.csv"); fi
npx tsx training/cli/check-predictions.ts "$work/predictions.csv" "$data/test.csv" "${labels[@]}"
finish

# 4. Quality gate against the live model's card. The AUC comparison is only fair on the same kind and size of
# data: a quick run on fewer synthetic rows than the live model saw checks the card and the model file only.
begin 'gate'
baseline=models/model-card.json
gate_args=(--candidate "$candidate/model-card.json" --model "$candidate/model.onnx" --tolerance "$TOLERANCE")
if [ ! -f "$baseline" ]; then
  echo "pipeline: no $baseline yet: first model"
  gate_args+=(--no-baseline)
elif [ -z "$DATA_DIR" ] && [ "$(json "$baseline" data.rows)" != "$(json "$candidate/model-card.json" data.rows)" ]; then
  echo "pipeline: quick run: $(json "$candidate/model-card.json" data.rows) training rows vs the live model's" \
    "$(json "$baseline" data.rows): the gate checks the card and the model file, not the AUC (set ROWS to compare)"
  if [ "$publish" = 1 ]; then echo 'pipeline: refusing to publish a model that was not compared' >&2; exit 1; fi
  gate_args+=(--no-baseline)
else
  gate_args+=(--baseline "$baseline")
fi
npm run --silent gate -- "${gate_args[@]}"
finish

# 5. Register (a temporary copy of models/ unless publishing)
begin 'register'
published=false
if [ "$publish" = 1 ]; then
  if [ -f "$baseline" ] && [ "$(json "$baseline" model.sha256)" = "$(json "$candidate/model-card.json" model.sha256)" ]; then
    echo "pipeline: the new model is byte-identical to the live one: nothing to publish"
  else
    cp "$candidate/model.onnx" "$candidate/model-card.json" models/
    if [ -f "$candidate/model-card.md" ]; then cp "$candidate/model-card.md" models/; fi
    npm run --silent register -- --models-dir models
    published=true
  fi
else
  mkdir -p "$work/models"
  cp -R models/. "$work/models/"
  cp "$candidate/model.onnx" "$candidate/model-card.json" "$work/models/"
  npm run --silent register -- --models-dir "$work/models"
  # Registering the same model again must change nothing.
  before="$(sha256sum "$work/models/registry.json")"
  npm run --silent register -- --models-dir "$work/models"
  [ "$before" = "$(sha256sum "$work/models/registry.json")" ] || { echo 'pipeline: register is not idempotent' >&2; exit 1; }
fi
output published "$published"
output version "$version"
output auc "$auc"
output source "$data_label"
finish

# 6. Build under the base path (what Pages serves), then test that build.
begin "build (base $BASE_PATH)"
npm run --silent build -- --base "$BASE_PATH"
grep -q "src=\"$BASE_PATH" dist/index.html || { echo "pipeline: dist/index.html is not built for $BASE_PATH" >&2; exit 1; }
finish

if [ "${SKIP_TESTS:-0}" != 1 ]; then
  begin 'unit tests'
  npm run --silent test:unit
  finish
  begin "browser tests (base $BASE_PATH)"
  # Test the dist/ built above; CI=1 makes Playwright start its own preview server rather than reuse one that
  # someone else on this machine may have running on the same port.
  PLAYWRIGHT_SKIP_BUILD=1 CI="${CI:-1}" npm run --silent test:e2e
  grep -q "src=\"$BASE_PATH" dist/index.html || { echo "pipeline: dist/ was rebuilt for another base path" >&2; exit 1; }
  finish
fi

printf '\npipeline: passed in %ss (%s data, model %s, holdout AUC %s, published: %s)\n' \
  "$(($(date +%s) - total_start))" "$data_label" "$version" "$auc" "$published"
printf '  %s\n' "${timings[@]}"
