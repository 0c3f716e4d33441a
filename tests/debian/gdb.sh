# Debian's gdb debugging a small C program built here with gcc -g: a
# breakpoint, run, next, step into the callee, print a variable, a
# register, continue to the end; hardware watchpoints and breakpoints. Each part_NAME function is one scenario
# (`bash gdb.sh NAME`), run in an empty directory.
#
# gdb disables address-space randomization (as it does by default), so
# even the dynamic program's addresses are the same in both worlds and
# are compared as printed. Normalised: the inferior's process id.
#
# Left out while Helctic lacks them, in both worlds (each is a warning
# gdb prints and then works around):
# - personality(ADDR_NO_RANDOMIZE) fails ("Error disabling address space
#   randomization"): Helctic's personality(2) takes only PER_LINUX yet;
#   its programs are not randomized anyway;
# - /proc/<pid>/mem and /proc/<pid>/task/<tid>/mem and .../maps are
#   missing ("opening /proc/...mem file failed", "unable to open /proc
#   file"): gdb reads and writes the tracee with PTRACE_PEEKTEXT/POKETEXT
#   instead.
set -eu

write_program() {
    cat > prog.c <<'EOF'
#include <stdio.h>

static int counter;

int g(int x)
{
    int z = x * 3;
    counter += z;
    return z + 1;
}

int f(int x)
{
    int a = x + 1;
    int b = g(a);
    return a + b;
}

int main(void)
{
    int r = f(41);
    printf("result %d counter %d\n", r, counter);
    return 0;
}
EOF
}

# The session on ./prog (built with the gcc flags given), its output
# normalised, then the lines that matter checked by name.
debug() {
    write_program
    gcc -g -O0 "$@" -o prog prog.c
    gdb -batch -ex 'break f' -ex run -ex next -ex step -ex 'print x' -ex 'info registers rip' -ex continue ./prog > session.txt 2>&1 || echo "gdb status $?"
    sed -E 's/\(process [0-9]+\)/(process N)/' session.txt
    echo "-- checked"
    check() { grep -qE "$2" session.txt && echo "ok: $1" || echo "MISSING: $1"; }
    check "the breakpoint stops in f at line 14" '^Breakpoint 1, f \(x=41\) at prog\.c:14$'
    check "next goes to line 15" '^15	    int b = g\(a\);$'
    check "step lands in the callee g" '^g \(x=42\) at prog\.c:7$'
    check "print x shows g's argument" '^\$1 = 42$'
    check "rip is inside g" '^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <g\+[0-9]+>$'
    check "the program ran to its end" '^result 169 counter 126$'
    check "and exited normally" '^\[Inferior 1 \(process [0-9]+\) exited normally\]$'
}

# Hardware watchpoints (write and read) and a hardware breakpoint: gdb
# arms them through the debug registers (PTRACE_POKEUSER of u_debugreg).
part_watch() {
    write_program
    gcc -g -O0 -static -o prog prog.c
    # (gdb sets hardware breakpoints only in a running program.)
    gdb -batch -ex 'break main' -ex run -ex 'hbreak g' -ex continue -ex 'info registers rip' \
        -ex 'watch counter' -ex 'rwatch counter' -ex continue -ex continue -ex continue -ex continue ./prog > session.txt 2>&1 || echo "gdb status $?"
    sed -E 's/\(process [0-9]+\)/(process N)/' session.txt
    echo "-- checked"
    check() { grep -qE "$2" session.txt && echo "ok: $1" || echo "MISSING: $1"; }
    check "the hardware breakpoint stops in g" '^Breakpoint 2, g \(x=42\) at prog\.c:7$'
    check "the read watchpoint sees counter read first" '^Value = 0$'
    check "the write watchpoint sees the new value" '^New value = 126$'
    check "the read watchpoint sees printf's argument" '^Value = 126$'
    check "the program ran to its end" '^result 169 counter 126$'
}

part_static() {
    debug -static
}

part_dynamic() {
    debug
}

"part_$1"
