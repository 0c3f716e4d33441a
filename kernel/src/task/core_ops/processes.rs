//! How the kernel core implements `ProcessOps` (creating, replacing, ending
//! and waiting for processes and threads).

use super::*;

impl ProcessOps for CoreOps<'_> {
    fn clone_task(&mut self, args: &CloneArgs) -> KResult<u32> {
        lifecycle::clone(self.thread, self.regs, args, None)
    }

    fn clone_task_from(&mut self, args: &CloneArgs, context: &UserContext) -> KResult<u32> {
        lifecycle::clone(self.thread, self.regs, args, Some(context))
    }

    fn exec(&mut self, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        // The old image's peak stays the process's (getrusage after exec).
        crate::task::usage::sample_peak_rss(self.process);
        crate::task::exec::exec(self.thread, self.regs, path, argv, envp)?;
        self.process.settings.reset_for_exec();
        crate::keys::exec(self.process.pid, self.thread.tid);
        *self.process.environ.lock() = crate::task::nul_joined(envp);
        if crate::task::ptrace::is_traced(self.thread) {
            crate::task::ptrace::after_exec(self.thread, self.regs);
        }
        Ok(())
    }

    fn exec_at(&mut self, dir: DirFd, path: &[u8], follow: bool, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        let origin = match dir {
            DirFd::Cwd if path.is_empty() => {
                crate::task::exec::Origin::Node { node: self.process.fs().lock().cwd, name: b".".to_vec() }
            }
            DirFd::Cwd => crate::task::exec::Origin::Cwd,
            DirFd::Fd(fd) => {
                let file = self.file_or_path(fd)?;
                match (file.node(), path.is_empty()) {
                    (Some(node), true) => crate::task::exec::Origin::Node { node, name: file.path.clone() },
                    // A pipe or another kind no path names: not a program.
                    (None, true) => return Err(Error::PermissionDenied),
                    (Some(dir), false) => crate::task::exec::Origin::Dir { dir, follow },
                    (None, false) => return Err(Error::NotDirectory),
                }
            }
        };
        let origin = match origin {
            crate::task::exec::Origin::Cwd if !follow => {
                crate::task::exec::Origin::Dir { dir: self.process.fs().lock().cwd, follow }
            }
            o => o,
        };
        crate::task::usage::sample_peak_rss(self.process);
        crate::task::exec::exec_from(self.thread, self.regs, origin, path, argv, envp)?;
        self.process.settings.reset_for_exec();
        crate::keys::exec(self.process.pid, self.thread.tid);
        *self.process.environ.lock() = crate::task::nul_joined(envp);
        // execveat stops a tracee as execve does.
        if crate::task::ptrace::is_traced(self.thread) {
            crate::task::ptrace::after_exec(self.thread, self.regs);
        }
        Ok(())
    }

    fn record_auxv(&mut self, auxv: &[u8]) {
        *self.process.auxv.lock() = auxv.to_vec();
    }

    fn exit(&mut self, code: u8, group: bool) {
        let status = ChildStatus::Exited(code);
        crate::task::ptrace::before_exit(self.thread, self.regs, status);
        if group {
            lifecycle::exit_group(self.thread, status);
        } else {
            lifecycle::exit_thread(self.thread, status);
        }
    }

    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>> {
        lifecycle::wait(self.thread, target, options)
    }

    fn set_clear_child_tid(&mut self, addr: u64) {
        self.thread.clear_child_tid.store(addr, Ordering::Release);
    }

    fn yield_now(&mut self) {
        crate::sched::yield_now();
    }

    fn thread_count(&mut self) -> usize {
        self.process.threads.lock().len()
    }

    fn unshare(&mut self, files: bool, fs: bool) -> KResult<()> {
        if files {
            self.process.unshare_files();
        }
        if fs {
            self.process.unshare_fs();
        }
        Ok(())
    }
}
