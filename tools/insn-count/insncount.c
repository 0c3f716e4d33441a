/* Exact per-instruction execution counts of a QEMU TCG guest, for finding
   where a path's guest instructions go (what `-icount` benchmarks count).
   A QEMU plugin (API version 1, QEMU 7.2): every translated instruction gets
   an inline counter; at exit, "address count" lines go to out=FILE.
   Declares the few plugin entry points it uses itself (Debian ships no
   plugin header). See README.md for the measuring recipe. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
typedef uint64_t qemu_plugin_id_t;
typedef struct { const char *target_name; struct { int min, cur; } version; bool system_emulation; union { struct { int smp_vcpus, max_vcpus; } system; }; } qemu_info_t;
struct qemu_plugin_tb; struct qemu_plugin_insn;
extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, void (*)(qemu_plugin_id_t, struct qemu_plugin_tb *));
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, void (*)(qemu_plugin_id_t, void *), void *);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
extern struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *, size_t);
extern uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *);
extern void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *, int op, void *ptr, uint64_t imm);
__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define NB (1u << 22)
static uint64_t keys[NB]; static uint64_t *vals[NB];
static const char *outpath = "/tmp/insncount.out";
static uint64_t *slot(uint64_t va) {
    uint64_t h = (va * 0x9E3779B97F4A7C15ull) >> 42;
    for (;;) {
        h &= NB - 1;
        if (vals[h] && keys[h] == va) return vals[h];
        if (!vals[h]) { keys[h] = va; vals[h] = calloc(1, 8); return vals[h]; }
        h++;
    }
}
static void trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *in = qemu_plugin_tb_get_insn(tb, i);
        qemu_plugin_register_vcpu_insn_exec_inline(in, 0, slot(qemu_plugin_insn_vaddr(in)), 1);
    }
}
static void fin(qemu_plugin_id_t id, void *p) {
    FILE *f = fopen(outpath, "w");
    for (uint32_t i = 0; i < NB; i++) if (vals[i] && *vals[i]) fprintf(f, "%lx %lu\n", keys[i], *vals[i]);
    fclose(f);
}
__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
    for (int i = 0; i < argc; i++) if (!strncmp(argv[i], "out=", 4)) outpath = argv[i] + 4;
    qemu_plugin_register_vcpu_tb_trans_cb(id, trans);
    qemu_plugin_register_atexit_cb(id, fin, NULL);
    return 0;
}
