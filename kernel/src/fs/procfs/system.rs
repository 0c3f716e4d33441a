//! Machine-wide /proc files: memory, uptime, CPU time, load, mounts,
//! version, file systems, the kernel command line. Formats follow Linux's
//! (procps, python and glibc parse them by field name and position).

use crate::task::process;
use alloc::string::String;
use core::fmt::Write;

/// USER_HZ ticks in `ns`.
pub fn ticks(ns: u64) -> u64 {
    ns / 10_000_000
}

/// Seconds since the epoch at boot.
pub fn boot_time_secs() -> u64 {
    crate::time::realtime_ns().saturating_sub(crate::time::now_ns()) / 1_000_000_000
}

/// Every field procps `free` and `top` read, in Linux's order; what this
/// kernel does not have (swap, page-cache split, slabs) reads 0.
pub fn meminfo() -> String {
    let info = crate::task::system_info();
    let total = info.total_ram / 1024;
    let free = info.free_ram / 1024;
    let fields: [(&str, u64); 22] = [
        ("MemTotal", total),
        ("MemFree", free),
        ("MemAvailable", free),
        ("Buffers", 0),
        ("Cached", crate::mm::page_cache::cached_pages() * 4),
        ("SwapCached", 0),
        ("Active", 0),
        ("Inactive", 0),
        ("Active(anon)", 0),
        ("Inactive(anon)", 0),
        ("Active(file)", 0),
        ("Inactive(file)", 0),
        ("Unevictable", 0),
        ("Mlocked", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Dirty", 0),
        ("Writeback", 0),
        ("AnonPages", total.saturating_sub(free)),
        ("Mapped", 0),
        ("Shmem", 0),
        ("SReclaimable", 0),
    ];
    let mut s = String::new();
    for (name, kib) in fields {
        let label = alloc::format!("{name}:");
        let _ = writeln!(s, "{label:<15} {kib:8} kB");
    }
    // The kernel heap's bytes in use: Linux's unreclaimable slab is the
    // nearest field (the fuzz campaign compares it before and after).
    let heap_kib = crate::mm::heap::stats().0 as u64 / 1024;
    for (name, kib) in [
        ("SUnreclaim", heap_kib),
        ("KernelStack", 0),
        ("PageTables", 0),
        ("CommitLimit", total),
        ("Committed_AS", total.saturating_sub(free)),
        ("VmallocTotal", 0),
        ("HugePages_Total", 0),
    ] {
        let label = alloc::format!("{name}:");
        if name == "HugePages_Total" {
            let _ = writeln!(s, "{label:<15} {kib:8}");
        } else {
            let _ = writeln!(s, "{label:<15} {kib:8} kB");
        }
    }
    let _ = writeln!(
        s,
        "{:<15} {:8}\n{:<15} {:8}\n{:<15} {:8}\n{:<15} {:8} kB",
        "HugePages_Free:", 0, "HugePages_Rsvd:", 0, "HugePages_Surp:", 0, "Hugepagesize:", 2048
    );
    s
}

pub fn uptime() -> String {
    let up = crate::task::system_info().uptime_ns;
    // The second figure is idle time summed over the CPUs.
    let idle: u64 = (0..crate::arch::percpu::online_cpus() as usize).map(|c| crate::sched::cpu_times(c).2).sum();
    alloc::format!(
        "{}.{:02} {}.{:02}\n",
        up / 1_000_000_000,
        up / 10_000_000 % 100,
        idle / 1_000_000_000,
        idle / 10_000_000 % 100
    )
}

/// /proc/stat: the cpu lines (user nice system idle iowait irq softirq
/// steal guest guest_nice), then the counters ps and top read.
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
    // Each CPU's user, system and idle time; the first line sums them.
    let cpus: alloc::vec::Vec<(u64, u64, u64)> =
        (0..crate::arch::percpu::online_cpus().max(1) as usize).map(crate::sched::cpu_times).collect();
    let line = |(user, system, idle): (u64, u64, u64)| {
        alloc::format!("{} 0 {} {} 0 0 0 0 0 0", ticks(user), ticks(system), ticks(idle))
    };
    let total = cpus.iter().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    let mut s = alloc::format!("cpu  {}\n", line(total));
    for (cpu, times) in cpus.iter().enumerate() {
        let _ = writeln!(s, "cpu{cpu} {}", line(*times));
    }
    let _ = write!(
        s,
        "intr 0\nctxt 0\nbtime {}\nprocesses {}\nprocs_running {}\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
        boot_time_secs(),
        process::allocate_count(),
        running.max(1)
    );
    s
}

pub fn loadavg() -> String {
    let all = process::all();
    let last = process::allocate_count();
    alloc::format!("0.00 0.00 0.00 1/{} {}\n", all.len(), last)
}

/// What the reading process sees mounted (from its own root).
pub fn mounts() -> String {
    let mut s = String::new();
    if let Some(root) = crate::sched::current().try_process().map(|p| p.fs().lock().root) {
        crate::fs::mount_table::render(root, &mut s);
    }
    s
}

pub fn version() -> String {
    alloc::format!(
        "Linux version {} (helctic) #1 SMP Helctic {}\n",
        personality_linux::RELEASE,
        env!("CARGO_PKG_VERSION")
    )
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
