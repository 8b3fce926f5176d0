#!/usr/bin/env bash
# Steward's Telegram load benchmark: builds the release `steward` binary and the `telegram-load` tool,
# prepares a venv with python-telegram-bot for the baseline echo bot, then runs both bots against the
# in-process fake Telegram Bot API on 127.0.0.1 and prints the summary. See README.md.
#
#   Benchmarks/telegram-load.sh [telegram-load options…]     e.g. --rss-updates 0 for a quick run
#
# Environment: STEWARD_BIN=path uses that steward binary instead of building one;
# PTB_REQUIREMENT overrides the pip requirement (default: python-telegram-bot, the latest release);
# BASELINE=floor measures Steward against telegram-floor (its own HTTP stack answering like the echo bot,
# and nothing else) instead of the echo bot: what Steward adds to the packages it runs on.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$here/.build-load"
# With the Swift runtime and Foundation linked in, as `deploy/` builds Steward: a dynamic build maps the
# shared libraries (Foundation's ICU data among them) and shows about 12 MB more RSS at rest for the same code.
build=(swift build -c release --static-swift-stdlib --package-path "$here" --scratch-path "$scratch")

if [[ -n "${STEWARD_CORE_ONLY:-}" ]]; then
    echo "telegram-load needs the full package: unset STEWARD_CORE_ONLY" >&2
    exit 2
fi

# One scratch path for both products, so the dependency set is compiled once (the first build takes a
# while: the whole server stack in release mode).
if [[ -z "${STEWARD_BIN:-}" ]]; then
    echo "== building steward (release)"
    "${build[@]}" --product steward
fi
echo "== building telegram-load (release)"
"${build[@]}" --product telegram-load
bin="$("${build[@]}" --show-bin-path)"
steward="${STEWARD_BIN:-$bin/steward}"

if [[ "${BASELINE:-echo}" == floor ]]; then
    echo "== building telegram-floor (release)"
    "${build[@]}" --product telegram-floor
    baseline="$bin/telegram-floor"
else
    venv="$here/.venv"
    if ! "$venv/bin/python" -c "import telegram" 2>/dev/null; then
        echo "== creating $venv with python-telegram-bot"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --upgrade pip
        "$venv/bin/pip" install --quiet "${PTB_REQUIREMENT:-python-telegram-bot}"
    fi
    echo "== python-telegram-bot $("$venv/bin/python" -c 'import telegram; print(telegram.__version__)'), $("$venv/bin/python" --version)"
    baseline="$venv/bin/python $here/ptb_echo_bot.py"
fi

# The tool runs in a process group of its own: whatever happens to it, its bots go with it.
set -m
"$bin/telegram-load" --steward "$steward" --echo "$baseline" "$@" &
tool=$!
set +m
trap 'kill -TERM -- -"$tool" 2>/dev/null || true' INT TERM
status=0
wait "$tool" || status=$?
kill -KILL -- -"$tool" 2>/dev/null || true
exit "$status"
