//! Signals: handlers with the program's trampoline
//! (`__sigaction_sigtramp`), the mask, the alternate stack, pending
//! signals and waiting (sys/kern/sys_sig.c). The frame a handler runs on
//! is in `arch::signal_frame`; the way back is setcontext
//! (`sys::context`).

use crate::signals::{set_from_core, set_to_core, to_core, NSIG};
use kernel_ops::{AltStack, Error, KResult, KernelOps, MaskHow, SignalAction, SignalFlags, SignalHandler};

const SIG_BLOCK: u32 = 1;
const SIG_UNBLOCK: u32 = 2;
const SIG_SETMASK: u32 = 3;

pub fn read_set(ops: &mut dyn KernelOps, addr: u64) -> KResult<[u32; 4]> {
    let mut bytes = [0u8; 16];
    ops.copy_in(addr, &mut bytes)?;
    let mut words = [0u32; 4];
    for (w, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
        *w = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Ok(words)
}

fn write_set(ops: &mut dyn KernelOps, addr: u64, words: [u32; 4]) -> KResult<()> {
    let mut bytes = [0u8; 16];
    for (chunk, w) in bytes.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    ops.copy_out(addr, &bytes)
}

/// __sigprocmask14(how, set, oset): `how` looked at only when `set` is
/// given (sigprocmask1); SIGKILL and SIGSTOP are never blocked (the core
/// drops them).
pub fn sigprocmask(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let set = if a[1] == 0 {
        None
    } else {
        let how = match a[0] as u32 {
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
const SS_ALLBITS: u32 = SS_ONSTACK | SS_DISABLE;
/// MINSIGSTKSZ (sys/sys/signal.h).
const MINSIGSTKSZ: u64 = 8192;

/// __sigaltstack14(nss, oss) with NetBSD's `stack_t`: ss_sp at 0,
/// ss_size at 8, ss_flags at 16; 24 bytes. As sigaltstack1: unknown
/// flags are EINVAL, disabling the stack while on it EINVAL, a stack
/// below MINSIGSTKSZ ENOMEM.
pub fn sigaltstack(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let on = ops.on_alt_stack();
    let new = if a[0] == 0 {
        None
    } else {
        let mut b = [0u8; 24];
        ops.copy_in(a[0], &mut b)?;
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let (sp, size, flags) = (word(0), word(8), word(16) as u32);
        if flags & !SS_ALLBITS != 0 {
            return Err(Error::InvalidArgument);
        }
        if flags & SS_DISABLE != 0 {
            if on {
                return Err(Error::InvalidArgument);
            }
            Some(AltStack { base: 0, size: 0, disabled: true })
        } else if size < MINSIGSTKSZ {
            return Err(Error::NoMemory);
        } else {
            Some(AltStack { base: sp, size, disabled: false })
        }
    };
    if a[1] != 0 {
        let old = ops.alt_stack(None)?;
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
    if let Some(new) = new {
        // While on the alternate stack the core refuses a change; NetBSD
        // takes one (other than disabling it), to use from the next signal.
        match ops.alt_stack(Some(new)) {
            Err(Error::NotPermitted) => {
                ops.log_unsupported(format_args!("netbsd: sigaltstack change while on the alternate stack"));
                return Err(Error::InvalidArgument);
            }
            other => {
                other?;
            }
        }
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
const SA_ALLBITS: u32 = 0xff;

/// NetBSD's `struct sigaction`: the handler at 0, sa_mask at 8 (16
/// bytes), sa_flags at 24; 32 bytes.
const SIGACTION_BYTES: usize = 32;

/// The trampoline's version travels in the action's raw flags above
/// NetBSD's own bits, so a later query keeps it with the action.
const VERSION_SHIFT: u32 = 32;

/// A handler action read from a program, with its trampoline.
fn action_from_bytes(b: &[u8; SIGACTION_BYTES], tramp: u64, vers: u32) -> SignalAction {
    let handler = u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
    let mut words = [0u32; 4];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u32::from_le_bytes(b[8 + 4 * i..12 + 4 * i].try_into().unwrap_or([0; 4]));
    }
    let flags = u32::from_le_bytes(b[24..28].try_into().unwrap_or([0; 4]));
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
            raw: u64::from(flags) | u64::from(vers) << VERSION_SHIFT,
        },
        mask: set_to_core(words),
        // The handler returns to the program's own trampoline.
        restorer: tramp,
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
    for (i, w) in set_from_core(a.mask).iter().enumerate() {
        b[8 + 4 * i..12 + 4 * i].copy_from_slice(&w.to_le_bytes());
    }
    b[24..28].copy_from_slice(&(a.flags.raw as u32).to_le_bytes());
    b
}

/// __sigaction_sigtramp(signum, nsa, osa, tramp, vers): a handler and
/// the trampoline it returns through. NetBSD has no trampoline of its
/// own: a handler (not SIG_DFL or SIG_IGN) needs one, of version 2 or 3
/// (siginfo; sigaction1). Versions 0 and 1 (the sigcontext frames of
/// compat_16) are EINVAL, as on a kernel without that module.
pub fn sigaction(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let signum = a[0] as u32;
    if signum == 0 || signum >= NSIG {
        return Err(Error::InvalidArgument);
    }
    let signal = to_core(signum).ok_or(Error::InvalidArgument)?;
    let (tramp, vers) = (a[3], a[4] as i32);
    let new = if a[1] == 0 {
        None
    } else {
        let mut b = [0u8; SIGACTION_BYTES];
        ops.copy_in(a[1], &mut b)?;
        let action = action_from_bytes(&b, tramp, vers as u32);
        if let SignalHandler::User(_) = action.handler {
            if !matches!(vers, 2 | 3) || tramp == 0 {
                if matches!(vers, 0 | 1) {
                    ops.log_unsupported(format_args!("netbsd: sigcontext signal trampoline (version {vers})"));
                }
                return Err(Error::InvalidArgument);
            }
        }
        if action.flags.raw as u32 & !SA_ALLBITS != 0 {
            return Err(Error::InvalidArgument);
        }
        Some(action)
    };
    let old = ops.signal_action(signal, new)?;
    if a[2] != 0 {
        ops.copy_out(a[2], &action_to_bytes(&old))?;
    }
    Ok(0)
}

/// __sigpending14(set).
pub fn sigpending(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let pending = ops.pending_signals();
    write_set(ops, a[0], set_from_core(pending)).map(|_| 0)
}

/// __sigsuspend14(sigmask): waits with the mask in place until a handler
/// has run; always EINTR.
pub fn sigsuspend(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mask = set_to_core(read_set(ops, a[0])?);
    ops.suspend(mask).map(|_| 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sigaction_crosses_the_boundary_unchanged() {
        let mut b = [0u8; SIGACTION_BYTES];
        b[..8].copy_from_slice(&0x40_1234u64.to_le_bytes());
        b[8..12].copy_from_slice(&(1u32 << 29).to_le_bytes()); // SIGUSR1
        b[24..28].copy_from_slice(&(SA_SIGINFO | SA_ONSTACK | SA_RESTART).to_le_bytes());
        let a = action_from_bytes(&b, 0x40_2000, 2);
        assert_eq!(a.handler, SignalHandler::User(0x40_1234));
        assert_eq!(a.restorer, 0x40_2000);
        assert!(a.flags.siginfo && a.flags.on_stack && a.flags.restart && !a.flags.no_defer);
        assert!(a.mask.contains(kernel_ops::Signal::USR1));
        assert_eq!(action_to_bytes(&a), b);
    }
}
