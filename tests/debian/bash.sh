# Debian's bash: the language and the process machinery a shell script
# leans on. Every line printed is a fact that would read differently if
# the feature were broken. Nothing needs normalising: no pid, time or
# date is printed (pids are only compared with each other).
#
# Each part_NAME function is one scenario (`bash bash.sh NAME`).

# extglob changes how the functions below are parsed: on before them.
shopt -s extglob

# arrays
part_arrays() {
    a=(zero one "two words" three)
    a+=(four)
    echo "count ${#a[@]} third <${a[2]}> slice ${a[*]:1:2} last ${a[-1]}"
    unset 'a[1]'
    echo "indices ${!a[*]} after unset, count ${#a[@]}"
    for w in "${a[@]}"; do printf '[%s]' "$w"; done; echo
    sparse=(); sparse[10]=x; sparse[3]=y
    echo "sparse ${!sparse[*]} -> ${sparse[*]}"
}

# associative arrays
part_assoc() {
    declare -A color=([apple]=red [banana]=yellow [cherry]="dark red")
    color[lime]=green
    unset 'color[banana]'
    for k in $(printf '%s\n' "${!color[@]}" | sort); do echo "$k=${color[$k]}"; done
    echo "has apple: ${color[apple]+yes}, has banana: ${color[banana]+yes}"
    declare -A counts=()
    for w in a b a c b a; do counts[$w]=$(( ${counts[$w]:-0} + 1 )); done
    echo "counts a=${counts[a]} b=${counts[b]} c=${counts[c]}"
}

# functions and local
part_functions() {
    x=global
    outer() { local x=outer; inner; echo "outer sees $x"; }
    inner() { echo "inner sees $x"; x=changed-by-inner; }
    outer
    echo "global is $x"
    fact() { local n=$1; if (( n <= 1 )); then echo 1; else echo $(( n * $(fact $((n - 1))) )); fi; }
    echo "fact 10 = $(fact 10)"
    fib() { local -n out=$1; local i; out=(0 1); for ((i = 2; i < $2; i++)); do out+=($(( out[i-1] + out[i-2] ))); done; }
    fib seq 15
    echo "fib ${seq[*]}"
    returns() { return "$1"; }
    returns 7; echo "status 7 -> $?"
}

# traps
part_traps() {
    bash -c 'trap "echo exit trap ran, status \$?" EXIT; echo body; exit 3'
    echo "child exited $?"
    bash -c 'set -E; trap "echo ERR trap at line \$LINENO: \$BASH_COMMAND" ERR; false; echo after-false; f() { return 4; }; f; echo done'
    got=
    trap 'got="$got USR1"' USR1
    trap 'got="$got TERM"' TERM
    kill -USR1 $$
    kill -TERM $$
    kill -s USR1 $$
    echo "signals caught:$got"
    trap - USR1 TERM
    bash -c 'trap "echo child got HUP; exit 9" HUP; kill -HUP $$; sleep 5; echo not reached'
    echo "HUP child exit $?"
    # bash reports a child killed by a signal on stderr, with its pid.
    { bash -c 'kill -KILL $$; echo not reached'; } 2>/dev/null
    echo "KILLed child status $?"
    set -T
    trap 'echo RETURN trap in ${FUNCNAME:-main}' RETURN
    withreturn() { :; }
    withreturn
    trap - RETURN
    set +T
}

# here-documents and here-strings
part_heredocs() {
    name=world
    cat <<EOF
hello $name, $(( 6 * 7 ))
	tab kept
EOF
    cat <<'EOF'
no $expansion here $(date)
EOF
	cat <<-EOF
	leading tabs stripped
	EOF
    read -r first rest <<< "alpha beta gamma"
    echo "first=$first rest=$rest"
    tr a-z A-Z <<< "here string"
    wc -l <<< $'l1\nl2\nl3'
}

# process substitution
part_procsubst() {
    diff <(printf '%s\n' a b c) <(printf '%s\n' a B c) | head -n 4
    while read -r line; do echo "read <$line>"; done < <(printf 'x\ny\n')
    printf '%s\n' 3 1 2 > >(sort > sorted.txt)
    wait $!
    echo "sorted by >(...): $(tr '\n' ' ' < sorted.txt)"
    paste <(seq 3) <(seq 4 6) <(seq 7 9)
}

# coprocesses
part_coproc() {
    coproc BC { while read -r n; do echo $(( n * n )); done; }
    bc_pid=$BC_PID
    for n in 3 4 12; do echo "$n" >&"${BC[1]}"; read -r sq <&"${BC[0]}"; echo "square of $n is $sq"; done
    exec {BC[1]}>&-
    wait "$bc_pid"
    echo "coproc exited $?"
    coproc UPPER { tr a-z A-Z; }
    echo "make me loud" >&"${UPPER[1]}"
    exec {UPPER[1]}>&-
    read -r loud <&"${UPPER[0]}"
    echo "$loud"
    wait
}

