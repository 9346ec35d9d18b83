#!/usr/bin/env bash
# Run the SQL examples of README.md, so the documentation cannot rot.
#
#   test/readme_examples.sh HOST PORT
#
# Every fenced block opened with ```sql is one test; a block opened with
# ```sql norun is skipped. Blocks run in order, each in its own psql call
# with ON_ERROR_STOP, all in one fresh database `rfm_readme`, so later blocks
# can use what earlier ones created. The README's first block is expected to
# do its own CREATE EXTENSION rfm, as a reader would.
#
# psql runs from the repo root as the calling user, so a block can \copy a
# repo-relative file such as test/data/CDNOW_sample.txt.
#
# Prints one ok/FAIL line per block and ends with `readme: N passed, M failed`;
# exits non-zero if a block failed.
set -euo pipefail

host=${1:?usage: readme_examples.sh HOST PORT}
port=${2:?usage: readme_examples.sh HOST PORT}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readme=$repo/README.md
# Normally run by run_all.sh, which exports RFM_BINDIR; standalone, ask.
if [[ -z ${RFM_BINDIR:-} ]]; then
    RFM_BINDIR=$("${PG_CONFIG:-$("$repo/test/ensure_deps.sh" --pg-config)}" --bindir)
fi
bindir=$RFM_BINDIR
db=rfm_readme

if [[ ! -f $readme ]]; then
    echo "readme: no README.md at the repo root yet; nothing to run"
    echo "readme: 0 passed, 0 failed"
    exit 0
fi

work=$(mktemp -d /tmp/rfm-readme.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

# Split the README into block files. The fence may be indented (inside a
# list item); the info string after ```sql decides whether to run it. Each
# block file is named by its number; the index records line number, status
# (run/norun) and the block's first non-empty line for the report.
awk -v dir="$work" '
    function first_line(s) { sub(/^[ \t]+/, "", s); return s }
    !inblock && /^[ \t]*```[ \t]*sql([ \t].*)?$/ {
        inblock = 1; n++; first = ""; start = NR
        info = $0; sub(/^[ \t]*```[ \t]*sql/, "", info)
        status = (info ~ /(^|[ \t,])norun([ \t,]|$)/) ? "norun" : "run"
        file = sprintf("%s/block_%03d.sql", dir, n)
        printf "" > file
        next
    }
    inblock && /^[ \t]*```[ \t]*$/ {
        inblock = 0; close(file)
        printf "%03d\t%d\t%s\t%s\n", n, start, status, first >> (dir "/index")
        next
    }
    inblock {
        print >> file
        if (first == "" && $0 !~ /^[ \t]*$/) first = first_line($0)
    }
    END {
        if (inblock) printf "%03d\t%d\tunclosed\t%s\n", n, start, first >> (dir "/index")
    }
' "$readme"

if [[ ! -s $work/index ]]; then
    echo "readme: README.md has no \`\`\`sql blocks"
    echo "readme: 0 passed, 0 failed"
    exit 0
fi

psql=("$bindir/psql" -X -q -h "$host" -p "$port" -U "${PGUSER:-postgres}")

# A fresh database every run; the extension is the README's business.
PGOPTIONS='-c client_min_messages=warning' "${psql[@]}" -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null

passed=0
failed=0
skipped=0
cd "$repo"
while IFS=$'\t' read -r num line status first; do
    label="block $((10#$num)) (README.md:$line): $first"
    case $status in
        norun)
            echo "skip $label"
            skipped=$((skipped + 1))
            continue ;;
        unclosed)
            echo "FAIL $label -- fence never closed"
            failed=$((failed + 1))
            continue ;;
    esac
    log=$work/block_$num.log
    if "${psql[@]}" -d "$db" -v ON_ERROR_STOP=1 \
        -f "$work/block_$num.sql" >"$log" 2>&1; then
        echo "ok   $label"
        passed=$((passed + 1))
    else
        echo "FAIL $label"
        # Keep it short: the error is at the end, where ON_ERROR_STOP stopped.
        tail -n 30 "$log" | sed 's/^/    | /'
        failed=$((failed + 1))
    fi
done <"$work/index"

((skipped == 0)) || echo "readme: $skipped block(s) marked norun were skipped"
echo "readme: $passed passed, $failed failed"
((failed == 0))
