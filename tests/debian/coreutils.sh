# Debian's coreutils, findutils, grep, sed, gawk, diffutils, tar, xz and
# gzip on a tree the script makes itself. Each part_NAME function is one
# scenario (`bash coreutils.sh NAME`), run in an empty directory.
#
# Normalised, because it must differ between this machine's ext4 and
# Helctic's ext2: nothing is printed that depends on block allocation
# (du and stat print apparent sizes; `du -s` and `df` are checked for
# sanity, not printed); dates are set with touch -d and shown in a fixed
# format; inode numbers are never printed.
set -eu

# A small tree: text files with known content, a binary file, an empty
# file, a nested directory, files with fixed modification times.
make_tree() {
    mkdir -p tree/src/lib tree/docs tree/empty-dir tree/data
    printf 'int main(void) { return 0; }\n' > tree/src/main.c
    printf '#include "lib.h"\nint add(int a, int b) { return a + b; }\n' > tree/src/lib/lib.c
    printf 'int add(int a, int b);\n' > tree/src/lib/lib.h
    printf 'Title\n=====\nThe ERROR count is 3.\nwarning: disk low\nerror: again\n' > tree/docs/notes.txt
    printf 'alpha\nbeta\ngamma\n' > tree/docs/list.md
    : > tree/data/empty.dat
    head -c 70000 /dev/zero | tr '\0' 'z' > tree/data/big.dat
    seq 1 5000 > tree/data/numbers.dat
    touch -d '2020-01-01 00:00:00' tree/src/main.c tree/docs/list.md
    touch -d '2021-06-15 12:00:00' tree/marker
    touch -d '2022-03-03 03:03:03' tree/src/lib/lib.c tree/docs/notes.txt tree/data/*.dat
}

part_find() {
    make_tree
    echo "-- by name"; find tree -name '*.c' | sort
    echo "-- directories"; find tree -type d | sort
    echo "-- empty"; find tree -empty | sort
    echo "-- bigger than 64k"; find tree -type f -size +64k
    echo "-- smaller than 1k, not empty"; find tree -type f -size -2 ! -empty | sort
    echo "-- newer than the marker"; find tree -type f -newer tree/marker | sort
    echo "-- -exec {} ;"; find tree -name '*.h' -exec cat {} \;
    echo "-- -exec {} +"; find tree/src -type f -exec wc -l {} + | sort -k2
    echo "-- -printf"; find tree/docs -type f -printf '%f %s %TY-%Tm-%Td\n' | sort
    echo "-- maxdepth and prune"; find tree -maxdepth 1 | sort; find tree -path tree/src -prune -o -type f -print | sort
    echo "-- -delete"; find tree -name '*.md' -delete; find tree -name '*.md' | wc -l
}

part_grep() {
    make_tree
    echo "-- -r"; grep -r 'int' tree/src | sort
    echo "-- -ri with line numbers"; grep -rin 'error' tree | sort
    echo "-- -E alternation"; grep -E '^(alpha|gamma)$' tree/docs/list.md
    echo "-- -c"; grep -c . tree/data/numbers.dat; grep -c -E '^[0-9]*7$' tree/data/numbers.dat
    echo "-- -l and -L"; grep -rl add tree | sort; grep -rL add tree/src | sort
    echo "-- -v, -w, -o"; grep -v alpha tree/docs/list.md; echo "a cat concat" | grep -ow cat; grep -o '[0-9]' tree/docs/notes.txt
    echo "-- -F and -x"; printf 'a.b\naxb\n' | grep -F 'a.b'; grep -x 4999 tree/data/numbers.dat
    echo "-- context"; grep -A1 -B1 '^2500$' tree/data/numbers.dat
    echo "-- no match status"; grep -q nothing tree/docs/list.md || echo "status $?"
}

part_sed() {
    make_tree
    cp tree/docs/notes.txt n.txt
    sed -i 's/error/ERROR/g; s/^warning/WARNING/' n.txt
    cat n.txt
    sed -i.bak -e '1d' -e '$a\last line' n.txt
    cat n.txt; echo "backup has $(wc -l < n.txt.bak) lines"
    seq 10 | sed -n '3,5p;8q'
    echo "hello world hello" | sed -E 's/(hel+)o/[\1]/2'
    printf 'a b\nc d\n' | sed 'y/abcd/ABCD/; s/ /_/'
    seq 6 | sed -n 'h;n;G;p'
    seq 3 | sed '2i\inserted' | sed '$!N;s/\n/+/'
}

part_awk() {
    cat > sales.csv <<'EOF'
region,product,units,price
north,apple,10,0.5
south,apple,4,0.5
north,pear,7,0.8
east,plum,12,0.25
south,pear,3,0.8
north,plum,1,0.25
EOF
    awk -F, 'NR > 1 { units[$1] += $3; money[$1] += $3 * $4; n++ }
        END { for (r in units) printf "%-6s %4d units %7.2f\n", r, units[r], money[r] | "sort"; close("sort"); printf "rows %d\n", n }' sales.csv
    awk -F, 'NR > 1 && $3 > 5 { print toupper($2), length($1) }' sales.csv
    awk 'BEGIN { x = sprintf("%05.1f", 3.14159); split("a:b:c", p, ":"); print x, p[3], substr("helctic", 2, 3), index("abc", "c"), 2^10, int(-3.7) }'
    seq 100 | awk '{ s += $1; if ($1 % 10 == 0) m = m " " $1 } END { print s, s / NR, m }'
    echo "one two three" | awk '{ $2 = "TWO"; print; print NF; gsub(/o/, "0"); print }'
    printf 'b 2\na 1\nc 3\n' | gawk '{ a[$1] = $2 } END { n = asorti(a, k); for (i = 1; i <= n; i++) printf "%s=%s ", k[i], a[k[i]]; print "" }'
    gawk 'BEGIN { print strftime("%Y-%m-%d", 0, 1); print gensub(/([a-z]+)([0-9]+)/, "\\2\\1", "g", "abc123 de45"); print and(12, 10), or(12, 10), xor(12, 10) }'
}

part_diff() {
    seq 1 20 > a.txt
    seq 1 20 | sed -e 's/^5$/five/' -e '/^12$/d' > b.txt
    echo 21 >> b.txt
    # The header's file dates are this run's: drop them.
    diff -u a.txt b.txt | sed -e '1,2s/\t.*//' || true
    diff a.txt a.txt && echo "identical: status 0"
    diff -q a.txt b.txt || echo "differ: status $?"
    mkdir -p d1 d2; echo x > d1/same; echo x > d2/same; echo 1 > d1/f; echo 2 > d2/f; echo only > d1/extra
    diff -r d1 d2 || echo "status $?"
    cmp a.txt b.txt || echo "cmp status $?"
}

