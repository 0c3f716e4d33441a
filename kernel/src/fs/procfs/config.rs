//! /proc/config.gz: the Linux kernel configuration this kernel answers to
//! (`personality_linux::kconfig`), gzipped as Linux offers it.

use alloc::vec::Vec;

/// What the kernel has beyond the system-call table, by the names
/// `kconfig` asks about.
const FEATURES: &[&str] = &["tmpfs-xattr", "block-devices", "loop", "fanotify-permissions"];

pub fn gzipped() -> Vec<u8> {
    gzip_stored::encode(personality_linux::kconfig::render(FEATURES).as_bytes())
}
