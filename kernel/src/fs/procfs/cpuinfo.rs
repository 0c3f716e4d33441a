//! /proc/cpuinfo: one block per online CPU, in the field order Linux
//! prints on x86 (python's platform module, lscpu and glibc read it).

use alloc::string::String;
use core::fmt::Write;

pub fn render() -> String {
    let d = crate::arch::cpu_info::describe();
    let hz = crate::time::tsc_frequency();
    let (mhz, khz_frac) = (hz / 1_000_000, hz / 1000 % 1000);
    let cpus = crate::arch::percpu::online_cpus().max(1);
    let mut s = String::new();
    for cpu in 0..cpus {
        let id = crate::arch::percpu::apic_id_of(cpu as usize).unwrap_or(d.apic_id + cpu);
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
        let _ = writeln!(s, "bogomips\t: {}.{:02}", 2 * hz / 1_000_000, 2 * hz / 10_000 % 100);
        let _ = writeln!(s, "clflush size\t: {}", d.clflush_bytes);
        let _ = writeln!(s, "cache_alignment\t: {}", d.clflush_bytes);
        let _ = writeln!(s, "address sizes\t: {} bits physical, {} bits virtual", d.physical_bits, d.virtual_bits);
        let _ = writeln!(s, "power management:\n");
    }
    s
}