part_tar_xz() {
    make_tree
    tar cJf tree.tar.xz tree
    xz -t tree.tar.xz && echo "xz -t ok"
    tar tJf tree.tar.xz | sort
    mkdir out
    tar xJf tree.tar.xz -C out
    for f in $(cd tree && find . -type f | sort); do cmp "tree/$f" "out/tree/$f" || echo "DIFFERS: $f"; done
    diff -r tree out/tree && echo "round trip identical"
    echo "mtime kept: $(stat -c %y out/tree/src/main.c | cut -d. -f1)"
    xz -9 -k tree/data/numbers.dat
    xz -l tree/data/numbers.dat.xz | awk 'NR == 2 { print "streams", $1, "blocks", $2 }'
    xz -dc tree/data/numbers.dat.xz | md5sum
    md5sum < tree/data/numbers.dat
    tar cf plain.tar -C tree docs && tar tvf plain.tar --numeric-owner | awk '{ print $1, $2, $3, $6 }' | sort -k4
}

part_gzip() {
    make_tree
    cp tree/data/big.dat big
    gzip -9 big
    echo "big.gz exists: $([ -f big.gz ] && echo yes), big gone: $([ -e big ] || echo yes)"
    gzip -l big.gz | awk 'NR == 2 { print "uncompressed", $2 }'
    gunzip big.gz
    cmp big tree/data/big.dat && echo "gunzip restored it"
    seq 100000 | gzip -c | gzip -dc | tail -n 1
    printf 'abc' | gzip -n | md5sum
    gzip -c < tree/docs/list.md | zcat
    echo broken > bad.gz; gunzip bad.gz 2>/dev/null || echo "corrupt input refused: status $?"
}

part_sort() {
    # 200000 lines of pseudo-random numbers and words, made by awk with a
    # fixed seed: the same file on every machine.
    awk 'BEGIN { srand(42); for (i = 0; i < 200000; i++) printf "%d %s%d %d\n", int(rand() * 1000000), substr("kqzmxa", i % 6 + 1, 1), i % 977, i }' > big.txt
    md5sum < big.txt
    sort -n big.txt | md5sum
    sort -k2,2 -k1,1n big.txt | md5sum
    sort -u -k2,2 big.txt | wc -l
    cut -d' ' -f1 big.txt | sort -nu | wc -l
    sort -rn big.txt | head -n 3
    sort -n big.txt | sort -c -n && echo "sorted: sort -c agrees"
    sort --parallel=2 -S 1M -n big.txt | md5sum
    sort -t' ' -k3,3n big.txt | cmp - big.txt && echo "numeric on the counter gives the file back"
}

