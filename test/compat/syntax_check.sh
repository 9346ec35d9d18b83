#!/usr/bin/env bash
# Compile every src/*.c syntax-only against another PostgreSQL version's
# headers: how the 13, 14, 16, 17 and 18 columns of README "Supported
# versions" were checked (only 15 can be installed on the development
# machine). Not part of `make test`: it needs those headers.
#
#   test/compat/syntax_check.sh INCLUDE_DIR...
#
# INCLUDE_DIR: a configured PostgreSQL source tree's src/include (after
# `./configure && make -C src/backend generated-headers`), or an installed
# server include directory (`pg_config --includedir-server` of that version).
# Warnings are errors where they mean a missing or changed declaration.
# Prints one line per file with a diagnostic; exits non-zero on any.
set -uo pipefail
(($# > 0)) || { sed -n '2,13s/^# \{0,1\}//p' "$0" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
includes=()
for dir in "$@"; do includes+=(-I"$dir"); done
status=0
for f in "$repo"/src/*.c; do
    out=$(${CC:-gcc} -fsyntax-only -D_GNU_SOURCE -fPIC -fwrapv -fno-strict-aliasing \
        -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
        -Wmissing-prototypes -Wpointer-arith -Wdeclaration-after-statement \
        -Werror=implicit-function-declaration -Werror=int-conversion \
        -Werror=incompatible-pointer-types -Werror=vla \
        -I"$repo/src" "${includes[@]}" "$f" 2>&1) || status=1
    [[ -n $out ]] && { printf '%s\n' "$out"; status=1; }
done
echo "syntax_check: $(ls "$repo"/src/*.c | wc -l) files, $([[ $status == 0 ]] && echo clean || echo 'diagnostics above')"
exit "$status"
