//! How the kernel core implements `SystemVIpcOps` (System V IPC).

use super::*;

impl SystemVIpcOps for CoreOps<'_> {
    fn ipc_get(&mut self, kind: sysv_ipc::Kind, key: i32, flags: u32, size: u64) -> KResult<i32> {
        crate::sysv::get(&crate::sysv::caller(self.process), kind, key, flags, size)
    }

    fn ipc_control(&mut self, kind: sysv_ipc::Kind, id: i32, cmd: sysv_ipc::Command) -> KResult<sysv_ipc::Answer> {
        crate::sysv::control(&crate::sysv::caller(self.process), kind, id, cmd)
    }

    fn sem_operate(&mut self, id: i32, ops: &[sysv_ipc::sem::SemOp], deadline: Option<u64>) -> KResult<()> {
        crate::sysv::semop(&crate::sysv::caller(self.process), self.thread.tid, id, ops, deadline)
    }

    fn msg_send(&mut self, id: i32, mtype: i64, text: &[u8], flags: u32) -> KResult<()> {
        crate::sysv::msg_send(&crate::sysv::caller(self.process), id, mtype, text, flags)
    }

    fn msg_receive(&mut self, id: i32, max: usize, msgtyp: i64, flags: u32) -> KResult<(i64, Vec<u8>)> {
        crate::sysv::msg_receive(&crate::sysv::caller(self.process), id, max, msgtyp, flags)
    }

    fn shm_attach(&mut self, id: i32, addr: u64, flags: u32) -> KResult<u64> {
        crate::sysv::shm_attach(&crate::sysv::caller(self.process), self.process, id, addr, flags)
    }

    fn shm_detach(&mut self, addr: u64) -> KResult<()> {
        crate::sysv::shm_detach(self.process, addr)
    }
}
