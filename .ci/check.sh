# Sourced by the shell tests: check NAME CONDITION VALUES... counts one check into $passed or $failed.
# CONDITION is a Python expression over the variables VALUES assigns ("a=1; b=2"); a failure prints them.
check() {
  local name=$1 cond=$2; shift 2
  if python3 -c "import sys; $*; sys.exit(0 if ($cond) else 1)"; then
    echo "ok      $name"; passed=$((passed + 1))
  else
    echo "FAILED  $name ($*)"; failed=$((failed + 1))
  fi
}
