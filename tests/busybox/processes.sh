#!/bin/sh
# processes.sh - process creation, signals, exit statuses and environment.
#
# Usage: busybox sh processes.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
# ps output differs between systems, so only its header line is printed;
# pids, timings and process counts are never printed.
#
# Applets: sh ps kill sleep usleep timeout env yes head xargs seq true false
#          setsid tty wc tail cat echo printf nproc grep sort
#          mkdir rm
#
# Covers: background jobs with $! and wait (exit statuses, several jobs),
# kill with TERM/KILL/USR1/HUP/-0/-s/-l, statuses 128+signal, traps in child
# shells, timeout, exec replacing a shell, sh -c with $0/$1, nested shells,
# long pipelines, many short-lived processes, xargs, yes|head (SIGPIPE),
# env -i/-u/assignments, setsid, tty on a non-terminal, nproc.
# ({ ...; } 2>/dev/null hides ash's "Terminated"/"Killed" job notices.)

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

echo "== ps"
ps | head -n 1
ps -o pid,comm | head -n 1
ps > ps.out 2>&1
echo "ps exit status: $?"
[ -s ps.out ] && echo "ps printed something"
rm -f ps.out

echo "== exit statuses"
true; echo "true: $?"
false; echo "false: $?"
sh -c 'exit 0'; echo "exit 0: $?"
sh -c 'exit 42'; echo "exit 42: $?"
sh -c 'exit 255'; echo "exit 255: $?"
sh -c 'exit 256'; echo "exit 256: $?"
{ sh -c 'kill -TERM $$'; } 2>/dev/null; echo "self TERM: $?"
{ sh -c 'kill -KILL $$'; } 2>/dev/null; echo "self KILL: $?"
{ sh -c 'kill -USR1 $$'; } 2>/dev/null; echo "self USR1: $?"
sh -c 'trap "exit 9" USR1; kill -USR1 $$; echo unreachable'; echo "trapped USR1 then exit 9: $?"
sh -c 'trap "" TERM; kill -TERM $$; echo "ignored TERM, still running"'; echo "status: $?"
nosuchcommand-helctic 2>/dev/null; echo "command not found: $?"
sh -c 'exec echo "exec replaced the shell"; echo never'
sh -c 'echo "\$0=$0 \$1=$1 \$#=$#"' zero one two
sh -c 'sh -c "sh -c \"echo three levels deep\""'

echo "== background jobs"
(while [ ! -e go ]; do usleep 10000; done; exit 12) &
p=$!
kill -0 $p 2>/dev/null && echo "background job is alive (kill -0)"
: > go
wait $p; echo "wait for the job: $?"
rm -f go
kill -0 $p 2>/dev/null || echo "reaped job is gone (kill -0 fails)"
sleep 10 &
p=$!
kill $p; { wait $p; } 2>/dev/null; echo "killed with TERM: $?"
sleep 10 &
p=$!
kill -9 $p; { wait $p; } 2>/dev/null; echo "killed with KILL: $?"
sleep 10 &
p=$!
# (not INT: a non-interactive shell starts background jobs with SIGINT ignored)
kill -s HUP $p; { wait $p; } 2>/dev/null; echo "killed with -s HUP: $?"
(exit 3) & a=$!
(exit 5) & b=$!
(sleep 0.05; exit 7) & c=$!
wait $c; echo "job c: $?"
wait $b; echo "job b: $?"
wait $a; echo "job a: $?"
for i in 1 2 3 4 5; do (echo "job $i" > job.$i) & done
wait
cat job.1 job.2 job.3 job.4 job.5
rm -f job.*
(
	trap 'echo "child shell got USR1"; exit 4' USR1
	: > ready
	while :; do usleep 10000; done
) &
p=$!
while [ ! -e ready ]; do usleep 10000; done
kill -USR1 $p
wait $p; echo "child with USR1 trap: $?"
rm -f ready

echo "== kill -l"
kill -l 9
kill -l 15
kill -l TERM
kill -l 130

echo "== timeout"
timeout 5 sh -c 'exit 6'; echo "timeout passes the status through: $?"
{ timeout 0.2 sleep 5; } 2>/dev/null; echo "timeout expired (TERM): $?"
{ timeout -s KILL 0.2 sleep 5; } 2>/dev/null; echo "timeout -s KILL expired: $?"

echo "== pipelines and many processes"
seq 1 300 | while read -r n; do echo $((n * n)); done | tail -n 1
seq 1 10 | sh -c 'while read -r x; do echo "$x"; done' | wc -l
i=0
while [ $i -lt 100 ]; do env true; i=$((i + 1)); done
echo "ran 100 short-lived processes"
n=$(for i in $(seq 1 50); do sh -c "echo $i"; done | wc -l)
echo "50 sh -c children printed $n lines"
seq 1 1000 | cat | cat | cat | cat | cat | wc -l
yes | head -n 3
yes helctic | head -c 20; echo
yes | head -n 100000 | wc -l
seq 1 10 | xargs -n 4 echo
seq 1 5 | xargs sh -c 'echo "xargs ran sh with $# args"' sh
printf 'a b\nc\n' | xargs -n 1 printf '<%s>\n'

echo "== environment"
env -i A=1 B=two env | sort
env -i PATH="$PATH" FOO=bar sh -c 'echo "FOO=$FOO HOME=[$HOME]"'
export EXPORTED=yes
NOTEXPORTED=no
sh -c 'echo "child sees EXPORTED=$EXPORTED NOTEXPORTED=[$NOTEXPORTED]"'
ONESHOT=once sh -c 'echo "one-shot assignment: $ONESHOT"'
echo "after one-shot: [${ONESHOT-}]"
env -u EXPORTED sh -c 'echo "env -u removed it: [${EXPORTED-}]"'
env | grep -c '^EXPORTED=yes$'

echo "== sessions and terminals"
setsid sh -c 'echo "setsid ran the command"' | cat
tty < /dev/null; echo "tty status: $?"
[ "$(nproc)" -ge 1 ] && echo "nproc reports at least one CPU"
echo "== done"
