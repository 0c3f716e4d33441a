//! Tasks: processes and threads, their creation and end, signals, futexes,
//! and the system-call glue that connects them to the personalities.

pub mod aio;
pub mod core_ops;
pub mod cpu_timers;
pub mod dump;
pub mod exec;
pub mod fault;
pub mod futex;
pub mod inspect;
pub mod lifecycle;
pub mod memory_lock;
pub mod priority;
pub mod process;
pub mod ptrace;
pub mod sched_policy;
pub mod settings;
pub mod signal;
pub mod syscall;
pub mod thread;
pub mod usage;

use kernel_ops::SystemInfo;

/// Machine-wide figures (sysinfo, /proc/meminfo).
pub fn system_info() -> SystemInfo {
    let (free, total) = crate::mm::frames::stats();
    SystemInfo {
        uptime_ns: crate::time::now_ns(),
        total_ram: total as u64 * 4096,
        free_ram: free as u64 * 4096,
        processes: process::all().len() as u32,
        load: [0; 3],
    }
}

/// Strings as they sit in a program's initial stack, each ending in NUL
/// (/proc/<pid>/cmdline and environ).
pub fn nul_joined(strings: &[alloc::vec::Vec<u8>]) -> alloc::vec::Vec<u8> {
    let mut out = alloc::vec::Vec::new();
    for s in strings {
        out.extend_from_slice(s);
        out.push(0);
    }
    out
}
