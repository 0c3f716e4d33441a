//! Machine-wide /proc files: memory, uptime, CPU time, load, mounts,
//! version, file systems, the kernel command line. The kernel gathers the
//! figures; the Linux personality prints meminfo, stat, uptime, loadavg
//! and version (personality-linux's procfs).

use super::linux_text;
use crate::task::process;
use alloc::string::String;
use kernel_ops::{CpuTimes, MemoryRecord, ProcFile, SystemRecord};

/// Seconds since the epoch at boot.
pub fn boot_time_secs() -> u64 {
    crate::time::realtime_ns().saturating_sub(crate::time::now_ns()) / 1_000_000_000
}

pub fn meminfo() -> String {
    let info = crate::task::system_info();
    linux_text(ProcFile::Meminfo(&MemoryRecord {
        total: info.total_ram,
        free: info.free_ram,
        cached: crate::mm::page_cache::cached_pages() * 4096,
        kernel_heap: crate::mm::heap::stats().0 as u64,
    }))
}

/// Each online CPU's user, system and idle time.
fn cpu_times() -> alloc::vec::Vec<CpuTimes> {
    (0..crate::arch::percpu::online_cpus().max(1) as usize)
        .map(crate::sched::cpu_times)
        .map(|(user_ns, system_ns, idle_ns)| CpuTimes { user_ns, system_ns, idle_ns })
        .collect()
}

pub fn uptime() -> String {
    let uptime_ns = crate::task::system_info().uptime_ns;
    linux_text(ProcFile::Uptime(&SystemRecord { cpus: cpu_times(), uptime_ns, ..SystemRecord::default() }))
}

/// /proc/stat: the CPUs' times and the process counters.
pub fn stat() -> String {
    let all = process::all();
    let running = all
        .iter()
        .filter(|p| {
            !p.is_zombie()
                && p.threads.lock().iter().any(|t| {
                    matches!(
                        t.state(),
                        crate::task::thread::ThreadState::Running | crate::task::thread::ThreadState::Runnable
                    )
                })
        })
        .count();
    linux_text(ProcFile::SystemStat(&SystemRecord {
        cpus: cpu_times(),
        boot_time_secs: boot_time_secs(),
        processes_created: process::allocate_count() as u64,
        running,
        processes: all.len(),
        uptime_ns: 0,
    }))
}

pub fn loadavg() -> String {
    linux_text(ProcFile::Loadavg(&SystemRecord {
        processes: process::all().len(),
        processes_created: process::allocate_count() as u64,
        ..SystemRecord::default()
    }))
}

/// What the reading process sees mounted (from its own root).
pub(super) fn visible_mounts() -> alloc::vec::Vec<kernel_ops::MountRecord> {
    crate::sched::current()
        .try_process()
        .map(|p| p.fs().lock().root)
        .map_or_else(alloc::vec::Vec::new, crate::fs::mount_table::records)
}

pub fn mounts() -> String {
    linux_text(ProcFile::Mounts(&visible_mounts()))
}

pub fn version() -> String {
    linux_text(ProcFile::Version(env!("CARGO_PKG_VERSION")))
}

/// The file-system types: ext2 only while a server for it runs (then a
/// disk or a loop device can be mounted with it); LTP's `.all_filesystems`
/// tests iterate over what is listed here and can be mounted.
pub fn filesystems() -> String {
    let mut s = String::from(
        "nodev\tsysfs\nnodev\trootfs\nnodev\tramfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\n",
    );
    if crate::fs::served::serves_type("ext2") {
        s.push_str("\text2\n");
    }
    s
}

/// The type names /proc/filesystems lists, in its order (sysfs(2)).
pub fn filesystem_types() -> alloc::vec::Vec<alloc::vec::Vec<u8>> {
    filesystems().lines().filter_map(|l| l.split('\t').nth(1)).map(|name| name.as_bytes().to_vec()).collect()
}

pub fn cmdline() -> String {
    String::from("helctic\n")
}
