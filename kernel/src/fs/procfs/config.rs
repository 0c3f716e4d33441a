//! /proc/config.gz: the Linux kernel configuration this kernel answers to
//! (`personality_linux::kconfig`), gzipped as Linux offers it.

use alloc::vec::Vec;

/// What the kernel has beyond the system-call table, by the names
/// `kconfig` asks about. "checkpoint-restore": what Linux adds with
/// CONFIG_CHECKPOINT_RESTORE that programs look for, kcmp(2), the IPC
/// *_next_id and ns_last_pid files in /proc/sys/kernel (not
/// /proc/<pid>/map_files or PR_SET_MM_MAP, which CRIU also wants);
/// "fanotify-permissions": fanotify's permission events.
const FEATURES: &[&str] = &["tmpfs-xattr", "block-devices", "loop", "checkpoint-restore", "fanotify-permissions"];

pub fn gzipped() -> Vec<u8> {
    gzip_stored::encode(personality_linux::kconfig::render(FEATURES).as_bytes())
}
