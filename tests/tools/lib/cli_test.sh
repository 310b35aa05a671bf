# Shared by the command-line tests tests/tools/*.sh, which source it after
# setting airace, source and scratch from their arguments (AIRACE SOURCE
# SCRATCH). It lives in a folder of its own so that the tests' glob
# (tests/CMakeLists.txt) does not run it as a test.

# A fresh, empty scratch folder as the working directory.
enter_scratch() { rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"; }

# fail MESSAGE...: report a failed check and count it; the test goes on.
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The test's last line: "ok", or the number of failures and exit status 1.
finish() { [ "$failures" -eq 0 ] && echo "ok" || { echo "$failures failure(s)"; exit 1; }; }

# tiny.yaml: a scenario of a few agents over three years, the base of the
# sweeps the tests run.
write_tiny_scenario() {
  cat > tiny.yaml <<'YAML'
scenario:
  name: tiny
time:
  end_year: 2023
labs:
  count: 5
  frontier_count: 2
investors:
  count: 8
  corporate_count: 2
compute:
  providers: 2
data:
  providers: 2
YAML
}

# write_herding_grid FILE NAME VALUE...: a grid sweep of tiny.yaml over
# investors.herding (one seed), for tests that need a few quick runs.
write_herding_grid() {
  local file=$1 name=$2; shift 2
  local values; values=$(IFS=,; echo "$*")
  printf 'sweep:\n  name: %s\n  base: tiny.yaml\n  design: grid\n  seeds: [1]\n  metrics: [frontier_capability]\n  parameters:\n    - key: investors.herding\n      values: [%s]\n' \
    "$name" "${values//,/, }" > "$file"
}
