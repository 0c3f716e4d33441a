#!/bin/sh
# text_tools.sh - line-oriented text processing.
#
# Usage: busybox sh text_tools.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
#
# Applets: sh cat grep egrep fgrep sed awk sort uniq wc head tail cut tr
#          rev fold paste nl tac expand diff cmp tee strings dos2unix
#          printf echo rm
#          mkdir od
#
# Covers: grep -E -v -c -n -i -o -w -l -q -F, sed s///g, -n p, line and
# regex addresses, ranges, d, y, multiple -e, -i; awk fields, -F, sums,
# printf, NR/NF, END, arrays, functions; sort -n -r -k -t -u; uniq -c -d;
# wc -l -w -c; head/tail -n and -c (tail -n +N); cut -d -f and -c; tr
# ranges, -d, -s; rev, fold, paste, nl, tac, expand, diff, cmp, tee.
# Note: no ^ / ** / sin() in awk: Debian's busybox awk has no math support.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

cat > fruits.txt <<'EOT'
apple 3 red
banana 12 yellow
cherry 7 red
date 1 brown
elderberry 25 purple
fig 7 purple
grape 30 green
apple 5 green
EOT

cat > log.txt <<'EOT'
2024-01-01 INFO start service alpha
2024-01-01 WARN disk 91% full
2024-01-02 ERROR failed to open /var/db
2024-01-02 INFO retry ok
2024-01-03 ERROR timeout after 30s
2024-01-03 DEBUG details hidden
2024-01-04 INFO stop service alpha
EOT

echo "== grep"
grep red fruits.txt
grep -c red fruits.txt
grep -n purple fruits.txt
grep -v -E 'red|purple' fruits.txt
grep -E '^[a-c][a-z]+ [0-9]{2} ' fruits.txt
grep -i 'error' log.txt | wc -l
grep -o '[0-9][0-9]*%' log.txt
grep -w 'ok' log.txt
grep -l INFO log.txt fruits.txt
grep -q ERROR log.txt && echo "grep -q found ERROR"
grep -q CRITICAL log.txt || echo "grep -q status for no match: $?"
grep -F '/var/db' log.txt
echo "a.c abc" | grep -o -F 'a.c'
egrep -c 'INFO|WARN' log.txt
fgrep -c '.' fruits.txt
grep -e apple -e fig fruits.txt
grep -A1 WARN log.txt
grep -B1 DEBUG log.txt
grep -m 2 INFO log.txt

echo "== sed"
sed 's/a/A/g' fruits.txt | head -n 3
sed 's/a/A/' fruits.txt | head -n 2
sed -n '2,4p' fruits.txt
sed -n '/cherry/,/fig/p' fruits.txt
sed '3d;5,$d' fruits.txt
sed -n '$p' fruits.txt
sed -e 's/red/RED/' -e 's/green/GREEN/' fruits.txt | grep -E 'RED|GREEN'
sed 'y/abc/XYZ/' fruits.txt | head -n 2
sed -n 's/^\([a-z]*\) \([0-9]*\).*/\2=\1/p' fruits.txt
sed '/ERROR/!d' log.txt
sed -n '/INFO/{s/INFO/info/;p}' log.txt
sed 's/[0-9]\{4\}-\([0-9][0-9]\)-\([0-9][0-9]\)/\2.\1./' log.txt | head -n 2
sed '1i\
# header inserted' fruits.txt | head -n 2
sed '$a\
# footer appended' fruits.txt | tail -n 2
sed = fruits.txt | head -n 4
cp_f() { cat "$1" > "$2"; }
cp_f fruits.txt edit.txt
sed -i 's/ /_/g' edit.txt
cat edit.txt

