//! /proc/cpuinfo: one block per online CPU, in the field order Linux
//! prints on x86 (arch/x86/kernel/cpu/proc.c); python's platform module,
//! lscpu and glibc read it.

use alloc::string::String;
use core::fmt::Write;
use kernel_ops::ProcessorRecord;

pub fn cpuinfo(d: &ProcessorRecord) -> String {
    let hz = d.tsc_hz;
    let (mhz, khz_frac) = (hz / 1_000_000, hz / 1000 % 1000);
    let cpus = d.apic_ids.len();
    let mut s = String::new();
    for (cpu, id) in d.apic_ids.iter().enumerate() {
        let _ = writeln!(s, "processor\t: {cpu}");
        let _ = writeln!(s, "vendor_id\t: {}", d.vendor);
        let _ = writeln!(s, "cpu family\t: {}", d.family);
        let _ = writeln!(s, "model\t\t: {}", d.model);
        let _ = writeln!(s, "model name\t: {}", d.model_name);
        let _ = writeln!(s, "stepping\t: {}", d.stepping);
        let _ = writeln!(s, "cpu MHz\t\t: {mhz}.{khz_frac:03}");
        let _ = writeln!(s, "cache size\t: {} KB", d.cache_kib);
        let _ = writeln!(s, "physical id\t: 0");
        let _ = writeln!(s, "siblings\t: {cpus}");
        let _ = writeln!(s, "core id\t\t: {cpu}");
        let _ = writeln!(s, "cpu cores\t: {cpus}");
        let _ = writeln!(s, "apicid\t\t: {id}");
        let _ = writeln!(s, "initial apicid\t: {id}");
        let _ = writeln!(s, "fpu\t\t: yes");
        let _ = writeln!(s, "fpu_exception\t: yes");
        let _ = writeln!(s, "cpuid level\t: {}", d.cpuid_level);
        let _ = writeln!(s, "wp\t\t: yes");
        let _ = writeln!(s, "flags\t\t: {}", d.flags.join(" "));
        let _ = writeln!(s, "bugs\t\t:");
        // Linux's bogomips on x86 is twice the TSC frequency in MHz.
        let twice = hz.saturating_mul(2);
        let _ = writeln!(s, "bogomips\t: {}.{:02}", twice / 1_000_000, twice / 10_000 % 100);
        let _ = writeln!(s, "clflush size\t: {}", d.clflush_bytes);
        let _ = writeln!(s, "cache_alignment\t: {}", d.clflush_bytes);
        let _ = writeln!(s, "address sizes\t: {} bits physical, {} bits virtual", d.physical_bits, d.virtual_bits);
        let _ = writeln!(s, "power management:\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn sample(cpus: u32) -> ProcessorRecord {
        ProcessorRecord {
            vendor: "GenuineIntel".into(),
            family: 6,
            model: 85,
            stepping: 7,
            model_name: "Some CPU @ 2.30GHz".into(),
            cpuid_level: 13,
            apic_ids: (0..cpus).collect(),
            cache_kib: 16384,
            clflush_bytes: 64,
            physical_bits: 40,
            virtual_bits: 48,
            flags: vec!["fpu", "vme", "sse2"],
            tsc_hz: 2_299_733_000,
        }
    }

    #[test]
    fn a_block_per_cpu_in_linux_order() {
        let s = cpuinfo(&sample(2));
        let blocks: Vec<&str> = s.split("\n\n").filter(|b| !b.is_empty()).collect();
        assert_eq!(blocks.len(), 2);
        let first: Vec<&str> = blocks[0].lines().collect();
        assert_eq!(first.len(), 25);
        assert_eq!(first[0], "processor\t: 0");
        assert_eq!(first[1], "vendor_id\t: GenuineIntel");
        assert_eq!(first[6], "cpu MHz\t\t: 2299.733");
        assert_eq!(first[9], "siblings\t: 2");
        assert_eq!(first[18], "flags\t\t: fpu vme sse2");
        assert_eq!(first[19], "bugs\t\t:");
        assert_eq!(first[20], "bogomips\t: 4599.46");
        assert_eq!(first[24], "power management:");
        assert!(blocks[1].starts_with("processor\t: 1\n"));
        assert!(blocks[1].contains("apicid\t\t: 1\n"));
        // Every line is "label<tabs>: value" (python splits at ':'), but
        // Linux's last, which has no tab.
        for line in s.lines().filter(|l| !l.is_empty() && *l != "power management:") {
            assert!(line.contains('\t') && line.contains(':'), "{line:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(hz in any::<u64>(), cpus in 0u32..4, id in any::<u32>()) {
            let mut d = sample(cpus);
            d.tsc_hz = hz;
            d.apic_ids.iter_mut().for_each(|a| *a = a.wrapping_add(id));
            let s = cpuinfo(&d);
            prop_assert_eq!(s.matches("processor\t: ").count(), cpus as usize);
        }
    }
}