# Files owned by root and by the image's `user` (uid 1000), with fixed
# dates, in several modes.
make_owned_files() {
    touch -d '2023-04-05 06:07:08' a b
    mkdir d
    touch -d '2023-04-05 06:07:08' d
    chown user:user b
    chown 1000:1000 d
    chmod 640 a; chmod 4755 b; chmod 1777 d
    ln -s a link
    touch -h -d '2023-04-05 06:07:08' link
}

part_owner() {
    make_owned_files
    stat -c '%U:%G %u:%g %a %A %F %n' a b d link
    find . -user user | sort
    find . -uid 0 -type f
    id user
    id -nG user
    getent passwd user | cut -d: -f1,3,4,6,7
    getent group user
}

part_chown_setuid() {
    # Changing a regular file's owner or group clears its set-user-ID and
    # set-group-ID bits, even when root does it; a directory keeps them.
    touch f g h
    chmod 4755 f; chmod 2755 g; chmod 6755 h
    mkdir d; chmod 2775 d
    chown user f; chgrp user g; chown user:user h d
    stat -c '%U:%G %A %n' f g h d
    chmod 4755 f; chown user f
    stat -c '%A %n (same owner: cleared too)' f
}

part_ls_long() {
    make_owned_files
    # `total` counts allocated blocks, which differ between file systems.
    ls -l --time-style=long-iso | grep -v '^total'
    ls -ln --time-style=+%s a b | awk '{ print $1, $3, $4, $6, $7 }'
    ls -ld --time-style=long-iso d
}

part_stat() {
    make_tree
    stat -c '%n %s %a %A %F %h %U %G' tree/src/main.c tree/data/empty.dat tree/data/big.dat tree/empty-dir
    stat -c '%y' tree/src/main.c | cut -d. -f1
    stat -c '%Y' tree/marker
    ln tree/src/main.c hard
    stat -c '%h links' tree/src/main.c
    ln -s tree/docs/list.md sym
    stat -c '%F -> %N' sym
    stat -L -c '%F %s' sym
    stat -f -c '%T' . | grep -q -E 'ext2/ext3|ext4' && echo "stat -f: an ext file system"
    truncate -s 1G sparse
    stat -c 'sparse %s' sparse
}

