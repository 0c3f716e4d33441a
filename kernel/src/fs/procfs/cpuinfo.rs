//! /proc/cpuinfo: the processor as the kernel found it, one interrupt
//! controller id per online CPU; the Linux personality prints it.

use super::linux_text;
use alloc::string::String;
use kernel_ops::{ProcFile, ProcessorRecord};

pub fn render() -> String {
    let d = crate::arch::cpu_info::describe();
    let cpus = crate::arch::percpu::online_cpus().max(1);
    let apic_ids =
        (0..cpus).map(|cpu| crate::arch::percpu::apic_id_of(cpu as usize).unwrap_or(d.apic_id + cpu)).collect();
    linux_text(ProcFile::Cpuinfo(&ProcessorRecord {
        vendor: d.vendor,
        family: d.family,
        model: d.model,
        stepping: d.stepping,
        model_name: d.model_name,
        cpuid_level: d.cpuid_level,
        apic_ids,
        cache_kib: d.cache_kib,
        clflush_bytes: d.clflush_bytes,
        physical_bits: d.physical_bits,
        virtual_bits: d.virtual_bits,
        flags: d.flags,
        tsc_hz: crate::time::tsc_frequency(),
    }))
}
