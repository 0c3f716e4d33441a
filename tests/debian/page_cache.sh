# Page-cache sharing: 20 bash processes that stay alive must share the
# pages of bash, libc and the loader rather than hold a copy each.
# `bash page_cache.sh sharing`, run in an empty directory.
#
# It prints what must be the same everywhere (how many started, how many
# ended) and one measurement line, `@measure ...`: free memory
# (/proc/meminfo's MemFree) before and after the 20 start, in KiB. That
# line differs on every machine and is left out of the comparison; the
# host asserts its bound only for the run inside Helctic, where nothing
# else runs. Natively this machine's other work (compilers, other QEMUs)
# moves MemFree by far more than the processes use.
set -eu
COUNT=20

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

part_sharing() {
    mkdir ready
    mkfifo hold
    # Read-write: opening does not wait for a writer, and the pipe never
    # sees end-of-file while this shell holds it, so every reader blocks.
    exec 3<>hold
    # One bash first, run to completion: its pages are in the cache
    # before the measurement starts (the runner is bash too, but not
    # necessarily every page of it).
    bash -c 'read -t 0.01 line; : > warm' <&3 || true
    sync
    free_before=$(meminfo MemFree)
    cached_before=$(meminfo Cached)
    for _ in $(seq "$COUNT"); do
        # Each child marks itself ready from inside bash (no other
        # program), then blocks reading one byte: readers of one pipe
        # share its bytes, so a line could be split between two.
        bash -c ': > ready/$BASHPID; read -r -n 1 c; [ "$c" = g ]' <&3 &
    done
    n=0
    while [ "$(ls ready | wc -l)" -lt "$COUNT" ] && [ "$n" -lt 600 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    # A last moment for the last one to reach its read.
    sleep 0.5
    free_after=$(meminfo MemFree)
    cached_after=$(meminfo Cached)
    echo "ready: $(ls ready | wc -l)"
    alive=0
    for pid in $(jobs -p); do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
    echo "alive: $alive"
    echo "@measure processes=$COUNT free_before_kib=$free_before free_after_kib=$free_after cached_before_kib=$cached_before cached_after_kib=$cached_after"
    printf 'g%.0s' $(seq "$COUNT") >&3
    failed=0
    for pid in $(jobs -p); do wait "$pid" || failed=$((failed + 1)); done
    echo "ended, $failed failed"
    exec 3>&-
}

"part_$1"
