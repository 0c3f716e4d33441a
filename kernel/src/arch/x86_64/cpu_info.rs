//! What /proc/cpuinfo says about a CPU, read from CPUID: identification,
//! caches, address sizes and the feature flags under Linux's names.

use super::cpu::cpuid;
use alloc::string::String;
use alloc::vec::Vec;

pub struct CpuDescription {
    pub vendor: String,
    pub family: u32,
    pub model: u32,
    pub stepping: u32,
    pub model_name: String,
    /// The highest basic CPUID leaf.
    pub cpuid_level: u32,
    pub apic_id: u32,
    /// Last-level cache, in KiB (0: CPUID does not say).
    pub cache_kib: u32,
    pub clflush_bytes: u32,
    pub physical_bits: u32,
    pub virtual_bits: u32,
    pub flags: Vec<&'static str>,
}

/// Linux's flag names for CPUID bits, as (leaf, subleaf, register, bits):
/// register 0..=3 is eax, ebx, ecx, edx; "" marks bits Linux hides.
const FLAG_TABLES: [(u32, u32, usize, [&str; 32]); 7] = [
    (
        1,
        0,
        3,
        [
            "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "", "sep", "mtrr", "pge", "mca",
            "cmov", "pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm",
            "ia64", "pbe",
        ],
    ),
    (
        1,
        0,
        2,
        [
            "pni",
            "pclmulqdq",
            "dtes64",
            "monitor",
            "ds_cpl",
            "vmx",
            "smx",
            "est",
            "tm2",
            "ssse3",
            "cid",
            "sdbg",
            "fma",
            "cx16",
            "xtpr",
            "pdcm",
            "",
            "pcid",
            "dca",
            "sse4_1",
            "sse4_2",
            "x2apic",
            "movbe",
            "popcnt",
            "tsc_deadline_timer",
            "aes",
            "xsave",
            "",
            "avx",
            "f16c",
            "rdrand",
            "hypervisor",
        ],
    ),
    (
        0x8000_0001,
        0,
        3,
        [
            "", "", "", "", "", "", "", "", "", "", "", "syscall", "", "", "", "", "", "", "", "mp", "nx", "",
            "mmxext", "", "", "fxsr_opt", "pdpe1gb", "rdtscp", "", "lm", "3dnowext", "3dnow",
        ],
    ),
    (
        0x8000_0001,
        0,
        2,
        [
            "lahf_lm",
            "cmp_legacy",
            "svm",
            "extapic",
            "cr8_legacy",
            "abm",
            "sse4a",
            "misalignsse",
            "3dnowprefetch",
            "osvw",
            "ibs",
            "xop",
            "skinit",
            "wdt",
            "",
            "lwp",
            "fma4",
            "tce",
            "",
            "nodeid_msr",
            "",
            "tbm",
            "topoext",
            "perfctr_core",
            "perfctr_nb",
            "",
            "bpext",
            "ptsc",
            "perfctr_llc",
            "mwaitx",
            "",
            "",
        ],
    ),
    (
        7,
        0,
        1,
        [
            "fsgsbase",
            "tsc_adjust",
            "sgx",
            "bmi1",
            "hle",
            "avx2",
            "",
            "smep",
            "bmi2",
            "erms",
            "invpcid",
            "rtm",
            "cqm",
            "",
            "mpx",
            "rdt_a",
            "avx512f",
            "avx512dq",
            "rdseed",
            "adx",
            "smap",
            "avx512ifma",
            "",
            "clflushopt",
            "clwb",
            "intel_pt",
            "avx512pf",
            "avx512er",
            "avx512cd",
            "sha_ni",
            "avx512bw",
            "avx512vl",
        ],
    ),
    (
        7,
        0,
        2,
        [
            "",
            "avx512vbmi",
            "umip",
            "pku",
            "ospke",
            "waitpkg",
            "avx512_vbmi2",
            "",
            "gfni",
            "vaes",
            "vpclmulqdq",
            "avx512_vnni",
            "avx512_bitalg",
            "tme",
            "avx512_vpopcntdq",
            "",
            "la57",
            "",
            "",
            "",
            "",
            "",
            "rdpid",
            "",
            "",
            "cldemote",
            "",
            "movdiri",
            "movdir64b",
            "",
            "",
            "",
        ],
    ),
    (
        7,
        0,
        3,
        [
            "",
            "",
            "avx512_4vnniw",
            "avx512_4fmaps",
            "fsrm",
            "",
            "",
            "",
            "avx512_vp2intersect",
            "",
            "md_clear",
            "",
            "",
            "",
            "serialize",
            "",
            "tsxldtrk",
            "",
            "pconfig",
            "arch_lbr",
            "",
            "",
            "amx_bf16",
            "avx512_fp16",
            "amx_tile",
            "amx_int8",
            "",
            "",
            "flush_l1d",
            "arch_capabilities",
            "",
            "",
        ],
    ),
];

fn register(r: super::cpu::CpuidResult, index: usize) -> u32 {
    [r.eax, r.ebx, r.ecx, r.edx][index]
}

fn ascii(words: &[u32]) -> String {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).filter(|&b| b != 0).collect();
    String::from_utf8_lossy(&bytes).trim().into()
}

/// Describes the CPU this runs on.
pub fn describe() -> CpuDescription {
    let l0 = cpuid(0, 0);
    let max_ext = cpuid(0x8000_0000, 0).eax;
    let l1 = cpuid(1, 0);
    let base_family = (l1.eax >> 8) & 0xf;
    let base_model = (l1.eax >> 4) & 0xf;
    // Extended family and model count only for the families that use them.
    let family = if base_family == 0xf { base_family + ((l1.eax >> 20) & 0xff) } else { base_family };
    let model =
        if base_family == 0xf || base_family == 0x6 { base_model | (((l1.eax >> 16) & 0xf) << 4) } else { base_model };
    let model_name = if max_ext >= 0x8000_0004 {
        let mut words = Vec::new();
        for leaf in 0x8000_0002..=0x8000_0004 {
            let r = cpuid(leaf, 0);
            words.extend_from_slice(&[r.eax, r.ebx, r.ecx, r.edx]);
        }
        ascii(&words)
    } else {
        String::from("unknown")
    };
    let mut flags = Vec::new();
    for (leaf, sub, reg, names) in FLAG_TABLES.iter() {
        let available = if *leaf >= 0x8000_0000 { max_ext >= *leaf } else { l0.eax >= *leaf };
        if !available {
            continue;
        }
        let bits = register(cpuid(*leaf, *sub), *reg);
        flags.extend(names.iter().enumerate().filter(|(i, n)| !n.is_empty() && bits & (1 << i) != 0).map(|(_, n)| *n));
    }
    // L2 size from the extended leaf (both vendors answer it), in KiB.
    let cache_kib = if max_ext >= 0x8000_0006 { cpuid(0x8000_0006, 0).ecx >> 16 } else { 0 };
    let (physical_bits, virtual_bits) = if max_ext >= 0x8000_0008 {
        let r = cpuid(0x8000_0008, 0).eax;
        (r & 0xff, (r >> 8) & 0xff)
    } else {
        (36, 48)
    };
    CpuDescription {
        vendor: ascii(&[l0.ebx, l0.edx, l0.ecx]),
        family,
        model,
        stepping: l1.eax & 0xf,
        model_name,
        cpuid_level: l0.eax,
        apic_id: l1.ebx >> 24,
        cache_kib,
        clflush_bytes: ((l1.ebx >> 8) & 0xff) * 8,
        physical_bits,
        virtual_bits,
        flags,
    }
}
