#!/bin/sh
# run-native.sh - build every tests/linux/*.c with musl-gcc and with gcc
# (static, -O2 -Wall -Wextra, warnings are errors for this script's verdict)
# into a temporary directory and run each binary natively.
#
# Usage: tests/linux/run-native.sh [-n REPEAT] [-v] [-k] [test ...]
#   -n REPEAT  run every binary REPEAT times (flakiness check), default 1
#   -v         show the full TAP output of every run (default: failures only)
#   -k         keep the build directory and print its path
#   test       names without .c (default: all)
# Exit status 0 only if every build is warning-free and every run passes.
#
# args_env_auxv is run the way the Helctic harness runs it:
#   args_env_auxv one "two words" three     with environment HELCTIC_TEST=yes
set -u
here=$(cd "$(dirname "$0")" && pwd)
repeat=1 verbose=0 keep=0
while getopts n:vk opt; do
	case $opt in
	n) repeat=$OPTARG ;;
	v) verbose=1 ;;
	k) keep=1 ;;
	*) echo "usage: $0 [-n REPEAT] [-v] [-k] [test ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	set --
	for f in "$here"/*.c; do set -- "$@" "$(basename "$f" .c)"; done
fi

# a hung test must not hang the run (status 124 = timed out)
tmo=""
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 ${HELCTIC_TEST_TIMEOUT:-120}"

work=$(mktemp -d "${TMPDIR:-/tmp}/helctic-native-XXXXXX")
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/musl" "$work/glibc" "$work/tmp"

total=0 bad=0
summary=""
note() { summary="$summary$1
"; }

build() { # flavour name
	fl=$1 name=$2 log="$work/$1/$2.build.log"
	if [ "$fl" = musl ]; then
		musl-gcc -static -O2 -Wall -Wextra -o "$work/musl/$name" "$here/$name.c" >"$log" 2>&1
	else
		gcc -static -O2 -Wall -Wextra -o "$work/glibc/$name" "$here/$name.c" -lpthread >"$log" 2>&1
	fi
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$log" ]; then
		echo "BUILD FAIL $fl/$name (status $rc):"
		sed 's/^/    /' "$log"
		return 1
	fi
	return 0
}

run_one() { # flavour name -> prints one line, returns status
	fl=$1 name=$2 bin="$work/$1/$2" out="$work/$1/$2.out"
	if [ "$name" = args_env_auxv ]; then
		(cd "$work/$fl" && $tmo env -i HELCTIC_TEST=yes "$bin" one "two words" three) >"$out" 2>&1
	else
		(cd "$work/$fl" && $tmo env TMPDIR="$work/tmp" "$bin") >"$out" 2>&1
	fi
	rc=$?
	res=$(grep '^# passed' "$out" | tail -n 1)
	[ -n "$res" ] || res="(no summary line)"
	if [ "$verbose" = 1 ]; then
		sed 's/^/    /' "$out"
	elif [ $rc -ne 0 ]; then
		grep -v '^ok ' "$out" | sed 's/^/    /'
	fi
	echo "$rc|$res"
}

for name in "$@"; do
	for fl in musl glibc; do
		total=$((total + 1))
		if ! build "$fl" "$name"; then
			bad=$((bad + 1))
			note "FAIL  $fl/$name (build)"
			continue
		fi
		i=0 fails=0 last=""
		while [ $i -lt "$repeat" ]; do
			i=$((i + 1))
			line=$(run_one "$fl" "$name")
			st=$(printf '%s\n' "$line" | tail -n 1)
			rc=${st%%|*} last=${st#*|}
			if [ "$rc" != 0 ]; then
				fails=$((fails + 1))
				printf '%s\n' "$line" | sed '$d'
				echo "  run $i of $fl/$name exited with status $rc"
			fi
		done
		if [ $fails -eq 0 ]; then
			note "PASS  $fl/$name  $last  (x$repeat)"
		else
			bad=$((bad + 1))
			note "FAIL  $fl/$name  $fails of $repeat runs failed; last: $last"
		fi
	done
done

printf '%s' "$summary"
echo "== $((total - bad)) of $total builds+runs passed"
[ "$keep" = 1 ] && echo "build directory: $work"
[ $bad -eq 0 ]
