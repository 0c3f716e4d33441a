//! How the kernel core implements `ContextOps` (the calling thread's user
//! context, floating-point state, thread pointer and user memory, and the
//! core's logs).

use super::*;

impl ContextOps for CoreOps<'_> {
    fn context(&mut self) -> &mut UserContext {
        self.regs
    }

    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        // The process's page tables are the loaded ones (the usual case: a
        // system call of the running thread) and the pages are there:
        // straight through, without taking the address space's handle.
        if Mm::root_is_active(self.process.mm_root()) && crate::arch::user_copy::copy_from_user(buf, addr) {
            return Ok(());
        }
        self.mm().copy_in(addr, buf).map_err(|_| Error::Fault)
    }

    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()> {
        // As in copy_in.
        if Mm::root_is_active(self.process.mm_root()) && crate::arch::user_copy::copy_to_user(addr, data) {
            return Ok(());
        }
        self.mm().copy_out(addr, data).map_err(|_| Error::Fault)
    }

    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>> {
        self.mm().copy_in_cstring(addr, max).map_err(|_| Error::Fault)?.ok_or(Error::NameTooLong)
    }

    fn fpu_state(&mut self) -> FpuImage {
        *self.thread.context().fpu_snapshot(self.is_current()).bytes()
    }

    fn set_fpu_state(&mut self, state: &FpuImage) {
        let mut s = FpuState::initial();
        s.set_bytes(state);
        self.thread.context().set_fpu(s, self.is_current());
    }

    fn thread_pointer(&mut self) -> u64 {
        self.thread.context().thread_pointer()
    }

    fn set_thread_pointer(&mut self, value: u64) -> KResult<()> {
        if value >= crate::arch::layout::USER_END {
            return Err(Error::NotPermitted);
        }
        self.thread.context().set_thread_pointer(value, self.is_current());
        Ok(())
    }

    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>) {
        let exe = self.process.exe.lock().clone();
        crate::warn!("{} from pid {} {}", what, self.process.pid, alloc::string::String::from_utf8_lossy(&exe));
    }

    fn log_syscall(&mut self, line: &str) {
        crate::println!("strace {line}");
    }
}
