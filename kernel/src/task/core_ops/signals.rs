//! How the kernel core implements `SignalOps` (signal actions, masks, sending
//! and waiting for signals).

use super::*;

impl SignalOps for CoreOps<'_> {
    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction> {
        if signal.is_unblockable() && new.is_some() {
            return Err(Error::InvalidArgument);
        }
        let actions = self.process.actions();
        let mut table = actions.lock();
        let old = table[signal.number() as usize - 1];
        if let Some(a) = new {
            table[signal.number() as usize - 1] = a;
            // Setting a signal to ignored discards it if pending (POSIX).
            let ignore = matches!(a.handler, SignalHandler::Ignore)
                || (matches!(a.handler, SignalHandler::Default) && signal.default_action() == DefaultAction::Ignore);
            if ignore {
                drop(table);
                self.process.clear_shared_pending(signal.bit());
                for t in self.process.threads.lock().iter() {
                    t.signals.lock().pending &= !signal.bit();
                }
            }
        }
        Ok(old)
    }

    fn signal_mask(&mut self, how: MaskHow, set: Option<SignalSet>) -> SignalSet {
        let mut s = self.thread.signals.lock();
        let old = s.mask;
        if let Some(SignalSet(set)) = set {
            let set = set & !(Signal::KILL.bit() | Signal::STOP.bit());
            s.mask = match how {
                MaskHow::Block => old | set,
                MaskHow::Unblock => old & !set,
                MaskHow::Set => set,
            };
        }
        SignalSet(old)
    }

    fn pending_signals(&mut self) -> SignalSet {
        let (pending, mask) = {
            let s = self.thread.signals.lock();
            (s.pending, s.mask)
        };
        SignalSet((pending | self.process.shared_pending()) & mask)
    }

    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack> {
        let on = self.on_alt_stack();
        let mut s = self.thread.signals.lock();
        let old = s.alt_stack;
        if let Some(n) = new {
            if on {
                return Err(Error::NotPermitted);
            }
            s.alt_stack = n;
        }
        Ok(old)
    }

    fn on_alt_stack(&mut self) -> bool {
        let s = self.thread.signals.lock().alt_stack;
        // As Linux, without adding base and size: a stack may end past the
        // top of the address space (the fuzz campaign's overflow panic).
        !s.disabled && self.regs.sp() > s.base && self.regs.sp() - s.base <= s.size
    }

    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()> {
        let cause = SignalCause::User { pid: self.process.pid, uid: self.process.creds.lock().uid };
        let targets: Vec<Arc<Process>> = match target {
            // A zombie exists until it is reaped: signalling it succeeds
            // (and does nothing), as on Linux.
            KillTarget::Process(pid) => alloc::vec![process_of_id(pid).ok_or(Error::NoSuchProcess)?],
            KillTarget::ProcessGroup(g) => {
                let g = if g == 0 { self.process.pgid() } else { g };
                crate::task::process::all().into_iter().filter(|p| p.pgid() == g).collect()
            }
            // Everyone but init and the caller, as on Linux, and but the
            // native tasks (the drivers and servers the system runs on),
            // as Linux's kill(-1) passes over kernel threads.
            KillTarget::All => crate::task::process::all()
                .into_iter()
                .filter(|p| p.pid != 1 && p.pid != self.process.pid && !p.is_native())
                .collect(),
        };
        if targets.is_empty() {
            return Err(Error::NoSuchProcess);
        }
        // As Linux: the call succeeds if any target could be signalled,
        // and is EPERM when none could.
        let permitted: Vec<&Arc<Process>> = targets.iter().filter(|p| self.may_signal(p, signal)).collect();
        if permitted.is_empty() {
            return Err(Error::NotPermitted);
        }
        if let Some(sig) = signal {
            for p in permitted.into_iter().filter(|p| !p.is_zombie()) {
                signal::send_to_process(p, sig, cause);
            }
        }
        Ok(())
    }

    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()> {
        let thread = crate::task::process::all()
            .into_iter()
            .filter(|p| tgid.is_none_or(|g| p.pid == g))
            .find_map(|p| p.threads.lock().iter().find(|t| t.tid == tid).cloned())
            .ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(thread.process(), signal) {
            return Err(Error::NotPermitted);
        }
        if let Some(sig) = signal {
            let cause = SignalCause::UserThread { pid: self.process.pid, uid: self.process.creds.lock().uid };
            signal::send_to_thread(&thread, sig, cause);
        }
        Ok(())
    }

    fn wait_for_signal(&mut self, SignalSet(set): SignalSet, deadline: Option<u64>) -> KResult<SignalInfo> {
        let set = set & !(Signal::KILL.bit() | Signal::STOP.bit());
        if let Some(info) = signal::take_from_set(self.thread, set) {
            return Ok(info);
        }
        // Unblock the awaited signals while sleeping so their arrival wakes
        // us; the mask is back before any return to user mode.
        let saved = {
            let mut s = self.thread.signals.lock();
            let saved = s.mask;
            s.awaited = saved & set;
            s.mask &= !set;
            saved
        };
        static SIGWAIT: crate::sched::WaitQueue = crate::sched::WaitQueue::new();
        let waited = SIGWAIT.wait_until(true, deadline, || false);
        {
            let mut s = self.thread.signals.lock();
            s.mask = saved;
            s.awaited = 0;
        }
        if let Some(info) = signal::take_from_set(self.thread, set) {
            return Ok(info);
        }
        match waited {
            Err(crate::sched::WaitError::TimedOut) => Err(Error::TimedOut),
            _ => Err(Error::Interrupted),
        }
    }

    fn queue_signal(&mut self, pid: u32, sig: Signal, value: u64) -> KResult<()> {
        let p = process_of_id(pid).ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(&p, Some(sig)) {
            return Err(Error::NotPermitted);
        }
        if p.is_zombie() {
            return Ok(());
        }
        let cause = SignalCause::Queued { pid: self.process.pid, uid: self.process.creds.lock().uid, value };
        signal::send_to_process(&p, sig, cause);
        Ok(())
    }

    fn suspend(&mut self, SignalSet(mask): SignalSet) -> KResult<()> {
        {
            let mut s = self.thread.signals.lock();
            s.restore_mask = Some(s.mask);
            s.mask = mask & !(Signal::KILL.bit() | Signal::STOP.bit());
        }
        static SUSPENDED: crate::sched::WaitQueue = crate::sched::WaitQueue::new();
        let _ = SUSPENDED.wait_until(true, None, || false);
        Err(Error::Interrupted)
    }

    fn restore_mask_after_handler(&mut self, SignalSet(old): SignalSet) {
        self.thread.signals.lock().restore_mask = Some(old);
    }

    fn queue_thread_signal(&mut self, tgid: u32, tid: u32, signal: Signal, value: u64) -> KResult<()> {
        let thread = crate::task::process::find(tgid)
            .and_then(|p| p.threads.lock().iter().find(|t| t.tid == tid).cloned())
            .ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(thread.process(), Some(signal)) {
            return Err(Error::NotPermitted);
        }
        let cause = SignalCause::Queued { pid: self.process.pid, uid: self.process.creds.lock().uid, value };
        signal::send_to_thread(&thread, signal, cause);
        Ok(())
    }
}

/// The process a pid names, or, as Linux's kill and rt_sigqueueinfo
/// accept, the process of the thread a thread id names.
fn process_of_id(id: u32) -> Option<Arc<Process>> {
    crate::task::process::find(id)
        .or_else(|| crate::task::process::find_thread(id).and_then(|t| t.try_process().cloned()))
}
