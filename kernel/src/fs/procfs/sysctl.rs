//! /proc/sys: the kernel parameters programs read at start-up, and the
//! few they may change (the files are 0644 and root-owned, so the VFS
//! refuses writers without the privilege).

use alloc::string::String;

pub fn ostype() -> String {
    String::from("Linux\n")
}

pub fn osrelease() -> String {
    alloc::format!("{}\n", personality_linux::RELEASE)
}

pub fn version() -> String {
    String::from("#1 SMP Helctic\n")
}

pub fn hostname() -> String {
    alloc::format!("{}\n", String::from_utf8_lossy(&crate::task::core_ops::hostname()))
}

pub fn domainname() -> String {
    alloc::format!("{}\n", String::from_utf8_lossy(&crate::task::core_ops::domainname()))
}

/// Writing the names: one line, its newline dropped (echo name > file).
pub fn set_hostname(data: &[u8]) -> Result<(), vfs::Error> {
    crate::task::core_ops::set_node_name(false, data.strip_suffix(b"\n").unwrap_or(data))
        .map_err(|_| vfs::Error::InvalidArgument)
}

pub fn set_domainname(data: &[u8]) -> Result<(), vfs::Error> {
    crate::task::core_ops::set_node_name(true, data.strip_suffix(b"\n").unwrap_or(data))
        .map_err(|_| vfs::Error::InvalidArgument)
}

/// Ids run below this and then come round again (task/process.rs).
pub fn pid_max() -> String {
    alloc::format!("{}\n", crate::task::process::PID_MAX)
}

/// The last process or thread id handed out; writing it chooses where the
/// next search for a free id starts.
pub fn ns_last_pid() -> String {
    alloc::format!("{}\n", crate::task::process::allocate_count())
}

pub fn set_ns_last_pid(data: &[u8]) -> Result<(), vfs::Error> {
    let last = parse_number(data)?;
    let last = u32::try_from(last).map_err(|_| vfs::Error::InvalidArgument)?;
    if crate::task::process::set_last_id(last) {
        Ok(())
    } else {
        Err(vfs::Error::InvalidArgument)
    }
}

/// One decimal number, as sysctl files take it (surrounding blanks and a
/// newline allowed).
fn parse_number(data: &[u8]) -> Result<i64, vfs::Error> {
    core::str::from_utf8(data).ok().and_then(|t| t.trim().parse::<i64>().ok()).ok_or(vfs::Error::InvalidArgument)
}

/// The entropy pool: full, always (Linux since 5.18 reports 256 of 256
/// bits once its generator is seeded; Helctic's is seeded at boot).
pub fn entropy_avail() -> String {
    String::from("256\n")
}

/// Why the kernel is "tainted" (a bit per reason: proprietary modules,
/// forced loads, oopses, warnings...). Nothing here taints Helctic: it
/// loads no modules, and a kernel fault stops the machine. LTP reads it
/// after a test to see whether the kernel warned.
pub fn tainted() -> String {
    String::from("0\n")
}

/// Console log levels (current, default message, minimum, boot default):
/// Linux's defaults. Helctic's log has levels of its own; these are what
/// syslog(2) readers see.
pub fn printk() -> String {
    String::from("4\t4\t1\t7\n")
}

pub fn threads_max() -> String {
    // Linux: as many threads as an eighth of RAM holds kernel stacks (16 KiB).
    let total = crate::task::system_info().total_ram;
    alloc::format!("{}\n", (total / 8 / 16384).max(20))
}

pub fn ngroups_max() -> String {
    String::from("65536\n")
}

pub fn cap_last_cap() -> String {
    alloc::format!("{}\n", personality_linux::CAP_LAST_CAP)
}

/// A random UUID, fixed for the whole boot (boot_id).
pub fn boot_id() -> String {
    static BOOT_ID: crate::sync::SpinLock<Option<[u8; 16]>> = crate::sync::SpinLock::new(None);
    let mut id = BOOT_ID.lock();
    let bytes = *id.get_or_insert_with(|| {
        let mut b = [0u8; 16];
        crate::random::fill(&mut b);
        b
    });
    uuid(bytes)
}

/// A fresh random UUID on every read.
pub fn random_uuid() -> String {
    let mut b = [0u8; 16];
    crate::random::fill(&mut b);
    uuid(b)
}

/// Version 4 (random) UUID text.
fn uuid(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: alloc::vec::Vec<String> = b.iter().map(|x| alloc::format!("{x:02x}")).collect();
    alloc::format!(
        "{}-{}-{}-{}-{}\n",
        h[0..4].concat(),
        h[4..6].concat(),
        h[6..8].concat(),
        h[8..10].concat(),
        h[10..16].concat()
    )
}

/// 0: heuristic overcommit, Linux's default.
pub fn overcommit_memory() -> String {
    String::from("0\n")
}

pub fn file_max() -> String {
    String::from("9223372036854775807\n")
}

/// The most an unprivileged process may make a pipe hold (F_SETPIPE_SZ).
pub fn pipe_max_size() -> String {
    alloc::format!("{}\n", crate::fs::PIPE_MAX_SIZE)
}

/// inotify's limits: events per queue, watches (machine-wide here), and
/// queues (not limited here; Linux's default per user).
pub fn inotify_max_queued_events() -> String {
    alloc::format!("{}\n", crate::fs::inotify::MAX_EVENTS)
}

pub fn inotify_max_user_watches() -> String {
    alloc::format!("{}\n", crate::fs::notify::MAX_WATCHES)
}

pub fn inotify_max_user_instances() -> String {
    String::from("128\n")
}

/// No core dumps are written; "core" is Linux's default pattern.
pub fn core_pattern() -> String {
    String::from("core\n")
}

/// The ceiling of RLIMIT_NOFILE (Linux's default).
pub fn nr_open() -> String {
    String::from("1048576\n")
}
