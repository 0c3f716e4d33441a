#!/bin/sh
# devices_and_pipes.sh - device files, fifos and bulk data through pipes.
#
# Usage: busybox sh devices_and_pipes.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
# Only /dev/null, /dev/zero, /dev/full and /dev/urandom are used, and
# random data is only ever counted, never printed.
#
# Applets: sh dd cat head tail wc md5sum sha256sum gzip zcat mkfifo tee sort
#          uniq seq od tr cmp fallocate stat rm echo printf sleep grep
#          awk mkdir yes
#
# Covers: reading /dev/zero and /dev/urandom with dd and head -c, writing
# to /dev/null and /dev/full (ENOSPC), multi-megabyte pipelines through
# several processes, gzip of bulk data, fifos with background writers and
# readers (and the open rendezvous race), tee to several files, big sorts, cat -n/-v/-e, fallocate.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

echo "== /dev/zero /dev/null /dev/urandom /dev/full"
dd if=/dev/zero bs=1024 count=1024 2>/dev/null | md5sum
head -c 5000000 /dev/zero | wc -c
head -c 4096 /dev/zero | od -A d -t x1 | tail -n 2
cat /dev/null | wc -c
echo "discarded" > /dev/null && echo "writing to /dev/null succeeds"
head -c 100000 /dev/urandom | wc -c
head -c 100000 /dev/urandom | gzip -c | zcat | wc -c
dd if=/dev/urandom of=rand.bin bs=4096 count=16 2>/dev/null
stat -c '%s' rand.bin
cmp -s rand.bin /dev/zero && echo "random data is all zeros?!" || echo "random data differs from zeros"
head -c 65536 /dev/urandom | tr -d '\000' | wc -c | awk '{ print ($1 > 60000) ? "urandom bytes are mostly non-zero" : "suspicious urandom" }'
echo x > /dev/full 2>/dev/null || echo "write to /dev/full fails: status $?"
dd if=/dev/full bs=16 count=1 2>/dev/null | od -A d -t x1 | head -n 1
printf 'abc' | dd of=/dev/null 2>/dev/null && echo "dd to /dev/null ok"

echo "== bulk pipelines"
dd if=/dev/zero bs=65536 count=128 2>/dev/null | tr '\000' 'a' | sha256sum
seq 1 200000 | md5sum
seq 1 200000 | sort -r | head -n 3
seq 1 200000 | sort -r | sort -n | tail -n 1
seq 1 100000 | awk '{ print $1 % 7 }' | sort | uniq -c
seq 1 100000 | gzip -c | wc -c
seq 1 100000 | gzip -c | zcat | tail -n 1
head -c 8000000 /dev/zero | cat | cat | cat | wc -c
dd if=/dev/zero bs=1000 count=3000 2>/dev/null | dd bs=4096 2>/dev/null | wc -c
yes 0123456789 | head -c 10000000 | md5sum

echo "== fifos"
mkfifo fifo1
(echo "through the fifo"; seq 1 3) > fifo1 &
cat fifo1
wait
(sleep 0.05; seq 1 50000) > fifo1 &
wc -l < fifo1
wait
cat fifo1 > fifo.out &
reader=$!
printf 'written after the reader opened\n' > fifo1
wait $reader
cat fifo.out
rm fifo1 fifo.out
# A writer that opens, writes and closes before the waiting reader has run
# again: the reader's open must still return (Linux counts opens, not just
# open ends). Many rounds, since it is a race.
mkfifo fifo2
i=0
while [ $i -lt 200 ]; do
    (read x < fifo2; echo "$x" >> rounds.out) &
    echo "round $i" > fifo2
    wait
    i=$((i + 1))
done
wc -l < rounds.out
tail -n 1 rounds.out
rm fifo2 rounds.out

echo "== tee"
seq 1 5 | tee t1 t2 | tail -n 1
seq 6 7 | tee -a t1 > /dev/null
wc -l t1 t2 | head -n 2
seq 1 100000 | tee big.txt | md5sum
md5sum < big.txt

echo "== cat options"
printf 'one\n\n\ntwo\tTAB\001\n' > c.txt
cat -n c.txt
cat -e c.txt
cat -v c.txt
cat c.txt c.txt | wc -l
cat - c.txt <<'EOT' | head -n 2
from stdin
EOT

echo "== fallocate"
fallocate -l 1048576 alloc.bin
stat -c '%s' alloc.bin
od -A d -t x1 alloc.bin | head -n 2
tr -d '\000' < alloc.bin | wc -c
grep -c zzz alloc.bin || echo "grep finds nothing in the fallocated file: status $?"

rm -f rand.bin t1 t2 big.txt c.txt alloc.bin
echo "== done"
