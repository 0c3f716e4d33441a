//! Signals: the mask, handlers, the alternate stack, waiting, sending to
//! a thread, and sigreturn (the frame itself is in
//! `arch::signal_frame`).

use crate::signals::{set_from_core, set_to_core, to_core};
use kernel_ops::{AltStack, Error, KResult, KernelOps, MaskHow, SignalAction, SignalFlags, SignalHandler};

const SIG_BLOCK: u64 = 1;
const SIG_UNBLOCK: u64 = 2;
const SIG_SETMASK: u64 = 3;

fn read_set(ops: &mut dyn KernelOps, addr: u64) -> KResult<[u32; 4]> {
    let mut bytes = [0u8; 16];
    ops.copy_in(addr, &mut bytes)?;
    let mut words = [0u32; 4];
    for (w, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
        *w = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Ok(words)
}

fn write_set(ops: &mut dyn KernelOps, addr: u64, words: [u32; 4]) -> KResult<()> {
    let bytes: alloc::vec::Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    ops.copy_out(addr, &bytes)
}

/// sigprocmask(how, set, oset): `how` is FreeBSD's 1..=3 (Linux's 0..=2),
/// looked at only when `set` is given.
pub fn sigprocmask(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let set = if a[1] == 0 {
        None
    } else {
        let how = match a[0] as u32 as u64 {
            SIG_BLOCK => MaskHow::Block,
            SIG_UNBLOCK => MaskHow::Unblock,
            SIG_SETMASK => MaskHow::Set,
            _ => return Err(Error::InvalidArgument),
        };
        Some((how, set_to_core(read_set(ops, a[1])?)))
    };
    if a[2] != 0 {
        // The old mask's place must be writable before anything changes.
        let mut probe = [0u8; 16];
        ops.copy_in(a[2], &mut probe)?;
    }
    let old = match set {
        Some((how, set)) => ops.signal_mask(how, Some(set)),
        None => ops.signal_mask(MaskHow::Block, None),
    };
    if a[2] != 0 {
        write_set(ops, a[2], set_from_core(old))?;
    }
    Ok(0)
}

const SS_ONSTACK: u32 = 0x1;
const SS_DISABLE: u32 = 0x4;
/// `MINSIGSTKSZ` on amd64 (sys/x86/include/_limits.h).
const MINSIGSTKSZ: u64 = 2048;

/// sigaltstack(ss, oss) with FreeBSD's `stack_t`: ss_sp at 0, ss_size
/// at 8, ss_flags at 16 (Linux has the flags before the size), 24 bytes.
pub fn sigaltstack(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let new = if a[0] == 0 {
        None
    } else {
        let mut b = [0u8; 24];
        ops.copy_in(a[0], &mut b)?;
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let (sp, size, flags) = (word(0), word(8), word(16) as u32);
        // No change while running on the alternate stack.
        if ops.on_alt_stack() {
            return Err(Error::NotPermitted);
        }
        if flags & !SS_DISABLE != 0 {
            return Err(Error::InvalidArgument);
        }
        if flags != SS_DISABLE && size < MINSIGSTKSZ {
            return Err(Error::NoMemory);
        }
        Some(if flags == SS_DISABLE {
            AltStack { base: 0, size: 0, disabled: true }
        } else {
            AltStack { base: sp, size, disabled: false }
        })
    };
    let on = ops.on_alt_stack();
    let old = ops.alt_stack(new)?;
    if a[1] != 0 {
        let flags = if on {
            SS_ONSTACK
        } else if old.disabled {
            SS_DISABLE
        } else {
            0
        };
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&old.base.to_le_bytes());
        b[8..16].copy_from_slice(&old.size.to_le_bytes());
        b[16..20].copy_from_slice(&flags.to_le_bytes());
        ops.copy_out(a[1], &b)?;
    }
    Ok(0)
}

const SA_ONSTACK: u32 = 0x1;
const SA_RESTART: u32 = 0x2;
const SA_RESETHAND: u32 = 0x4;
const SA_NOCLDSTOP: u32 = 0x8;
const SA_NODEFER: u32 = 0x10;
const SA_NOCLDWAIT: u32 = 0x20;
const SA_SIGINFO: u32 = 0x40;

/// FreeBSD's `struct sigaction`: the handler at 0, sa_flags at 8, sa_mask
/// at 12 (Linux has the flags after the handler too, but a restorer
/// between them and the mask, and a 64-bit mask), 32 bytes.
const SIGACTION_BYTES: usize = 32;

