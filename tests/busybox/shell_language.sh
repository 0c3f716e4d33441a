#!/bin/sh
# shell_language.sh - the busybox ash language itself.
#
# Usage: busybox sh shell_language.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
#
# Applets: sh echo printf test [ true false cat mkdir rm kill sleep wc
#          pwd
#
# Covers: variables and quoting, parameter expansion, positional
# parameters and shift, set --, "$@" vs "$*", IFS splitting, pipes and
# their exit status, redirections (> >> < 2>&1, fd duplication, exec),
# here-documents (expanding, quoted, <<-), subshells, command
# substitution ($() and backticks, nested), functions (return codes,
# local, recursion), traps (EXIT in the script and in a subshell, USR1 sent
# to ourselves with kill, TERM sent to a background subshell), for/while/
# until loops with break/continue, case patterns, arithmetic $((...)),
# read, eval, getopts, && || chains, ${var:?} in a subshell.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

trap 'echo "EXIT trap: script finished"' EXIT

echo "== variables and quoting"
a=hello
b="two  spaces"
echo $a "$b" '$a' "\$a" "${a}world"
echo "single 'inside' double" 'double "inside" single'
empty=
echo "[${empty}] [${empty:-default}] [${unset_var-unset}] [${a:+alt}]"
echo "length of b: ${#b}"
path=/usr/local/lib/libfoo.so.1.2
echo "${path##*/} ${path#*/} ${path%.*} ${path%%.*}"
x=abcabc
echo "${x#a} ${x##*b} ${x%c} ${x%%b*}"
: ${newvar:=assigned}
echo "newvar=$newvar"
(echo "${must_be_set:?is required}") 2>/dev/null || echo "\${var:?} aborts a subshell: status $?"
readonly ro=1
(ro=2) 2>/dev/null || echo "readonly variable cannot be assigned"

echo "== positional parameters"
set -- one "two words" three
echo "count=$#"
for arg in "$@"; do echo "  [\$@] $arg"; done
for arg in $*; do echo "  [\$*] $arg"; done
echo "joined: $*"
IFS=:
echo "with IFS=: joined: $*"
IFS=' 	
'
shift
echo "after shift: $# first=$1"
shift 2
echo "after shift 2: $#"
set -- a b c d e f g h i j k
echo "tenth=${10} eleventh=${11}"

echo "== IFS splitting"
line="alpha:beta::delta"
oldifs=$IFS
IFS=:
set -- $line
IFS=$oldifs
echo "fields=$# 1=$1 2=$2 3=[$3] 4=$4"

echo "== pipes and exit status"
echo "x y z" | wc -w
true | false
echo "status of true|false: $?"
false | true
echo "status of false|true: $?"
! false
echo "status of ! false: $?"
printf 'b\na\nc\n' | cat | cat -n

echo "== redirections"
echo first > out.txt
echo second >> out.txt
cat < out.txt
wc -l < out.txt
cat missing-file 2>/dev/null || echo "stderr discarded, status $?"
{ echo to-stdout; echo to-stderr >&2; } > both.txt 2>&1
cat both.txt
{ echo only-err >&2; } 2>err.txt >/dev/null
cat err.txt
exec 3> fd3.txt
echo "via fd 3" >&3
echo "via fd 3 again" >&3
exec 3>&-
cat fd3.txt
exec 4< out.txt
read -r first_line <&4
read -r second_line <&4
exec 4<&-
echo "read from fd 4: $first_line, $second_line"
echo "noclobber" > nc.txt
set -C
(echo again > nc.txt) 2>/dev/null || echo "noclobber refused to overwrite"
echo forced >| nc.txt
set +C
cat nc.txt

echo "== here-documents"
name=world
cat <<EOT
hello $name
sum: $((2 + 3))
cmd: $(echo substituted)
EOT
cat <<'EOT'
literal $name $((2 + 3)) `echo no`
EOT
cat <<-EOT
	leading tabs stripped
	  (only tabs)
	EOT
while read -r k v; do
	echo "key=$k value=$v"
done <<EOT
one 1
two 2
three 3 and more
EOT

echo "== subshells and command substitution"
v=outer
(v=inner; echo "in subshell: $v")
echo "after subshell: $v"
(cd /; echo "subshell cwd is /: $(pwd)")
here=$(pwd)
(cd / && cd /)
[ "$(pwd)" = "$here" ] && echo "cwd unchanged after cd in a subshell"
n=$(echo "a b c" | wc -w)
echo "words: $n"
old=`echo backticks`
echo "$old"
echo "nested: $(echo "outer $(echo "inner $(echo deepest)")")"
lines=$(printf 'l1\nl2\n\n\n')
echo "trailing newlines stripped: [$lines]"
(exit 7)
echo "subshell exit status: $?"

