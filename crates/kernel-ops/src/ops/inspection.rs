//! Inspecting other processes: their memory and their objects: one part of
//! the core's surface, [`crate::KernelOps`].

use crate::{Error, KResult, ObjectOrder, ProcessObject};

/// Inspecting other processes as a debugger may: their memory and whether
/// their objects are shared. Cores without these (test fakes) answer
/// `NotImplemented`.
pub trait InspectionOps {
    /// Reads another process's memory (process_vm_readv): `pid` must exist
    /// (`NoSuchProcess`) and the caller may inspect it as a debugger
    /// attaching would (`NotPermitted`); an address it has not mapped
    /// readable is `Fault`.
    fn read_process_memory(&mut self, pid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let _ = (pid, addr, buf);
        Err(Error::NotImplemented)
    }
    /// Writes it (process_vm_writev), respecting its page protections.
    fn write_process_memory(&mut self, pid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        let _ = (pid, addr, data);
        Err(Error::NotImplemented)
    }
    /// kcmp: whether thread `tid1`'s `first` is thread `tid2`'s `second`,
    /// or how they order. Needs the right to inspect both (`NotPermitted`).
    fn compare_objects(
        &mut self,
        tid1: u32,
        first: ProcessObject,
        tid2: u32,
        second: ProcessObject,
    ) -> KResult<ObjectOrder> {
        let _ = (tid1, first, tid2, second);
        Err(Error::NotImplemented)
    }
}
