//! How the fake core implements `ProcessOps` (creating, replacing, ending and
//! waiting for processes and threads).

use super::*;

impl ProcessOps for FakeCore {
    fn exit(&mut self, code: u8, group: bool) {
        self.exited = Some((code, group));
    }
    fn clone_task(&mut self, args: &CloneArgs) -> KResult<u32> {
        self.clones.push(*args);
        Ok(100)
    }
    fn exec(&mut self, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        unimplemented!("fake core: exec")
    }
    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>> {
        unimplemented!("fake core: wait")
    }
    fn set_clear_child_tid(&mut self, addr: u64) {
        unimplemented!("fake core: set_clear_child_tid")
    }
    fn yield_now(&mut self) {
        unimplemented!("fake core: yield_now")
    }
    fn exec_at(&mut self, _: DirFd, _: &[u8], _: bool, _: &[Vec<u8>], _: &[Vec<u8>]) -> KResult<()> {
        unimplemented!("fake core: exec_at")
    }
}