part_du() {
    make_tree
    find tree -type f -exec du -b {} + | sort -k2
    du -b --apparent-size tree/data/big.dat tree/docs/notes.txt
    # du -s counts allocated blocks: ext2 counts its indirect blocks, ext4
    # its extents differently. Only sanity: at least the bytes in it.
    total=$(du -sk tree | cut -f1)
    bytes=$(find tree -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    echo "files hold $bytes bytes"
    [ "$((total * 1024))" -ge "$bytes" ] && echo "du -s: at least the files' bytes"
    du -s --apparent-size -b tree/src
}

part_df() {
    # The root file system, with sane numbers (they differ everywhere).
    df -P / | awk 'NR == 1 { print $1, $2, $3, $4, $5, $6 }
        NR == 2 { ok = ($2 > 0 && $3 > 0 && $4 > 0 && $3 + $4 <= $2 && $5 ~ /^[0-9]+%$/ && $6 == "/"); print "df / sane:", ok ? "yes" : "no: " $0 }'
    df -i / | awk 'NR == 2 { print "inodes sane:", ($2 > $3 && $3 > 1000) ? "yes" : "no: " $0 }'
    df -h / | awk 'NR == 2 { print "df -h size has a unit:", ($2 ~ /^[0-9.,]+[KMGT]$/) ? "yes" : "no: " $0 }'
    # The type: ext2 inside Helctic; "-" natively, where the chroot's /proc
    # shows the host's mounts, none of them at the chroot's root.
    df --output=target,fstype / | tail -n 1 | awk '{ print "df --output:", $1, ($2 ~ /^(ext[234]|-)$/) ? "ext2 or unknown" : $2 }'
}

part_text_tools() {
    make_tree
    wc tree/docs/notes.txt tree/docs/list.md
    wc -c tree/data/big.dat; wc -l < tree/data/numbers.dat; printf 'a b\tc\n  d' | wc -w
    printf 'a:b:c\nd:e:f\n' | cut -d: -f2,3
    printf 'abcdef\n' | cut -c2-4
    cut -d, -f1 --complement <<< 'x,y,z'
    seq 3 > p1; printf 'a\nb\nc\n' > p2; paste -d, p1 p2
    seq 6 | paste -s -d' ' -
    seq 6 | paste - - -
    printf '1 apple\n2 banana\n3 cherry\n5 elder\n' > left
    printf '1 red\n3 dark\n4 green\n5 black\n' > right
    join left right
    join -a1 -a2 -e NONE -o 0,1.2,2.2 left right
    join -v2 left right
    printf 'a\nb\nc\nd\n' > c1; printf 'b\nd\ne\n' > c2
    comm c1 c2 | tr '\t' '|'
    comm -12 c1 c2
    comm -3 c1 c2 | tr '\t' '|'
    tr -s ' ' <<< 'a   b    c'
    tr -d aeiou <<< 'programming language'
    printf 'x\ny\nx\nx\nz\n' | sort | uniq -c | awk '{ print $1, $2 }'
    rev <<< 'stressed'
    printf 'c\nb\na\n' | tac
    nl -ba tree/docs/list.md
    fold -w 5 <<< 'abcdefghijkl'
    expand -t 4 <<< $'a\tb'
    seq 3 | tee teed | md5sum; cat teed
    basename /a/b/c.txt .txt; dirname /a/b/c.txt; realpath -m /a/./b/../c
    numfmt --to=iec 1048576 123456789
    factor 1001 65537 600851475143
    printf '%s\n' 10 9 100 | sort -V | tr '\n' ' '; echo
    seq -s, -w 8 11
    expr 7 \* 6; expr length helctic
    od -A d -t x1 <<< 'AB'
    base64 <<< 'helctic'; base64 -d <<< 'aGVsY3RpYwo='
    sha256sum tree/docs/list.md | cut -c1-16
    shuf -i 1-10 --random-source=tree/data/numbers.dat | tr '\n' ' '; echo
}

part_split() {
    seq 1 1000 > all
    split -l 300 all part.
    ls part.*
    wc -l part.* | awk '{ print $1, $2 }'
    cat part.* | cmp - all && echo "split -l and cat restore it"
    split -b 1000 -d -a 3 all bytes.
    ls bytes.* | tr '\n' ' '; echo
    stat -c '%s %n' bytes.* | sort -k2
    cat bytes.* | md5sum; md5sum < all
    split -n 3 all thirds.
    wc -c thirds.* | awk '{ print $1, $2 }'
    csplit -s -f cs. all '/^500$/' '/^900$/'
    head -n 1 cs.00 cs.01 cs.02
}

part_xargs() {
    seq 1 20 | xargs -n 5 echo
    seq 1 20 | xargs -P 4 -n 1 sh -c 'echo $(( $1 * $1 ))' sh | sort -n | tr '\n' ' '; echo
    # -P 4 runs four at once: each worker says it started, then waits
    # (up to 30 s) until all four have; one at a time, the first would
    # wait alone and report it.
    seq 4 | xargs -P 4 -I{} sh -c 'touch started.{}; n=0; while [ "$(ls started.* | wc -l)" -lt 4 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done; ls started.* | wc -l > saw.{}'
    echo "workers saw $(cat saw.1 saw.2 saw.3 saw.4 | tr '\n' ' ')started"
    seq 10 | xargs -P 3 -n 2 sh -c 'echo $(( $1 + $2 ))' sh | sort -n | tr '\n' ' '; echo
    printf 'a b\0c d\0' | xargs -0 -n 1 printf '<%s>\n'
    echo 1 2 3 | xargs -t -n 1 true 2>&1
    seq 3 | xargs sh -c 'exit 255' sh 2>/dev/null || echo "xargs status $?"
    mkdir xd; touch xd/f1 xd/f2 xd/'with space'
    find xd -type f -print0 | xargs -0 ls | sort
}

# Debian's strace -f following ls: ls's own output, then which of the
# calls a listing must make strace named (the full list depends on the
# kernel's answers, e.g. which fallbacks glibc takes).
part_strace() {
    make_tree
    strace -f -qq -o trace.txt ls tree tree/src > ls.out
    cat ls.out
    echo "-- named by strace"
    sed -nE 's/^([0-9]+ +)?([a-z_0-9]+)\(.*/\2/p' trace.txt | sort -u > names.txt
    for call in execve openat getdents64 write exit_group; do
        grep -qx "$call" names.txt && echo "$call" || echo "$call MISSING"
    done
    echo "-- decoded arguments"
    grep -c 'openat(AT_FDCWD, "tree"' trace.txt
    grep -c 'write(1, "' trace.txt | sed 's/^[1-9][0-9]*$/some/'
}

"part_$1"
