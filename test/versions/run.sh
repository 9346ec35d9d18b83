#!/usr/bin/env bash
# rfm built and run on other PostgreSQL releases than the one `make test`
# uses: 13 (Debian bullseye), 17 (trixie) and 18 (sid), each in a Debian
# chroot holding only postgresql-NN, postgresql-server-dev-NN, make and gcc
# (test/versions/chroot.sh makes it once per machine).
#
#   test/versions/run.sh [HOST PORT]     (run_all.sh passes its cluster; unused)
#   make test-versions
#
# In each chroot: a plain clone of the repo at HEAD, then
# test/versions/inside.sh there (plain make, make install, make
# installcheck in a throwaway cluster, isolation, fuzz, big, no crash in
# the server log). RFM_VERSIONS="bullseye:13 sid:18" picks releases;
# RFM_VERSIONS_TREE=worktree copies the work tree (uncommitted changes
# included) instead of cloning HEAD, for developing. Root only.
# Prints per version and step `N passed, M failed` (or skipped), and last
#     versions: N passed, M failed
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
versions=${RFM_VERSIONS:-bullseye:13 trixie:17 sid:18}
per_version_timeout=${RFM_VERSIONS_TIMEOUT:-1500}

total_passed=0
total_failed=0
summary=()
mounted=()

unmount_all() {
    local m i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        m=${mounted[i]}
        mountpoint -q "$m" && { umount "$m" 2>/dev/null || umount -l "$m"; }
    done
    mounted=()
}
child=''
stop_child() {
    [[ -n $child ]] || return 0
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
    child=''
}
trap 'stop_child; unmount_all' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What the server needs: /proc (initdb, pg_ctl), POSIX shared memory in
# /dev/shm, and the few device nodes debootstrap may not create in a
# container.
mount_chroot() {
    local dir=$1 d
    mkdir -p "$dir/proc" "$dir/dev/shm"
    mount -t proc proc "$dir/proc" && mounted+=("$dir/proc") || return 1
    mount -t tmpfs -o mode=1777,size=2g shm "$dir/dev/shm" && mounted+=("$dir/dev/shm") || return 1
    for d in null zero random urandom; do
        if [[ ! -c $dir/dev/$d ]]; then
            rm -f "$dir/dev/$d"
            touch "$dir/dev/$d"
            mount --bind "/dev/$d" "$dir/dev/$d" && mounted+=("$dir/dev/$d") || return 1
        fi
    done
}

# The source a new user would get: a clone at HEAD (or the work tree).
copy_source() {
    local dest=$1 f
    rm -rf "$dest"
    git clone -q --no-hardlinks "$repo" "$dest" || return 1
    git -C "$dest" checkout -q "$(git -C "$repo" rev-parse HEAD)" || return 1
    if [[ ${RFM_VERSIONS_TREE:-} == worktree ]]; then
        (cd "$repo" && git ls-files -z -m -o --exclude-standard) \
            | (cd "$repo" && xargs -0 -r tar -cf - --) | tar -xf - -C "$dest" || return 1
        (cd "$repo" && git ls-files -z -d) | (cd "$dest" && xargs -0 -r rm -f --)
    fi
}

run_version() {
    local suite=$1 major=$2 dir out rc=0 t0=$SECONDS
    out=$(mktemp /tmp/rfm-versions.XXXXXX)
    echo
    echo "===== PostgreSQL $major ($suite chroot) ====="
    if ! dir=$("$here/chroot.sh" "$suite" "$major"); then
        echo "$major: could not make the $suite chroot"
        echo "$major: 0 passed, 1 failed, 0 skipped" >"$out"
    elif ! copy_source "$dir/root/rfm"; then
        echo "$major: could not clone the repo into the chroot"
        echo "$major: 0 passed, 1 failed, 0 skipped" >"$out"
    elif ! mount_chroot "$dir"; then
        echo "$major: could not mount /proc, /dev/shm in the chroot"
        echo "$major: 0 passed, 1 failed, 0 skipped" >"$out"
    else
        # In the background so that a signal to this script reaches it
        # (stop_child): inside.sh then stops its cluster before the unmount.
        timeout -k 30 "$per_version_timeout" chroot "$dir" /usr/bin/env -i \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 TERM=dumb \
            bash -c 'cd /root/rfm && exec bash test/versions/inside.sh "$1"' inside "$major" \
            >"$out" 2>&1 &
        child=$!
        tail -n +1 --pid="$child" -f "$out" &
        wait "$child" || rc=$?
        child=''
        wait $!
        ((rc == 124)) && echo "$major: timed out after $per_version_timeout s"
        echo "$major: results/ and regression.diffs of make installcheck: $dir/root/rfm"
    fi
    unmount_all
    local line p=0 f=1 s=0
    line=$(grep -E "^$major: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$" "$out" | tail -n 1)
    if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
        p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
        ((rc != 0 && f == 0)) && f=1
    fi
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
    # Per step: "installcheck 25/0, isolation skipped, ..."
    local steps
    steps=$(sed -n -e "s/^pg$major \([a-z-]*\): \([0-9]*\) passed, \([0-9]*\) failed\$/\1 \2\/\3/p" \
                   -e "s/^pg$major \([a-z-]*\): skipped .*/\1 skipped/p" "$out" | paste -sd ',' - | sed 's/,/, /g')
    summary+=("$(printf 'PostgreSQL %-3s %-10s %3d passed, %d failed, %d skipped; %s; %d s' \
        "$major" "($suite)" "$p" "$f" "$s" "$steps" $((SECONDS - t0)))")
    rm -f "$out"
}

((EUID == 0)) || { echo "versions: needs root (debootstrap, chroot, mount)"; echo "versions: 0 passed, 1 failed"; exit 1; }
# One run at a time per machine: two would share the chroots, their
# clones and their mounts.
base=${RFM_VERSIONS_DIR:-/var/cache/rfm-versions}
mkdir -p "$base"
exec 9>"$base/.lock"
if ! flock -n 9; then
    echo "versions: another run holds $base/.lock; waiting for it (at most 1 h)"
    flock -w 3600 9 || { echo "versions: still locked after 1 h"; echo "versions: 0 passed, 1 failed"; exit 1; }
fi
# Chroots not made yet are made side by side first: each is mostly
# download and dpkg, so together they take about as long as one. (The first
# goes alone when debootstrap itself must be installed: one apt-get at a time.)
t0=$SECONDS
pids=()
for v in $versions; do
    if command -v debootstrap >/dev/null 2>&1; then
        "$here/chroot.sh" "${v%%:*}" "${v##*:}" >/dev/null &
        pids+=($!)
    else
        "$here/chroot.sh" "${v%%:*}" "${v##*:}" >/dev/null
    fi
done
((${#pids[@]} == 0)) || wait "${pids[@]}"
echo "versions: chroots ready or failed in $((SECONDS - t0)) s (a failed one is tried again below)"
for v in $versions; do
    run_version "${v%%:*}" "${v##*:}"
done
echo
echo "===== versions summary ====="
printf '%s\n' "${summary[@]}"
echo "versions: $total_passed passed, $total_failed failed"
((total_failed == 0))