echo "== awk"
awk '{ print $1 }' fruits.txt | head -n 3
awk '{ sum += $2 } END { print "total", sum, "count", NR, "avg", sum / NR }' fruits.txt
awk '$2 > 6 { printf "%-12s|%4d|%s\n", $1, $2, toupper($3) }' fruits.txt
awk '{ by[$3] += $2 } END { for (c in by) print c, by[c] }' fruits.txt | sort
awk -F- '{ print $2 "/" $3 }' log.txt | awk '{ print $1 }' | uniq
awk 'NR % 2 == 0 { print NR": "$0 }' fruits.txt
awk '{ print NF }' log.txt | sort -n | uniq -c
awk 'BEGIN { for (i = 1; i <= 5; i++) s = s i * i " "; print s }'
awk 'BEGIN { printf "%d %5.2f %e %x %o %c %s\n", 42.9, 3.14159, 12345.678, 255, 8, 65, "str" }'
awk 'BEGIN { print length("hello"), substr("hello world", 7), index("hello", "ll"), 2 * 2 * 2 }'
awk 'BEGIN { n = split("a:b:c:d", parts, ":"); print n, parts[1], parts[4] }'
awk 'BEGIN { s = "foo bar foo"; gsub(/foo/, "baz", s); print s; t = "x-y"; sub(/-/, "+", t); print t }'
awk 'function sq(x) { return x * x } BEGIN { print sq(7), sq(1.5) }'
awk '/ERROR/ { e++ } /INFO/ { i++ } END { print "errors=" e, "infos=" i }' log.txt
awk -v who=awk 'BEGIN { print "hello from " who }'
awk '{ $2 = $2 * 10; print }' OFS=, fruits.txt | head -n 2
awk 'BEGIN { print int(7.9), int(-7.9), 7 % 3, -7 % 3 }'
awk 'BEGIN { if (match("foobar123", /[0-9]+/)) print RSTART, RLENGTH }'
echo "b a c" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }'

echo "== sort and uniq"
sort fruits.txt | head -n 3
sort -r fruits.txt | head -n 2
sort -k2 -n fruits.txt | awk '{ print $2, $1 }'
sort -k2,2nr fruits.txt | head -n 3
sort -k3,3 -k1,1 fruits.txt | cut -d' ' -f1,3
sort -t- -k3,3 -k2,2 log.txt | head -n 2
cut -d' ' -f3 fruits.txt | sort -u
cut -d' ' -f3 fruits.txt | sort | uniq -c
cut -d' ' -f3 fruits.txt | sort | uniq -d
printf '10\n9\n100\n1\n' | sort
printf '10\n9\n100\n1\n' | sort -n
printf 'b\nB\na\nA\n' | sort
printf 'b\nB\na\nA\n' | sort -f
printf '3\n1\n2\n' | sort -c 2>/dev/null || echo "sort -c: unsorted input detected"

echo "== wc head tail"
wc -l < fruits.txt
wc -w < fruits.txt
wc -c < fruits.txt
wc fruits.txt log.txt
head -n 2 log.txt
head -c 10 log.txt; echo
tail -n 2 log.txt
tail -n +6 log.txt
tail -c 12 log.txt

echo "== cut tr"
cut -d' ' -f2- log.txt | head -n 2
cut -c1-4,6-7 log.txt | head -n 3
cut -d' ' -f1,3 fruits.txt | head -n 3
echo "Hello, World" | tr 'a-z' 'A-Z'
echo "Hello, World" | tr 'A-Za-z' 'N-ZA-Mn-za-m'
echo "hello   world    again" | tr -s ' '
echo "remove vowels please" | tr -d 'aeiou'
echo "a,b;c d" | tr ',; ' '\n\n\n'
printf 'x\001y\002z\n' | tr -d '\001-\002'

echo "== rev fold paste nl tac expand"
echo "stressed desserts" | rev
echo "The quick brown fox jumps over the lazy dog" | fold -w 10
echo "The quick brown fox jumps over the lazy dog" | fold -s -w 12
cut -d' ' -f1 fruits.txt > names.txt
cut -d' ' -f2 fruits.txt > counts.txt
paste names.txt counts.txt | head -n 3
paste -d: names.txt counts.txt | tail -n 2
paste -s -d, counts.txt
nl names.txt | head -n 3
tac names.txt | head -n 3
printf 'a\tb\tc\n' | expand -t 4 | od -c | head -n 1

echo "== diff cmp tee"
printf 'one\ntwo\nthree\nfour\n' > v1.txt
printf 'one\n2\nthree\nfour\nfive\n' > v2.txt
diff v1.txt v2.txt
echo "diff status: $?"
diff v1.txt v1.txt && echo "identical files: diff status 0"
cmp v1.txt v2.txt
echo "cmp status: $?"
cmp -s v1.txt v1.txt && echo "cmp -s equal"
echo "tee test" | tee tee1.txt tee2.txt | tr a-z A-Z
cat tee1.txt tee2.txt
echo "appended" | tee -a tee1.txt > /dev/null
cat tee1.txt

echo "== strings dos2unix"
printf 'abc\000\001\002longer string here\000xy\000' > bin.dat
strings bin.dat
strings -n 2 bin.dat
printf 'line1\r\nline2\r\n' > dos.txt
od -c dos.txt | head -n 1
dos2unix dos.txt
od -c dos.txt | head -n 1

rm -f fruits.txt log.txt edit.txt names.txt counts.txt v1.txt v2.txt tee1.txt tee2.txt bin.dat dos.txt
echo "== done"
