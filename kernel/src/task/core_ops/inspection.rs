//! How the kernel core implements `InspectionOps` (inspecting other
//! processes: their memory and their objects).

use super::*;

impl InspectionOps for CoreOps<'_> {
    fn read_process_memory(&mut self, pid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let mm = self.inspectable(pid)?.mm();
        mm.copy_in(addr, buf).map_err(|_| Error::Fault)
    }

    fn write_process_memory(&mut self, pid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        let mm = self.inspectable(pid)?.mm();
        mm.copy_out(addr, data).map_err(|_| Error::Fault)
    }

    fn compare_objects(
        &mut self,
        tid1: u32,
        first: ProcessObject,
        tid2: u32,
        second: ProcessObject,
    ) -> KResult<ObjectOrder> {
        crate::task::inspect::compare_objects(self.thread, tid1, first, tid2, second)
    }
}

impl CoreOps<'_> {
    /// A live process the caller may inspect as a debugger attaching would
    /// (process_vm_readv/writev).
    fn inspectable(&self, pid: u32) -> KResult<Arc<Process>> {
        let target = crate::task::process::find(pid).filter(|p| !p.is_zombie()).ok_or(Error::NoSuchProcess)?;
        if !crate::task::inspect::may_access(self.process, &target) {
            return Err(Error::NotPermitted);
        }
        Ok(target)
    }
}
