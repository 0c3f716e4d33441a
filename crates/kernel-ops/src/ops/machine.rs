//! The machine: randomness, system information, CPUs, names, power: one
//! part of the core's surface, [`crate::KernelOps`].

use crate::{Error, KResult, SystemInfo};
use alloc::vec::Vec;

/// The machine: randomness, system information, CPUs, host and domain
/// names, and powering off.
pub trait MachineOps {
    fn random_bytes(&mut self, buf: &mut [u8]);
    fn system_info(&mut self) -> SystemInfo;
    /// The CPU the calling thread runs on, and how many CPUs are online.
    fn current_cpu(&self) -> u32;
    fn cpu_count(&self) -> u32;
    fn hostname(&self) -> Vec<u8>;
    fn set_hostname(&mut self, name: &[u8]) -> KResult<()>;
    /// The NIS domain name ("(none)" until set).
    fn domain_name(&self) -> Vec<u8> {
        b"(none)".to_vec()
    }
    fn set_domain_name(&mut self, name: &[u8]) -> KResult<()> {
        let _ = name;
        Err(Error::NotImplemented)
    }
    /// Power off (or reboot) the machine after syncing.
    fn power_off(&mut self, reboot: bool) -> KResult<()>;
}
