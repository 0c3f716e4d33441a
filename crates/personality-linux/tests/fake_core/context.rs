//! How the fake core implements `ContextOps` (the calling thread's user
//! context, floating-point state, thread pointer and user memory, and the
//! core's logs).

use super::*;

impl ContextOps for FakeCore {
    fn context(&mut self) -> &mut UserContext {
        &mut self.context
    }
    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let r = self.range(addr, buf.len())?;
        buf.copy_from_slice(&self.mem[r]);
        Ok(())
    }
    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()> {
        let r = self.range(addr, data.len())?;
        self.mem[r].copy_from_slice(data);
        Ok(())
    }
    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>> {
        let start = self.range(addr, 0)?.start;
        let rest = &self.mem[start..];
        let n = rest.iter().position(|&b| b == 0).ok_or(Error::Fault)?;
        if n > max {
            return Err(Error::NameTooLong);
        }
        Ok(rest[..n].to_vec())
    }
    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>) {
        let mut s = String::new();
        let _ = write!(s, "{what}");
        self.log.push(s);
    }
    fn thread_pointer(&mut self) -> u64 {
        self.thread_pointer
    }
    fn set_thread_pointer(&mut self, value: u64) -> KResult<()> {
        self.thread_pointer = value;
        Ok(())
    }
    fn fpu_state(&mut self) -> [u8; 512] {
        unimplemented!("fake core: fpu_state")
    }
    fn set_fpu_state(&mut self, state: &[u8; 512]) {
        unimplemented!("fake core: set_fpu_state")
    }
}
