#!/bin/sh
# archives.sh - archivers, compressors, checksums and encoders.
#
# Usage: busybox sh archives.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
# Archive *listings* are printed (sorted where the order would follow
# readdir order) but tar/cpio archive bytes are never checksummed: they
# embed owners, inode numbers and mtimes. Busybox gzip/bzip2/xz output
# has no timestamps, so compressed bytes are checksummed.
#
# Applets: sh tar gzip gunzip zcat bzip2 bunzip2 bzcat xz unxz xzcat cpio
#          md5sum sha1sum sha256sum sha512sum sha3sum crc32 base64
#          uuencode uudecode od hexdump xxd seq cat cmp find sort wc mkdir
#          rm ln readlink stat echo printf head
#          chmod cp cut ls sed tail
#
# Covers: tar create/list/extract (plain and -z/-j, -C, -O, symlinks,
# permissions), gzip/gunzip/zcat (-c, -d, -k, -t, -1..-9), bzip2 family,
# xz family (decompression only: a small .xz is embedded as base64),
# cpio -o/-t/-i, all checksum tools (-c verification too),
# base64 -d, uuencode/uudecode, od/hexdump/xxd dumps and xxd -r.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

mkdir -p tree/sub/deeper tree/empty
printf 'alpha\n' > tree/a.txt
seq 1 2000 > tree/sub/numbers.txt
printf 'binary\000data\377\376\n' > tree/sub/deeper/bin.dat
ln -s sub/numbers.txt tree/link
chmod 600 tree/a.txt
chmod 755 tree/sub/deeper/bin.dat

sums() { # checksums of every regular file below $1, in a stable order
	(cd "$1" && find . -type f | sort | while read -r f; do sha256sum "$f"; done)
}

echo "== checksums"
printf 'abc' > abc.txt
md5sum abc.txt
sha1sum abc.txt
sha256sum abc.txt
sha512sum abc.txt
sha3sum abc.txt
crc32 abc.txt
printf '' | sha256sum
seq 1 2000 | md5sum
sha256sum abc.txt tree/a.txt > SUMS
sha256sum -c SUMS
printf 'tampered' > abc.txt
sha256sum -c SUMS 2>/dev/null || echo "sha256sum -c detects the change: status $?"
md5sum tree/a.txt | md5sum -c - 2>/dev/null | sed 's/ *$//'
sums tree

echo "== tar"
tar cf plain.tar tree/a.txt tree/sub/numbers.txt tree/link
tar tf plain.tar
tar cf full.tar tree
tar tf full.tar | sort
mkdir out1
tar xf full.tar -C out1
sums out1/tree
readlink out1/tree/link
stat -c '%a %n' out1/tree/a.txt out1/tree/sub/deeper/bin.dat
[ -d out1/tree/empty ] && echo "empty directory extracted"
tar xOf full.tar tree/a.txt
tar czf full.tgz tree
tar tzf full.tgz | sort | head -n 3
mkdir out2
tar xzf full.tgz -C out2
sums out2/tree | sha256sum
sums tree | sha256sum
tar cjf full.tbz tree
mkdir out3
tar xjf full.tbz -C out3
cmp out3/tree/sub/numbers.txt tree/sub/numbers.txt && echo "tar -j round trip ok"
(cd tree && tar cf - sub) | (mkdir out4 && cd out4 && tar xf -)
find out4 | sort
tar xf plain.tar -C out4 tree/a.txt
cat out4/tree/a.txt

echo "== gzip"
cp tree/sub/numbers.txt n.txt
gzip n.txt
[ -f n.txt.gz ] && [ ! -e n.txt ] && echo "gzip replaced the file with n.txt.gz"
wc -c < n.txt.gz
sha256sum n.txt.gz
gzip -t n.txt.gz && echo "gzip -t: archive ok"
zcat n.txt.gz | tail -n 1
gunzip n.txt.gz
wc -l < n.txt
gzip -k n.txt
ls -1 n.txt*
rm n.txt.gz
gzip -1 -c n.txt | wc -c
gzip -9 -c n.txt | wc -c
gzip -c n.txt | gzip -d -c | cmp - n.txt && echo "gzip -c | gzip -d -c round trip"
echo "stdin data" | gzip | zcat
printf 'not gzip data' > bogus.gz
gunzip -c bogus.gz > /dev/null 2>&1 || echo "gunzip rejects bad data"

echo "== bzip2 xz"
bzip2 -c n.txt > n.bz2
wc -c < n.bz2
sha256sum n.bz2 | cut -c1-16
bzcat n.bz2 | md5sum
bunzip2 -c n.bz2 | tail -n 1
# busybox xz only decompresses: this is `seq 1 100 | xz -c` made with xz 5.4
base64 -d > n.xz <<'EOT'
/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4AEjAJNdABiCgo8iTvimVffwmaUlDZBFkVpRtJvKrNwF
MuyFUp+xSG3v3OhLuWG64JxTf5jIqVQO/D0q0wbXZkQ9VmSmzT3Xxx9E9BjfAgs/4sbGe+Hnf3lE
HHm3Qq5luBu1DoThmoIGIzlaf3KqQ/qlmh+SwL5FcXlK1ZPGkAo5rZxlhyq2GjjH4ZMXytA+Ceqw
Uu/rqot4AAAAKrjmrZZce1oAAa8BpAIAAGoE8texxGf7AgAAAAAEWVo=
EOT
wc -c < n.xz
xzcat n.xz | md5sum
unxz -c n.xz | head -n 2
xz -d -c n.xz | wc -l
unxz n.xz
[ -f n ] && [ ! -e n.xz ] && echo "unxz replaced n.xz with n"
tail -n 1 n

echo "== cpio"
find tree | sort | cpio -o -H newc > tree.cpio 2>/dev/null
cpio -t < tree.cpio 2>/dev/null
mkdir out5
(cd out5 && cpio -i -d < ../tree.cpio 2>/dev/null)
sums out5/tree | sha256sum
readlink out5/tree/link

echo "== base64 uuencode"
printf 'Hello, Helctic!' | base64
printf 'Hello, Helctic!' | base64 | base64 -d; echo
seq 1 50 | base64 | head -n 2
seq 1 50 | base64 | base64 -d | tail -n 1
head -c 64 tree/sub/numbers.txt | base64 -w 20
printf 'uu test\n' > uu.txt
uuencode uu.txt uu.txt > uu.enc
cat uu.enc
rm uu.txt
uudecode uu.enc
cat uu.txt
uuencode -m uu.txt uu.txt

echo "== od hexdump xxd"
printf 'AZaz09\n\t\000\377' > dump.bin
od -c dump.bin
od -A x -t x1 dump.bin
od -A d -t u2 dump.bin
od -A o -t o1 -N 4 dump.bin
od -t d4 dump.bin
hexdump -C dump.bin
hexdump -e '8/1 "%02x " "\n"' dump.bin
xxd dump.bin
xxd -p dump.bin
xxd -p dump.bin | xxd -r -p | cmp - dump.bin && echo "xxd -r -p round trip"
xxd -i dump.bin | head -n 2

rm -r tree out1 out2 out3 out4 out5
rm -f abc.txt SUMS plain.tar full.tar full.tgz full.tbz n.txt n.bz2 n bogus.gz tree.cpio uu.enc uu.txt dump.bin
ls -1
echo "== done"
