#!/bin/bash
# The runner of the `debian` test group (xtask/src/debian_tests.rs). The
# same file runs natively, chrooted into target/rootfs/tree, and inside
# Helctic as pid 1 (init=/bin/bash -- /root/helctic-tests/run.sh).
#
# `run.sh [LIST [LIMIT]]`: for each line `NAME SCRIPT [ARGS...]` of the
# file LIST beside this one (default `scenarios`) it runs SCRIPT ARGS with
# python3 (a .py) or bash in a new, empty working directory, with
# standard input from /dev/null and standard output and error into
# out/NAME.out and out/NAME.err, and prints `@@begin NAME` and
# `@@end NAME STATUS` on its own output. The host compares out/ from both
# runs. When all have run it prints `@@done` and ends; inside Helctic that
# ends pid 1, which powers the machine off.
#
# Each scenario runs in a session of its own (setsid), without a
# controlling terminal: natively xtask may have been started from one,
# inside Helctic pid 1 owns the console; job control must see the same.
# A scenario still running after LIMIT seconds (default 600) is stopped
# (status 124).

# The same environment in both worlds, nothing inherited: Helctic's init
# gets HOME=/ and TERM=linux, the chroot what xtask gives it.
if [ -z "$HELCTIC_RUNNER" ]; then
    exec env -i HELCTIC_RUNNER=1 HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash "$0" "$@"
fi
unset HELCTIC_RUNNER
# Resource limits are inherited too: inside Helctic Linux's boot defaults
# (1024 open files, 4096 at most), natively whatever xtask was started
# with (20000 on the build machines, which changes what Python's
# test_subprocess.test_no_leaking finds). Linux's defaults in both.
ulimit -Sn 1024 2>/dev/null
ulimit -Hn 4096 2>/dev/null

dir=$(cd "$(dirname "$0")" && pwd)
list=${1:-scenarios}
limit=${2:-600}
umask 022
cd / || exit 1
rm -rf "$dir/out"
mkdir -p "$dir/out"
echo "@@runner $(bash --version | head -n 1)"
while read -r name script args; do
    [ -n "$name" ] || continue
    work=/tmp/helctic-work/$name
    rm -rf "$work"
    mkdir -p "$work"
    case $script in
        *.py) interpreter=python3 ;;
        *) interpreter=bash ;;
    esac
    echo "@@begin $name"
    # $args is split into words on purpose.
    # shellcheck disable=SC2086
    (cd "$work" && exec setsid -w timeout -k 10 "$limit" "$interpreter" "$dir/$script" $args \
        <"/dev/null" >"$dir/out/$name.out" 2>"$dir/out/$name.err")
    status=$?
    rm -rf "$work"
    sync
    echo "@@end $name $status"
done <"$dir/$list"
rm -rf /tmp/helctic-work
sync
echo "@@done"
