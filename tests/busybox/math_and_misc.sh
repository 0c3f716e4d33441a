#!/bin/sh
# math_and_misc.sh - numbers, dates and small utilities.
#
# Usage: busybox sh math_and_misc.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
# Dates are always fixed timestamps formatted with -u (TZ=UTC0 as well).
#
# Applets: sh expr seq factor bc dc printf echo date cal shuf sort getopt
#          ipcalc test [ [[ true false basename dirname uname tr awk sleep
#          unix2dos od which
#          head mkdir wc
#
# Covers: expr (arithmetic, comparison, length/substr/index/match, errors),
# seq (steps, negative steps, -s, -w, fractions), shell $((...)), factor,
# bc (scale, powers, bases, bc -l), dc, printf formats, echo -n/-e,
# date -u -d @N with many formats and back to %s, cal for fixed months
# (including the 1752 Gregorian switch), shuf (checked via sort),
# getopt, ipcalc, numeric/string test, [[ ]], basename/dirname, uname -s.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

echo "== expr"
expr 2 + 3
expr 10 - 20
expr 6 \* 7
expr 17 / 5
expr 17 % 5
expr 3 \< 5
expr 5 = 5
expr abc \> abd
expr length "hello world"
expr substr "hello world" 7 5
expr index "hello" l
expr "version-1.2.3" : 'version-\([0-9]*\)'
expr "abc123" : '[a-z]*'
expr 0 \| 7
expr 4 \& 0
expr 1 / 0 2>/dev/null; echo "division by zero status: $?"
expr 0 > /dev/null; echo "expr of 0 returns status: $?"

echo "== seq"
seq 5 | tr '\n' ' '; echo
seq 2 2 10 | tr '\n' ' '; echo
seq 10 -3 1 | tr '\n' ' '; echo
seq -s, 1 6
seq -w 8 11 | tr '\n' ' '; echo
seq 0.5 0.5 2 | tr '\n' ' '; echo
seq 3 1 | wc -l
seq 1000 | awk '{ s += $1 } END { print "sum of seq 1000:", s }'

echo "== shell arithmetic"
echo $(( (3 + 4) * (10 - 2) / 4 ))
echo $(( 1000000007 * 3 % 97 ))
a=0; for i in $(seq 1 20); do a=$((a + i * i)); done; echo "sum of squares 1..20 = $a"
p=1; for i in $(seq 1 20); do p=$((p * 2)); done; echo "2^20 = $p"
echo $(( 0x7fffffff + 1 )) $(( -5 / 2 )) $(( -5 % 2 ))

echo "== factor"
factor 360 97 1001 65536 4294967297 999999999989

echo "== bc dc"
echo '2 ^ 100' | bc
echo 'scale = 10; 22 / 7' | bc
echo 'obase = 16; 255; 4096' | bc
echo 'ibase = 2; 101010' | bc
echo 'scale = 20; sqrt(2)' | bc
echo 'scale = 30; 4 * a(1)' | bc -l
echo 'define f(n) { if (n < 2) return n; return f(n - 1) + f(n - 2); }; f(20)' | bc
dc -e '2 3 + p'
dc -e '10 3 / p'
dc -e '5 k 1 3 / p'
echo '7 6 * p' | dc

echo "== printf echo"
printf '%d|%5d|%-5d|%05d\n' 42 42 42 42
printf '%x %X %o %#x %#o\n' 255 255 8 255 8
printf '%.3f|%10.2f|%-10.1f|%e\n' 3.14159 2.5 2.25 1234.5
printf '%s|%10s|%-10s|%.2s\n' abc abc abc abc
printf '%c%c%c\n' A B C
printf '%s\n' one two three
printf '%d + %d = %d\n' 1 2 3 4 5 9
printf '100%%\n'
printf 'tab:\there, octal:\101, newline follows\n'
printf '%b\n' 'escape\tin %b'
printf '%d\n' 0x1f 010 -7
echo -n "no newline"; echo " <- continued"
echo -e 'e:\ttab\\backslash'
echo "a" "b" "c"

echo "== date (fixed timestamps only)"
date -u -d @0 +%Y
date -u -d @0 '+%Y-%m-%d %H:%M:%S %A'
date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %a %b %j %u %Z'
date -u -d @2147483647 '+%F %T'
date -u -d @4102444800 '+%F %T'
date -u -d @86399 +%T
date -u -d '2020-02-29 12:34:56' +%s
date -u -d '2000-01-01 00:00:00' '+%s %j %U'
date -u -d @951782400 '+%d %B %Y is day %j'
date -u -D %s -d 1000000000 '+%F %T'
date -u -d @1700000000 -R
date -u -d @1700000000 -I

echo "== cal"
cal 2 2024
cal 9 1752
cal 1 2000 | head -n 3

echo "== shuf (order is random, so sorted)"
shuf -i 1-10 | sort -n | tr '\n' ' '; echo
shuf -e red green blue | sort | tr '\n' ' '; echo
seq 1 100 | shuf | sort -n | awk '{ s += $1 } END { print "shuf kept all 100 lines, sum", s }'
shuf -n 3 -i 1-1000 | wc -l

echo "== getopt ipcalc"
getopt -o ab:c -- -a -b value file1 -c
getopt -o v -l verbose,name: -- --verbose --name=x arg
ipcalc -n -b -m 192.168.10.77/20
ipcalc -p 10.0.0.1 255.255.0.0
ipcalc -n -b 172.16.5.4/30

echo "== test and [["
for pair in "1 2" "2 2" "3 2"; do
	set -- $pair
	r=""
	[ "$1" -lt "$2" ] && r="$r lt"
	[ "$1" -le "$2" ] && r="$r le"
	[ "$1" -eq "$2" ] && r="$r eq"
	[ "$1" -ge "$2" ] && r="$r ge"
	[ "$1" -gt "$2" ] && r="$r gt"
	echo "$1 vs $2:$r"
done
test "abc" = "abc" && echo "test string equality"
test -n "" || echo "test -n of empty is false"
[[ "hello" == h* ]] && echo "[[ glob match ]]"
[[ 5 -gt 3 && -n "x" ]] && echo "[[ && ]]"
true && ! false && echo "true and not false"

echo "== misc"
basename /a/b/c.tar.gz .gz
dirname /a/b/c.tar.gz
uname -s
printf 'crlf\n' | unix2dos | od -c | head -n 1
which sh > /dev/null && echo "which finds sh in PATH"
which no-such-program-helctic > /dev/null || echo "which fails for a missing program"
sleep 0.1 && echo "slept 0.1 s"
echo "== done"