# job control
part_jobs() {
    set -m
    # Long enough to be running whenever `jobs` looks, on a slow machine
    # too.
    sleep 3 &
    sleep 30 &
    echo "jobs: $(jobs | wc -l)"
    jobs | sed -e 's/  */ /g'
    kill %2
    wait %2
    echo "job 2 killed: status $?"
    wait %1
    echo "job 1 done: status $?"
    ( exit 5 ) &
    wait %%
    echo "subshell job status $?"
    pgid_ok=no
    sleep 30 &
    # With job control each job is its own process group (its pgid is its pid).
    [ "$(ps -o pgid= -p $! | tr -d ' ')" = "$!" ] && pgid_ok=yes
    kill %%
    wait
    echo "background job leads its group: $pgid_ok"
    echo "jobs left: $(jobs | wc -l)"
    set +m
}

# read -t
part_read_timeout() {
    # The writer says nothing for 2 s; read gives up after 0.2 s with a
    # status above 128.
    { sleep 2; echo late; } | { if read -r -t 0.2 line; then echo "read got $line"; else echo "read timed out: $(( $? > 128 ))"; fi; }
    echo quick | { read -r -t 5 line; echo "read within time: $line, status $?"; }
    mkfifo slow
    { sleep 1; echo "from the fifo"; } > slow &
    read -r -t 0.1 line < slow
    echo "fifo read timed out: $(( $? > 128 ))"
    wait
}

# printf -v
part_printf_v() {
    printf -v padded '%05d|%-6s|%x|%.3f' 42 ab 255 3.14159
    echo "$padded"
    printf -v joined '%s,' a b c
    echo "${joined%,}"
    printf '%q\n' "it's a \$test"
}

# [[ =~ ]] and BASH_REMATCH
part_regex() {
    re='^([a-z]+)-([0-9]+)\.(tar|zip)$'
    for f in pkg-12.tar other-7.zip bad_name.tar; do
        if [[ $f =~ $re ]]; then echo "$f: ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"; else echo "$f: no match"; fi
    done
    [[ abc == a* && ! x > y ]] && echo "pattern and string comparison"
}

# extglob
part_extglob() {
    shopt -s nullglob
    touch a.c b.c c.h main.o lib.o README
    echo "not objects: $(echo !(*.o))"
    echo "c or h: $(echo *.@(c|h))"
    echo "one+ of b: $(echo +(b).c)"
    v=xxxhelloxxx
    echo "trimmed: ${v##+(x)} ${v%%+(x)}"
    shopt -u nullglob
}

# brace expansion
part_braces() {
    echo {a,b,c}{1,2}
    echo {1..10..3} {z..u} {08..11}
    echo pre-{x,y{1..2}}-post
}

# arithmetic
part_arithmetic() {
    echo $(( 2 ** 40 )) $(( -7 / 2 )) $(( -7 % 3 )) $(( 1 << 62 )) $(( 0x1F ^ 2#101 )) $(( 8#777 ))
    i=5; (( i += 3, i *= 2 )); echo "i=$i"
    echo $(( i > 10 ? i - 10 : 0 )) $(( (3 + 4) * 5 ))
    let "j = i / 3" ; echo "j=$j"
    echo $(( 9223372036854775807 + 1 ))
}

# command substitution nesting
part_comsub() {
    echo "outer $(echo "middle $(echo "inner $(echo deepest)")")"
    echo "count $(echo $(seq 5 | wc -l))"
    echo "backquotes `echo old style`"
}

# mapfile
part_mapfile() {
    printf 'one\ntwo\nthree\nfour\n' > four.txt
    mapfile -t lines < four.txt
    echo "mapfile ${#lines[@]}: ${lines[1]} ${lines[3]}"
    seq 10 > ten.txt
    mapfile -t -s 1 -n 2 some < ten.txt
    echo "skip 1 take 2: ${some[*]}"
    printf x,y,z > fields.txt
    readarray -d , -t fields < fields.txt
    seq 3 | { mapfile -t piped; echo "from a pipe: ${piped[*]}"; }
    echo "fields ${#fields[@]}: ${fields[2]}"
}

# declare
part_declare() {
    declare -i num="3 + 4"
    declare -r ro=fixed
    declare -u up=shout
    declare -l low=QUIET
    echo "num=$num ro=$ro up=$up low=$low"
    ( ro=again ) 2>/dev/null || echo "readonly refused"
    declare -A cfg; cfg[k]=v
    declare -p cfg num
    returns() { return "$1"; }
    declare -f returns
}

# string operations
part_strings() {
    s="The quick brown fox jumps over the lazy dog"
    echo "len ${#s}"
    echo "sub ${s:4:5} tail ${s: -3}"
    echo "replace ${s/quick/slow} all ${s//o/0}"
    echo "prefix ${s#The } greedy ${s##* } suffix ${s% dog} greedy ${s%% *}"
    echo "upper ${s^^} first ${s^} lower ${s,,}"
    path=/usr/lib/x86_64-linux-gnu/libc.so.6
    echo "dir ${path%/*} base ${path##*/} ext ${path##*.}"
    unset undefined_var
    echo "default ${undefined_var:-fallback} alt ${s:+set}"
    echo "indirect: $(ref=s; echo "${!ref:0:3}")"
}

# pipes and status
part_pipes() {
    set -o pipefail
    false | true; echo "pipefail status $?"
    set +o pipefail
    true | false | true; echo "PIPESTATUS ${PIPESTATUS[*]}"
    seq 100000 | head -n 2
    echo "end"
}

set -u
"part_$1"
