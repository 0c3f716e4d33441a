//! The space a ramfs may use: a byte limit for file pages and symlink
//! targets, and an inode limit. Going over either gives `NoSpace`.

use crate::Error;

/// Limits for a [`super::Ramfs`]; `None` means no limit.
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct RamfsLimits {
    pub max_bytes: Option<u64>,
    pub max_inodes: Option<u64>,
}

#[derive(Debug)]
pub(super) struct Budget {
    pub limits: RamfsLimits,
    pub bytes: u64,
    pub inodes: u64,
}

impl Budget {
    pub fn new(limits: RamfsLimits) -> Self {
        Budget { limits, bytes: 0, inodes: 0 }
    }

    pub fn charge_bytes(&mut self, n: u64) -> Result<(), Error> {
        let total = self.bytes.checked_add(n).ok_or(Error::NoSpace)?;
        if self.limits.max_bytes.is_some_and(|max| total > max) {
            return Err(Error::NoSpace);
        }
        self.bytes = total;
        Ok(())
    }

    pub fn refund_bytes(&mut self, n: u64) {
        self.bytes = self.bytes.saturating_sub(n);
    }

    pub fn charge_inode(&mut self) -> Result<(), Error> {
        if self.limits.max_inodes.is_some_and(|max| self.inodes >= max) {
            return Err(Error::NoSpace);
        }
        self.inodes += 1;
        Ok(())
    }

    pub fn refund_inode(&mut self) {
        self.inodes = self.inodes.saturating_sub(1);
    }
}
