# Debian's gcc and make: a small C project (two sources, a header, a
# Makefile with a pattern rule) built, rebuilt after a change, built with
# -j2, and run. Each part_NAME function is one scenario
# (`bash gcc_make.sh NAME`), run in an empty directory. Nothing needs
# normalising: make prints its commands, the program its results.
set -eu

make_project() {
    mkdir -p proj
    cat > proj/stats.h <<'EOF'
#ifndef STATS_H
#define STATS_H
#include <stddef.h>
struct stats { long min, max, sum; size_t n; };
void stats_add(struct stats *s, long v);
double stats_mean(const struct stats *s);
#endif
EOF
    cat > proj/stats.c <<'EOF'
#include "stats.h"
void stats_add(struct stats *s, long v) {
    if (s->n == 0 || v < s->min) s->min = v;
    if (s->n == 0 || v > s->max) s->max = v;
    s->sum += v;
    s->n++;
}
double stats_mean(const struct stats *s) { return s->n ? (double)s->sum / s->n : 0.0; }
EOF
    cat > proj/main.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "stats.h"
#ifndef GREETING
#define GREETING "hello"
#endif
int main(int argc, char **argv) {
    struct stats s = {0};
    char line[256];
    while (fgets(line, sizeof line, stdin)) stats_add(&s, strtol(line, NULL, 10));
    printf("%s: n=%zu min=%ld max=%ld sum=%ld mean=%.3f sqrt(max)=%.4f\n", GREETING, s.n, s.min, s.max, s.sum, stats_mean(&s), sqrt((double)s.max));
    for (int i = 1; i < argc; i++) printf("arg %d: %s (%zu)\n", i, argv[i], strlen(argv[i]));
    return s.n > 0 ? 0 : 3;
}
EOF
    cat > proj/Makefile <<'EOF'
CC = gcc
CFLAGS = -O2 -Wall -Wextra -Werror $(EXTRA)
LDLIBS = -lm
OBJS = main.o stats.o

stats: $(OBJS)
	$(CC) -o $@ $^ $(LDLIBS)

%.o: %.c stats.h
	$(CC) $(CFLAGS) -c -o $@ $<

check: stats
	seq 1 100 | ./stats one two
	! ./stats < /dev/null

clean:
	rm -f stats $(OBJS)

.PHONY: check clean
EOF
}

part_build() {
    make_project
    cd proj
    make
    seq 10 | ./stats alpha
    echo "-- nothing to do"
    make
    echo "-- the header newer than the objects: both objects again"
    # Age what was built instead of dating the header into the future
    # (make would warn about clock skew).
    touch -d '2001-01-01 00:00' main.o stats.o stats
    make
    make check
    echo "-- a define from the command line"
    make clean >/dev/null
    make EXTRA='-DGREETING=\"bonjour\"' > /dev/null
    seq 5 | ./stats
    file stats | grep -o 'ELF 64-bit LSB pie executable, x86-64' || true
    echo "-- the same, statically linked"
    gcc -O2 -static -o stats-static main.c stats.c -lm
    seq 3 | ./stats-static
    file stats-static | grep -o 'statically linked' || true
    echo "-- a compile error is reported"
    echo 'int broken(void) { return }' > broken.c
    if gcc -c broken.c 2>err.txt; then echo "compiled?!"; else echo "gcc failed as it should: $(grep -c error err.txt) error line(s)"; fi
}

part_parallel() {
    make_project
    # More objects, so that -j2 has something to do in parallel.
    cd proj
    for i in 1 2 3 4 5 6; do
        printf '#include "stats.h"\nlong extra%d(void) { return %d; }\n' "$i" "$i" > "extra$i.c"
    done
    make -j2 OBJS="main.o stats.o extra1.o extra2.o extra3.o extra4.o extra5.o extra6.o" 2>&1 | sort
    seq 1 1000 | ./stats
    nm stats | grep -c ' T extra'
    make clean >/dev/null
    # make -j2 and make -j1 give the same program.
    make -j2 >/dev/null && cp stats stats-j2 && make clean >/dev/null && make -j1 >/dev/null
    cmp stats stats-j2 && echo "-j2 and -j1 built the same binary"
    echo "-- a failing job stops make -j2"
    printf 'all: a b\na:\n\tfalse\nb:\n\tsleep 1; echo b done\n' > Makefile.fail
    make -j2 -f Makefile.fail >out.txt 2>&1 || echo "make failed: status $?"
    grep -c 'Error 1' out.txt
}

part_parallel4() {
    # make -j4 of sixteen generated sources: on several CPUs the compilers
    # really run at once. The same binary as make -j1's, and the same
    # results.
    make_project
    cd proj
    objs="main.o stats.o"
    for i in $(seq 1 16); do
        {
            printf '#include "stats.h"\n'
            printf 'static long table%d[64];\n' "$i"
            printf 'long gen%d(long x) {\n' "$i"
            printf '    for (int k = 0; k < 64; k++) table%d[k] = (x + k) * %d %% 1009;\n' "$i" "$i"
            printf '    long s = 0;\n    for (int k = 0; k < 64; k++) s += table%d[k];\n' "$i"
            printf '    return s;\n}\n'
        } > "gen$i.c"
        objs="$objs gen$i.o"
    done
    make -j4 OBJS="$objs" >build.txt 2>&1 || { echo "make -j4 failed"; cat build.txt; }
    grep -c '^cc\|^gcc' build.txt
    seq 1 500 | ./stats
    nm stats | grep -c ' T gen'
    cp stats stats-j4
    make clean OBJS="$objs" >/dev/null
    make -j1 OBJS="$objs" >/dev/null
    cmp stats stats-j4 && echo "-j4 and -j1 built the same binary"
    ls *.o | wc -l
}

"part_$1"
