//! Linux's /proc text (proc(5)): the records the kernel gathers
//! (`kernel_ops::ProcFile`) printed as Linux prints them, field for field,
//! because ps, top, python and glibc parse them by name and position.
//! Pure functions, so every format is tested on the host.

mod cpuinfo;
mod maps;
mod memory;
mod mounts;
mod net;
mod process;
mod system;

use alloc::string::String;
use kernel_ops::ProcFile;

/// The text of `file`.
pub fn render(file: ProcFile<'_>) -> String {
    match file {
        ProcFile::Stat(r) => process::stat(r),
        ProcFile::Status(r) => process::status(r),
        ProcFile::Statm(r) => process::statm(r),
        ProcFile::Maps(m) => maps::maps(m),
        ProcFile::Smaps(m) => maps::smaps(m),
        ProcFile::Meminfo(m) => memory::meminfo(m),
        ProcFile::SystemStat(s) => system::stat(s),
        ProcFile::Uptime(s) => system::uptime(s),
        ProcFile::Loadavg(s) => system::loadavg(s),
        ProcFile::Cpuinfo(c) => cpuinfo::cpuinfo(c),
        ProcFile::Version(v) => system::version(v),
        ProcFile::Mounts(m) => mounts::mounts(m),
        ProcFile::Mountinfo(m) => mounts::mountinfo(m),
        ProcFile::NetDev(n) => net::dev(n),
        ProcFile::NetRoute(n) => net::route(n),
        ProcFile::NetIfInet6(n) => net::if_inet6(n),
        ProcFile::NetSockets { sockets, kind, family } => net::sockets(sockets, kind, family),
    }
}

/// Linux's USER_HZ: the times in stat files count hundredths of a second.
fn ticks(ns: u64) -> u64 {
    ns / 10_000_000
}

/// A name as the kernel keeps it (bytes), as text: what is not UTF-8
/// shows as U+FFFD.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