fn action_from_bytes(b: &[u8; SIGACTION_BYTES]) -> SignalAction {
    let handler = u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
    let flags = u32::from_le_bytes(b[8..12].try_into().unwrap_or([0; 4]));
    let mut words = [0u32; 4];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u32::from_le_bytes(b[12 + 4 * i..16 + 4 * i].try_into().unwrap_or([0; 4]));
    }
    SignalAction {
        handler: match handler {
            0 => SignalHandler::Default,
            1 => SignalHandler::Ignore,
            at => SignalHandler::User(at),
        },
        flags: SignalFlags {
            siginfo: flags & SA_SIGINFO != 0,
            restart: flags & SA_RESTART != 0,
            no_defer: flags & SA_NODEFER != 0,
            reset_handler: flags & SA_RESETHAND != 0,
            on_stack: flags & SA_ONSTACK != 0,
            no_child_stop: flags & SA_NOCLDSTOP != 0,
            no_child_wait: flags & SA_NOCLDWAIT != 0,
            raw: u64::from(flags),
        },
        mask: set_to_core(words),
        // FreeBSD's handlers return through the kernel's own trampoline.
        restorer: 0,
    }
}

fn action_to_bytes(a: &SignalAction) -> [u8; SIGACTION_BYTES] {
    let mut b = [0u8; SIGACTION_BYTES];
    let handler = match a.handler {
        SignalHandler::Default => 0,
        SignalHandler::Ignore => 1,
        SignalHandler::User(at) => at,
    };
    b[..8].copy_from_slice(&handler.to_le_bytes());
    b[8..12].copy_from_slice(&(a.flags.raw as u32).to_le_bytes());
    for (i, w) in set_from_core(a.mask).iter().enumerate() {
        b[12 + 4 * i..16 + 4 * i].copy_from_slice(&w.to_le_bytes());
    }
    b
}

/// sigaction(sig, act, oact).
pub fn sigaction(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let signal = to_core(a[0] as u32).ok_or(Error::InvalidArgument)?;
    let new = if a[1] == 0 {
        None
    } else {
        let mut b = [0u8; SIGACTION_BYTES];
        ops.copy_in(a[1], &mut b)?;
        Some(action_from_bytes(&b))
    };
    let old = ops.signal_action(signal, new)?;
    if a[2] != 0 {
        ops.copy_out(a[2], &action_to_bytes(&old))?;
    }
    Ok(0)
}

/// sigpending(set).
pub fn sigpending(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let pending = ops.pending_signals();
    write_set(ops, a[0], set_from_core(pending)).map(|_| 0)
}

/// sigsuspend(sigmask): waits with the mask in place until a handler has
/// run; always EINTR.
pub fn sigsuspend(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mask = set_to_core(read_set(ops, a[0])?);
    ops.suspend(mask).map(|_| 0)
}

/// sigreturn(ucp): the registers, mask, FPU state and FS base a handler's
/// ucontext holds (sigcode calls it when a handler returns). The table
/// marks it as setting every register itself.
pub fn sigreturn(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    crate::arch::signal_frame::sigreturn(ops, a[0]).map(|_| 0)
}

/// A signal number argument where 0 means "only check" (kill, thr_kill).
fn optional_signal(raw: u64) -> KResult<Option<kernel_ops::Signal>> {
    match raw as i32 {
        0 => Ok(None),
        n if n > 0 => to_core(n as u32).map(Some).ok_or(Error::InvalidArgument),
        _ => Err(Error::InvalidArgument),
    }
}

/// thr_kill(id, sig): a signal to one thread of the caller's process, or
/// to the process when id is -1.
pub fn thr_kill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let signal = optional_signal(a[1])?;
    let pid = ops.pid();
    if a[0] as i64 == -1 {
        return ops.kill(kernel_ops::KillTarget::Process(pid), signal).map(|_| 0);
    }
    let tid = crate::sys::ids::core_thread_id(a[0]).ok_or(Error::NoSuchProcess)?;
    ops.kill_thread(Some(pid), tid, signal).map(|_| 0)
}

/// thr_kill2(pid, id, sig): the same for a thread of another process.
pub fn thr_kill2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let signal = optional_signal(a[2])?;
    let pid = u32::try_from(a[0] as i32).map_err(|_| Error::NoSuchProcess)?;
    if a[1] as i64 == -1 {
        return ops.kill(kernel_ops::KillTarget::Process(pid), signal).map(|_| 0);
    }
    let tid = crate::sys::ids::core_thread_id(a[1]).ok_or(Error::NoSuchProcess)?;
    ops.kill_thread(Some(pid), tid, signal).map(|_| 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sigaction_crosses_the_boundary_unchanged() {
        let mut b = [0u8; SIGACTION_BYTES];
        b[..8].copy_from_slice(&0x40_1234u64.to_le_bytes());
        b[8..12].copy_from_slice(&(SA_SIGINFO | SA_ONSTACK | SA_RESTART).to_le_bytes());
        b[12..16].copy_from_slice(&(1u32 << 29).to_le_bytes()); // SIGUSR1
        let a = action_from_bytes(&b);
        assert_eq!(a.handler, SignalHandler::User(0x40_1234));
        assert!(a.flags.siginfo && a.flags.on_stack && a.flags.restart && !a.flags.no_defer);
        assert!(a.mask.contains(kernel_ops::Signal::USR1));
        assert_eq!(action_to_bytes(&a), b);
    }
}
