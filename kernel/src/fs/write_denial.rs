//! ETXTBSY: the file of a running program cannot be opened for writing,
//! truncated, or made the program of an exec while it is open for writing,
//! as on Linux (its i_writecount and deny_write_access). Otherwise a
//! process could rewrite or truncate the pages another program is still
//! paging in: the fuzz campaign's init died of SIGBUS when a worker
//! truncated /bin/typed_fuzz.
//!
//! An address space holds a [`WriteDenial`] on the file it was exec'd
//! from (forks share it); the open files' writer counts are the leases
//! module's (it counts opens per file already).

use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use kernel_ops::{Error, KResult};
use vfs::NodeRef;

static DENIED: SpinLock<BTreeMap<(u32, u64), u32>> = SpinLock::new(BTreeMap::new());

fn key(node: NodeRef) -> (u32, u64) {
    (node.fs.0, node.ino)
}

/// Writes to `node` are refused while this lives.
pub struct WriteDenial {
    node: NodeRef,
}

impl WriteDenial {
    /// Denies writes to `node` for a program about to run from it: ETXTBSY
    /// if it is open for writing now.
    pub fn new(node: NodeRef) -> KResult<WriteDenial> {
        if super::leases::writers(node) > 0 {
            return Err(Error::TextBusy);
        }
        *DENIED.lock().entry(key(node)).or_default() += 1;
        Ok(WriteDenial { node })
    }
}

impl Drop for WriteDenial {
    fn drop(&mut self) {
        let mut denied = DENIED.lock();
        if let Some(n) = denied.get_mut(&key(self.node)) {
            *n -= 1;
            if *n == 0 {
                denied.remove(&key(self.node));
            }
        }
    }
}

/// Whether `node` may be opened for writing or truncated: ETXTBSY while a
/// running program's image is it.
pub fn check_write(node: NodeRef) -> KResult<()> {
    if DENIED.lock().contains_key(&key(node)) {
        Err(Error::TextBusy)
    } else {
        Ok(())
    }
}
