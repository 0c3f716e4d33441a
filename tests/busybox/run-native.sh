#!/bin/sh
# run-native.sh - run every tests/busybox/*.sh natively with an unmodified
# busybox and check that the output is deterministic.
#
# Usage: tests/busybox/run-native.sh [-b BUSYBOX] [-o OUTDIR] [-n RUNS] [script ...]
#   -b BUSYBOX  the busybox binary (default: $BUSYBOX, else /tmp/bb/bin/busybox,
#               else `busybox` from PATH). Use the Debian busybox-static
#               binary, the same one that runs inside Helctic.
#   -o OUTDIR   keep each script's stdout as OUTDIR/<script>.out (the
#               reference a Helctic run is compared against)
#   -n RUNS     runs per script that must all agree (default 2)
#
# For each script: a fresh directory of symlinks, one per applet listed by
# `busybox --list`, all pointing at BUSYBOX, becomes the only PATH entry;
# the script runs as
#     env -i PATH=<that dir> HOME=/ BUSYBOX sh script.sh <fresh scratch dir>
# RUNS times and the stdouts must be byte-identical. A run also fails if it
# exits non-zero or never prints its "== done" line. Anything on
# stderr is shown (stderr is not part of the comparison).
#
# Finally the "# Applets:" header of every script is checked (each listed
# applet must exist in this busybox and appear in the script's code) and
# the number of distinct applets used across all scripts is printed.
# Exit status 0 only if every script passed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bb=${BUSYBOX:-}
outdir=""
runs=2
while getopts b:o:n: opt; do
	case $opt in
	b) bb=$OPTARG ;;
	o) outdir=$OPTARG ;;
	n) runs=$OPTARG ;;
	*) echo "usage: $0 [-b BUSYBOX] [-o OUTDIR] [-n RUNS] [script ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$bb" ]; then
	if [ -x /tmp/bb/bin/busybox ]; then bb=/tmp/bb/bin/busybox
	else bb=$(command -v busybox || true); fi
fi
if [ -z "$bb" ] || [ ! -x "$bb" ]; then
	echo "no busybox binary; get one with:" >&2
	echo "  cd /tmp && apt-get download busybox-static && dpkg -x busybox-static_*.deb /tmp/bb" >&2
	exit 2
fi
case $bb in /*) ;; *) bb=$(cd "$(dirname "$bb")" && pwd)/$(basename "$bb") ;; esac
[ -n "$outdir" ] && mkdir -p "$outdir"
if [ $# -eq 0 ]; then
	for f in "$here"/*.sh; do
		[ "$(basename "$f")" = run-native.sh ] && continue
		set -- "$@" "$(basename "$f" .sh)"
	done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/helctic-bb-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$bb" --list > "$work/applets" || exit 2
echo "busybox: $bb ($("$bb" 2>&1 | head -n 1))"

total=0 bad=0
for name in "$@"; do
	script="$here/$name.sh"
	total=$((total + 1))
	ok=1
	bindir="$work/bin-$name"
	mkdir "$bindir"
	while read -r a; do ln -s "$bb" "$bindir/$a"; done < "$work/applets"
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		scratch="$work/scratch-$name-$i"
		out="$work/$name.$i.out" err="$work/$name.$i.err"
		(cd "$work" && env -i PATH="$bindir" HOME=/ "$bb" sh "$script" "$scratch") >"$out" 2>"$err"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "  $name run $i: exit status $rc"
			ok=0
		fi
		if ! grep -qx '== done' "$out"; then
			echo "  $name run $i: did not reach '== done'"
			ok=0
		fi
		if [ -s "$err" ]; then
			echo "  $name run $i: stderr:"
			sed 's/^/    | /' "$err"
		fi
		if [ $i -gt 1 ] && ! cmp -s "$work/$name.1.out" "$out"; then
			echo "  $name run $i: output differs from run 1:"
			diff "$work/$name.1.out" "$out" | head -n 20 | sed 's/^/    /'
			ok=0
		fi
	done
	lines=$(wc -l < "$work/$name.1.out")
	sum=$(cksum < "$work/$name.1.out" 2>/dev/null | cut -d' ' -f1)
	[ -n "$outdir" ] && cp "$work/$name.1.out" "$outdir/$name.out"
	if [ $ok = 1 ]; then
		echo "PASS  $name  ($lines lines, identical in $runs runs, cksum $sum)"
	else
		echo "FAIL  $name"
		bad=$((bad + 1))
	fi
done

# ---- applet accounting from the "# Applets:" headers ----
: > "$work/used"
for name in "$@"; do
	script="$here/$name.sh"
	# header: "# Applets: a b c" plus continuation lines "#          d e"
	applets=$(awk '/^# Applets:/ { on = 1; sub(/^# Applets:/, ""); print; next }
		on && /^#          / { sub(/^#/, ""); print; next } { on = 0 }' "$script")
	code=$(grep -v '^[[:space:]]*#' "$script")
	set -f # the list contains '[' and '[['
	for a in $applets; do
		if ! grep -qxF -- "$a" "$work/applets"; then
			echo "  $name: '$a' is not an applet of this busybox"
			continue
		fi
		case $a in
		sh) echo sh >> "$work/used"; continue ;; # the interpreter itself
		'[' | '[[') pat=$(printf '%s' "$a" | sed 's/\[/\\[/g') ;;
		*) pat=$(printf '%s' "$a" | sed 's/[.]/\\./g') ;;
		esac
		if printf '%s\n' "$code" | grep -Eq -- "(^|[^A-Za-z0-9_.-])$pat([^A-Za-z0-9_.-]|\$)"; then
			echo "$a" >> "$work/used"
		else
			echo "  $name: applet '$a' is listed but not used"
		fi
	done
	set +f
done
n=$(sort -u "$work/used" | wc -l)
echo "distinct applets used: $n"
sort -u "$work/used" | tr '\n' ' ' | fold -s -w 78 | sed 's/^/  /'
echo
echo "== $((total - bad)) of $total scripts passed"
[ $bad -eq 0 ]
