//! Creating, replacing, ending and waiting for processes and threads: one
//! part of the core's surface, [`crate::KernelOps`].

use crate::{CloneArgs, DirFd, Error, KResult, UserContext, WaitOptions, WaitResult, WaitTarget};
use alloc::vec::Vec;

/// Creating, replacing, ending and waiting for processes and threads, and
/// what a process shares with those cloned from it.
pub trait ProcessOps {
    fn clone_task(&mut self, args: &CloneArgs) -> KResult<u32>;
    /// A new task that starts from `context`, a whole register set,
    /// instead of a copy of the caller's: for OSes whose thread call
    /// names every register the thread starts with (NetBSD's
    /// `_lwp_create` takes a ucontext). Neither
    /// [`crate::Personality::start_child`] nor `start_thread` is applied
    /// (`args.start` is ignored); `args` says what the task shares, as
    /// for `clone_task`, and `args.new_stack` still sets its stack
    /// pointer if given. The context is made safe for user mode first
    /// (`UserContext::sanitise`); one that cannot be (its program counter
    /// or stack outside user space) is `InvalidArgument`.
    fn clone_task_from(&mut self, args: &CloneArgs, context: &UserContext) -> KResult<u32> {
        let _ = (args, context);
        Err(Error::NotImplemented)
    }
    /// Replaces the program. The core loads the binary, picks the
    /// personality its format asks for, and has that personality build the
    /// initial stack and registers ([`crate::Personality::start_program`]).
    /// On success the caller's old program is gone: return without
    /// touching the registers.
    fn exec(&mut self, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()>;
    /// exec (execveat) of `path` from `dir`, or of `dir`'s own file when
    /// `path` is empty; a final symlink is `Loop` unless `follow`.
    fn exec_at(&mut self, dir: DirFd, path: &[u8], follow: bool, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()>;
    /// Keeps the auxiliary vector a personality gave the new program (its
    /// raw bytes), for debuggers (/proc/<pid>/auxv).
    fn record_auxv(&mut self, _auxv: &[u8]) {}
    /// Ends the thread (or, with `group`, every thread of the process).
    /// The dispatcher must not touch the thread's state afterwards.
    fn exit(&mut self, code: u8, group: bool);
    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>>;
    fn set_clear_child_tid(&mut self, addr: u64);
    fn yield_now(&mut self);
    /// Stops sharing the descriptor table (`files`) and the root, working
    /// directory and umask (`fs`) with processes cloned to share them.
    fn unshare(&mut self, files: bool, fs: bool) -> KResult<()> {
        let _ = (files, fs);
        Err(Error::NotImplemented)
    }
    /// How many threads the caller's process has.
    fn thread_count(&mut self) -> usize {
        1
    }
}
