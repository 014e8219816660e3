#!/usr/bin/env bash
# Drives the polytail TUI in an 80×24 tmux pane the way a user would, and checks what they see:
# the REPLAY header, the help overlay (?), the paused marker (p) and a clean exit (q).
#
#   scripts/tmux-check.sh                      # default: replay the bundled Nobel recording
#   scripts/tmux-check.sh "node bin/polytail replay recordings/btc-15m-2025-12-03.duckdb"
#
# Screens are saved under $OUT (default: a new temporary directory, printed at the end) for a look afterwards.
# Exit status: 0 when every check passed, 1 otherwise.
set -uo pipefail

CMD="${1:-node bin/polytail replay recordings/nobel-peace-prize-2025.duckdb --target 0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86}"
OUT="${OUT:-$(mktemp -d -t polytail-tmux-check.XXXXXX)}"
START_TIMEOUT="${START_TIMEOUT:-90}"
SESSION="polytail-check-$$"
cd "$(dirname "$0")/.." || exit 1
mkdir -p "$OUT"

if ! command -v tmux >/dev/null; then
  echo "tmux is not installed (apt-get install tmux)" >&2
  exit 2
fi

failures=0
pass() { echo "PASS  $1"; }
fail() { echo "FAIL  $1"; failures=$((failures + 1)); }
screen() { tmux capture-pane -p -t "$SESSION" 2>/dev/null; }
save() { screen >"$OUT/$1.txt"; }
# wait_for PATTERN SECONDS: polls the screen until grep -E finds PATTERN.
wait_for() {
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if screen | grep -qE -- "$1"; then return 0; fi
    sleep 0.2
  done
  return 1
}
cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; }
trap cleanup EXIT

# The pane stays open after the command ends so its exit status can be read off the screen.
tmux new-session -d -s "$SESSION" -x 80 -y 24 \
  "$CMD; echo \"__POLYTAIL_EXITED__ \$?\"; sleep 600"

if wait_for 'REPLAY' "$START_TIMEOUT"; then pass "header shows the REPLAY badge"; else fail "no REPLAY header within ${START_TIMEOUT}s"; fi
sleep 1
save 1-start
if screen | head -1 | grep -q 'REPLAY'; then pass "REPLAY is on the first line"; else fail "REPLAY is not on the first line"; fi
if screen | grep -qE '1 Feed.*2 Positions.*3 PnL.*4 Orders.*5 Targets.*6 Risk.*7 Logs'; then pass "panel tabs are listed"; else fail "panel tabs missing"; fi
if screen | grep -v '^ *$' | tail -1 | grep -q '? help'; then pass "footer shows key hints"; else fail "footer key hints missing"; fi
# Characters, not bytes (the UI draws │ › █ …): perl counts UTF-8 characters.
long=$(screen | perl -CSD -ne 'chomp; $n++ if length($_) > 80; END { print $n + 0 }')
if [ "$long" = 0 ]; then pass "no line wider than 80 columns"; else fail "$long line(s) wider than 80 columns"; fi

tmux send-keys -t "$SESSION" '?'
if wait_for 'kill switch' 10; then pass "? opens the help overlay"; else fail "? did not show the help"; fi
save 2-help
if screen | grep -q 'p pauses the replay clock'; then pass "help says p pauses the replay clock"; else fail "help does not explain p in replay"; fi
tmux send-keys -t "$SESSION" Escape
wait_for '1 Feed' 5 >/dev/null

before=$(screen | sed -n 2p)
tmux send-keys -t "$SESSION" 'p'
if wait_for 'PAUSED' 10; then
  pass "p shows the paused marker"
elif echo "$before" | grep -q 'PAUSED' && wait_for 'playing' 10; then
  pass "p toggled a paused replay to playing"
else
  fail "p did not change the play state"
fi
save 3-paused

tmux send-keys -t "$SESSION" 'q'
if wait_for '__POLYTAIL_EXITED__' 20; then
  code=$(screen | grep -oE '__POLYTAIL_EXITED__ [0-9]+' | awk '{ print $2 }' | tail -1)
  if [ "$code" = 0 ]; then pass "q quits with status 0"; else fail "q quit with status $code"; fi
else
  fail "process did not exit within 20s of q"
fi
save 4-after-quit
if screen | grep -qE '^\[?.?REPLAY|1 Feed  2 Positions'; then fail "the TUI is still on screen after quitting"; else pass "terminal restored after quitting"; fi

echo "screens saved in $OUT"
if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
