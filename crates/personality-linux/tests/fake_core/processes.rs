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
        self.proc_state.execs.push((None, path.to_vec(), true, argv.to_vec(), envp.to_vec()));
        Err(Error::NotFound)
    }
    // A wait is recorded; it answers `wait_answer` (Ok(None) by default).
    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>> {
        self.proc_state.waits.push((target, options));
        self.proc_state.wait_answer
    }
    fn set_clear_child_tid(&mut self, addr: u64) {
        self.proc_state.clear_child_tid = Some(addr);
    }
    fn yield_now(&mut self) {
        self.proc_state.yields += 1;
    }
    // Every exec is recorded and fails (ENOENT), so the caller goes on.
    fn exec_at(&mut self, dir: DirFd, path: &[u8], follow: bool, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        self.proc_state.execs.push((Some(dir), path.to_vec(), follow, argv.to_vec(), envp.to_vec()));
        Err(Error::NotFound)
    }
    fn unshare(&mut self, files: bool, fs: bool) -> KResult<()> {
        self.proc_state.unshares.push((files, fs));
        Ok(())
    }
    fn thread_count(&mut self) -> usize {
        self.proc_state.threads
    }
}