echo "== functions"
greet() {
	echo "hello, $1 (args: $#)"
}
greet alice
greet "bob smith" extra
ret() { return "$1"; }
ret 0 && echo "return 0 is success"
ret 3 || echo "return 3 is failure: $?"
counter=0
bump() { counter=$((counter + 1)); }
bump; bump; bump
echo "global modified by function: $counter"
scoped() {
	local counter=100
	counter=$((counter + 1))
	echo "local in function: $counter"
}
scoped
echo "global after local: $counter"
fact() {
	if [ "$1" -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi
}
echo "fact 10 = $(fact 10)"
fib() {
	local n=$1
	if [ $n -lt 2 ]; then echo $n; return; fi
	echo $(( $(fib $((n - 1))) + $(fib $((n - 2))) ))
}
echo "fib 15 = $(fib 15)"

echo "== loops"
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ $i -eq 3 ] && continue
	[ $i -eq 8 ] && break
	printf '%s ' "$i"
done
echo
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); printf 'w%s ' $i; done
echo
j=10
until [ $j -le 0 ]; do printf 'u%s ' $j; j=$((j - 3)); done
echo
for outer in a b; do
	for inner in 1 2 3; do
		[ $inner -eq 2 ] && continue 2
		echo "$outer$inner"
	done
done
total=0
for n in $(seq_like() { k=1; while [ $k -le 100 ]; do echo $k; k=$((k + 1)); done; }; seq_like); do
	total=$((total + n))
done
echo "sum 1..100 = $total"

echo "== case"
classify() {
	case "$1" in
	[0-9]|[0-9][0-9]) echo "$1: small number" ;;
	*.txt) echo "$1: text file" ;;
	a*|b*) echo "$1: starts with a or b" ;;
	"") echo "(empty): empty" ;;
	\*) echo "$1: a literal star" ;;
	*) echo "$1: something else" ;;
	esac
}
for w in 7 42 notes.txt apple banana cherry "" "*" 123; do classify "$w"; done

echo "== arithmetic"
echo $((1 + 2 * 3)) $(((1 + 2) * 3)) $((17 / 5)) $((17 % 5)) $((-17 / 5)) $((2 ** 10))
echo $((1 << 10)) $((255 >> 4)) $((0xff & 0x0f)) $((0x0f | 0xf0)) $((5 ^ 3)) $((~0))
echo $((3 > 2)) $((3 < 2)) $((3 == 3)) $((3 != 3)) $((1 && 0)) $((1 || 0)) $((!5))
echo $((010)) $((0x10)) $((5 > 3 ? 100 : 200))
k=5
k=$((k * 2)); echo "k=$k"
: $((k += 7)); echo "k+=7 -> $k"
: $((k++)); echo "k++ -> $k"
echo "max int64: $((9223372036854775807)) wraps to $((9223372036854775807 + 1))"

echo "== read"
echo "a b c d" | { read -r x y rest; echo "x=$x y=$y rest=$rest"; }
printf 'no newline at end' | { read -r line; echo "read status $? line=[$line]"; }
printf 'one\\\ntwo\n' | { read line; echo "without -r: [$line]"; }
printf 'k1=v1;k2=v2\n' | { IFS=';' read -r p1 p2; echo "$p1 / $p2"; }

echo "== eval and getopts"
cmd='echo evaluated $((6 * 7))'
eval "$cmd"
varname=dyn
eval "$varname=dynamic_value"
eval "echo \$$varname"
parse() {
	OPTIND=1
	while getopts "ab:c" opt "$@"; do
		case $opt in
		a) echo "  option a" ;;
		b) echo "  option b with [$OPTARG]" ;;
		c) echo "  option c" ;;
		?) echo "  unknown option" ;;
		esac
	done
	shift $((OPTIND - 1))
	echo "  remaining: $*"
}
parse -a -b value -c file1 file2
parse -ca -bX -- -notanoption

echo "== && || chains and test"
true && echo "and-then"
false || echo "or-else"
false && echo "never" || echo "fallback"
[ -z "" ] && [ -n "x" ] && echo "-z and -n"
[ 10 -gt 9 ] && [ 2 -le 2 ] && [ 3 -ne 4 ] && echo "numeric comparisons"
[ "abc" = "abc" ] && [ "abc" != "abd" ] && echo "string comparisons"
test -d . && test ! -f . && echo "test -d and !"
[ -e out.txt -a -s out.txt ] && echo "-e -a -s"
[ -e nope -o -e out.txt ] && echo "-o"
if [ "a" \< "b" ]; then echo "string less-than"; fi

echo "== traps"
trap 'echo "caught USR1"' USR1
kill -USR1 $$
echo "after kill -USR1"
trap - USR1
( trap 'echo "subshell EXIT trap"' EXIT; echo "in trapped subshell" )
( trap 'echo "TERM caught in background subshell"; exit 3' TERM
  : > ready
  while :; do sleep 0.01; done ) &
bg=$!
while [ ! -e ready ]; do sleep 0.01; done
kill -TERM $bg
wait $bg
echo "background subshell exit status: $?"
trap 'echo "INT trap"' INT
kill -INT $$
trap - INT

rm -f out.txt both.txt err.txt fd3.txt nc.txt ready
echo "== done"
