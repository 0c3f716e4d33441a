//! Who the caller is: ids, process groups, sessions, credentials and names:
//! one part of the core's surface, [`crate::KernelOps`].

use crate::{Credentials, KResult};
use alloc::vec::Vec;

/// Who the caller is: its ids, process group and session, credentials,
/// supplementary groups and thread name.
pub trait IdentityOps {
    fn pid(&self) -> u32;
    fn tid(&self) -> u32;
    fn parent_pid(&self) -> u32;
    fn process_group(&mut self, pid: u32) -> KResult<u32>;
    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()>;
    fn session(&mut self, pid: u32) -> KResult<u32>;
    fn new_session(&mut self) -> KResult<u32>;
    fn credentials(&self) -> Credentials;
    /// Another process's credentials (0: the caller's); `NoSuchProcess`.
    fn credentials_of(&mut self, pid: u32) -> KResult<Credentials>;
    fn set_credentials(&mut self, creds: Credentials) -> KResult<()>;
    /// The supplementary group ids, in ascending order.
    fn groups(&self) -> Vec<u32>;
    /// Replaces the supplementary groups (kept sorted, duplicates
    /// dropped); only a privileged caller may (`NotPermitted`).
    fn set_groups(&mut self, groups: &[u32]) -> KResult<()>;
    fn thread_name(&self) -> [u8; 16];
    fn set_thread_name(&mut self, name: &[u8]);
}
