//! /proc/sys/kernel/keys: the per-user quotas and the collector's delay,
//! with Linux's defaults.

use alloc::string::String;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Keys and bytes an ordinary user may own.
    pub maxkeys: u64,
    pub maxbytes: u64,
    /// The same for uid 0.
    pub root_maxkeys: u64,
    pub root_maxbytes: u64,
    /// Seconds a revoked or expired key stays linked before the
    /// collector unlinks it.
    pub gc_delay: u64,
    /// Seconds of a persistent keyring's life (kept; this kernel has
    /// no persistent keyrings).
    pub persistent_keyring_expiry: u64,
}

impl Limits {
    pub const LINUX: Limits = Limits {
        maxkeys: 200,
        maxbytes: 20000,
        root_maxkeys: 1_000_000,
        root_maxbytes: 25_000_000,
        gc_delay: 300,
        persistent_keyring_expiry: 3 * 24 * 3600,
    };

    /// (keys, bytes) the quota of `uid` allows.
    pub fn quota_for(&self, uid: u32) -> (u64, u64) {
        if uid == 0 {
            (self.root_maxkeys, self.root_maxbytes)
        } else {
            (self.maxkeys, self.maxbytes)
        }
    }

    fn slot(&mut self, t: Tunable) -> &mut u64 {
        match t {
            Tunable::MaxKeys => &mut self.maxkeys,
            Tunable::MaxBytes => &mut self.maxbytes,
            Tunable::RootMaxKeys => &mut self.root_maxkeys,
            Tunable::RootMaxBytes => &mut self.root_maxbytes,
            Tunable::GcDelay => &mut self.gc_delay,
            Tunable::PersistentKeyringExpiry => &mut self.persistent_keyring_expiry,
        }
    }

    pub fn render(&self, t: Tunable) -> String {
        let mut copy = *self;
        alloc::format!("{}\n", *copy.slot(t))
    }

    /// A write of decimal text: 0..=INT_MAX, as Linux's
    /// proc_dointvec_minmax takes it; anything else is refused whole.
    pub fn write(&mut self, t: Tunable, text: &[u8]) -> crate::Result<()> {
        let value = core::str::from_utf8(text)
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|v| (0..=i32::MAX as i64).contains(v))
            .ok_or(crate::Error::Invalid)?;
        *self.slot(t) = value as u64;
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::LINUX
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tunable {
    MaxKeys,
    MaxBytes,
    RootMaxKeys,
    RootMaxBytes,
    GcDelay,
    PersistentKeyringExpiry,
}

impl Tunable {
    pub const ALL: [Tunable; 6] = [
        Tunable::MaxKeys,
        Tunable::MaxBytes,
        Tunable::RootMaxKeys,
        Tunable::RootMaxBytes,
        Tunable::GcDelay,
        Tunable::PersistentKeyringExpiry,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tunable::MaxKeys => "maxkeys",
            Tunable::MaxBytes => "maxbytes",
            Tunable::RootMaxKeys => "root_maxkeys",
            Tunable::RootMaxBytes => "root_maxbytes",
            Tunable::GcDelay => "gc_delay",
            Tunable::PersistentKeyringExpiry => "persistent_keyring_expiry",
        }
    }
}
