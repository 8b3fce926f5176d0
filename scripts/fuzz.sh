#!/usr/bin/env bash
# Fuzzes every parser that reads outside input, with libFuzzer from the Swift toolchain.
#
#   scripts/fuzz.sh [seconds] [target…]     seconds per target (default 10); all targets when none named
#   FUZZ_JOBS_DIR=… FUZZ_KEEP=1              where runs write (default .build-fuzz/runs), keep the new corpus
#
# Targets live in Fuzz/targets/<target>.swift, seeds in Fuzz/corpus/<target>/ (read only: what a run
# discovers goes to .build-fuzz/runs/<target>/corpus, so a run never dirties the tree). A crash, leak,
# timeout (a super-linear input: -timeout per input) or out-of-memory is saved to
# .build-fuzz/runs/<target>/finding-*, and the script exits non-zero; so does any build failure.
#
# Why swiftc and not SwiftPM: the parsers' modules are compiled straight from Sources/ with
# -sanitize=fuzzer,address (coverage + AddressSanitizer), and the adapters' decoding files are compiled
# alone with their harness, because the rest of those modules pulls in NIO and HTTP, which decoding
# never touches. Nothing is downloaded: libFuzzer ships with the toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(mime html encoded-words ics time-expression intent memory-text telegram slack tool-arguments)
seconds="${1:-10}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

out=.build-fuzz
lib="$out/lib"
bin="$out/bin"
runs="${FUZZ_JOBS_DIR:-$out/runs}"
mkdir -p "$lib" "$bin" "$runs"
# -O: fuzzing speed; line tables: crash reports name the source line.
swift_flags=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -gline-tables-only)

# Per target: the longest input (bytes). Inputs are as large as real ones get (a mail, a feed, a webhook
# body). Stretch.swift now and then fills an input up to libFuzzer's current length limit (which grows
# to this) with one repeated construct, so a timeout (-timeout per input) means super-linear work.
max_len() {
    case "$1" in
        mime|html|ics) echo 65536 ;;
        telegram|slack|tool-arguments) echo 16384 ;;
        *) echo 4096 ;;
    esac
}

# Keywords for libFuzzer to splice in (Fuzz/dict/), where the parser has keywords to find.
dict_flag() {
    case "$1" in
        mime|html|encoded-words) echo "-dict=Fuzz/dict/mime.dict" ;;
        ics|time-expression|intent) echo "-dict=Fuzz/dict/$1.dict" ;;
    esac
}

# True when $1 is missing or older than any other argument.
stale() {
    local target="$1"; shift
    [ -e "$target" ] || return 0
    local file
    for file in "$@"; do [ "$file" -nt "$target" ] && return 0; done
    return 1
}

# build_module Name source-dir: a static library and its .swiftmodule, for the harnesses to link.
build_module() {
    local name="$1" dir="$2" sources
    sources=("$dir"/*.swift)
    stale "$lib/lib$name.a" "${sources[@]}" scripts/fuzz.sh "$lib/libStewardCore.a" || return 0
    echo "fuzz: building $name"
    rm -f "$lib/lib$name.a"
    swiftc "${swift_flags[@]}" -module-name "$name" -enable-testing -wmo -I "$lib" \
        -emit-library -static -emit-module -emit-module-path "$lib/$name.swiftmodule" \
        -o "$lib/lib$name.a" "${sources[@]}"
}

# build_target target extra-sources… -- libraries…
build_target() {
    local target="$1"; shift
    local sources=("Fuzz/targets/$target.swift" Fuzz/targets/Stretch.swift Fuzz/targets/SuperLinear.swift) libraries=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do sources+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    for name in "$@"; do libraries+=("$lib/lib$name.a"); done
    stale "$bin/$target" "${sources[@]}" "${libraries[@]}" scripts/fuzz.sh || return 0
    echo "fuzz: building target $target"
    rm -f "$bin/$target"
    # ld.gold warns "Cannot export local symbol" for the fuzzer's hooks; harmless, so filtered.
    swiftc "${swift_flags[@]}" -module-name "Fuzz_${target//-/_}" -I "$lib" -o "$bin/$target" \
        "${sources[@]}" "${libraries[@]}" 2> >(grep -v "Cannot export local symbol" >&2)
}

# Each step stops the target's build on failure (a failed step must not leave an old library linked).
build() {
    build_module StewardCore Sources/StewardCore || return 1
    case "$1" in
        mime|html|encoded-words)
            build_module MailProvider Sources/MailProvider || return 1
            build_target "$1" -- MailProvider StewardCore ;;
        ics)
            build_module ICalendar Sources/ICalendar || return 1
            build_target ics -- ICalendar StewardCore ;;
        time-expression|intent|memory-text)
            build_target "$1" -- StewardCore ;;
        telegram)
            build_target telegram Sources/TelegramAdapter/TelegramModels.swift \
                Sources/TelegramAdapter/TelegramNormalizer.swift -- StewardCore ;;
        slack)
            build_target slack Sources/SlackAdapter/SlackInboundModels.swift \
                Sources/SlackAdapter/SlackNormalizer.swift -- StewardCore ;;
        tool-arguments)
            # The tool registry and what it needs; the chat client and planner need HTTP and logging.
            build_target tool-arguments Sources/LLMPlanner/ToolRegistry*.swift Sources/LLMPlanner/JSONValue.swift \
                Sources/LLMPlanner/JSONSchemaValidator.swift Sources/LLMPlanner/ChatTypes.swift \
                Sources/LLMPlanner/PromptBuilder.swift -- StewardCore ;;
        *) echo "fuzz: unknown target $1 (targets: ${all_targets[*]})" >&2; return 1 ;;
    esac
}

for target in "${targets[@]}"; do
    build "$target" || { echo "fuzz: build of $target failed" >&2; exit 1; }
done

failed=()
summary=()
for target in "${targets[@]}"; do
    run="$runs/$target"
    mkdir -p "$run/corpus" "Fuzz/corpus/$target"
    log="$run/fuzz.log"
    started=$(date +%s)
    status=0
    # The first directory receives new inputs; the committed seeds are only read.
    "$bin/$target" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-5}" -max_len="$(max_len "$target")" \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$run/finding-" $(dict_flag "$target") \
        "$run/corpus" "Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - started ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    cov=$(grep -oE '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
    if [ "$status" -eq 0 ]; then
        result="nothing found"
    else
        finding=$(ls -t "$run"/finding-* 2>/dev/null | head -1 || true)
        kind=$(grep -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-z-]+|Fatal error: .*' "$log" | head -1 || true)
        result="FOUND ${kind:-exit $status}: ${finding:-see $log}"
        failed+=("$target")
    fi
    line="$target: ${elapsed}s, ${execs:-?} execs, ${cov:-cov ?} — $result"
    summary+=("$line")
    echo "fuzz: $line"
    [ -n "${FUZZ_KEEP:-}" ] || rm -rf "$run/corpus"
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in ${failed[*]} (logs and inputs under $runs)" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found"
