#!/usr/bin/env python3
"""Per-function guest instructions of one repetition of a benchmarked path.

Usage: attribute.py BIG.txt SMALL.txt REPEATS KERNEL_ELF [USER_ELF] [--annotate FUNCTION]

BIG and SMALL are insncount.so outputs of two runs that differ only in how
many times the path ran (REPEATS more in BIG): their difference divided by
REPEATS is what one repetition costs, instruction by instruction, with
boot and set-up cancelled out. Inlined code counts for the function it
was inlined into. --annotate prints that function's disassembly with the
count of each instruction.
"""
import bisect, collections, re, subprocess, sys

def load(path):
    counts = {}
    for line in open(path):
        addr, n = line.split()
        counts[int(addr, 16)] = int(n)
    return counts

def symbols(elf):
    out = subprocess.run(['nm', '-C', '--defined-only', elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split(' ', 2)
        if len(parts) == 3 and parts[1] in 'tTwW':
            syms.append((int(parts[0], 16), parts[2]))
    return sorted(syms)

def main():
    args = [a for a in sys.argv[1:]]
    annotate = None
    if '--annotate' in args:
        i = args.index('--annotate')
        annotate = args[i + 1]
        del args[i:i + 2]
    big, small, repeats, kernel = args[0], args[1], float(args[2]), args[3]
    user = args[4] if len(args) > 4 else None
    a, b = load(big), load(small)
    per = {pc: (a.get(pc, 0) - b.get(pc, 0)) / repeats for pc in set(a) | set(b)}
    ksyms = symbols(kernel)
    usyms = symbols(user) if user else []
    def name(pc):
        syms = ksyms if pc >= 0xffff800000000000 else usyms
        i = bisect.bisect_right(syms, (pc, '\uffff')) - 1
        return syms[i][1] if i >= 0 else '?'
    if annotate:
        dump = subprocess.run(['objdump', '-d', '--no-show-raw-insn', '-M', 'intel', '-C', kernel],
                              capture_output=True, text=True, check=True).stdout
        inside = False
        for line in dump.splitlines():
            if line.endswith('>:'):
                inside = annotate in line
                if inside:
                    print(line)
                continue
            m = re.match(r'\s*([0-9a-f]+):', line)
            if inside and m:
                n = per.get(int(m.group(1), 16), 0)
                print(('%7.2f ' % n if n > 0.005 else ' ' * 8) + line)
        return
    by_function = collections.Counter()
    for pc, n in per.items():
        if abs(n) > 0.001:
            by_function[name(pc)] += n
    print('guest instructions per repetition: %.1f' % sum(by_function.values()))
    for fn, n in by_function.most_common():
        if n >= 0.5:
            print('%8.1f  %s' % (n, fn[:160]))

main()
