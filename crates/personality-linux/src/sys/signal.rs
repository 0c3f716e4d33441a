//! Signal dispositions, masks, sending, and returning from handlers.

use crate::util::{optional_signal, read_u64, signal as sig, write_u64};
use kernel_ops::{AltStack, Error, KResult, KernelOps, KillTarget, MaskHow, SignalAction, SignalFlags, SignalHandler};
use linux_abi::sigaltstack::StackT;
use linux_abi::signal::*;

const SIGSET_BYTES: u64 = 8;

fn to_linux(a: &SignalAction) -> KernelSigaction {
    let handler = match a.handler {
        SignalHandler::Default => SIG_DFL,
        SignalHandler::Ignore => SIG_IGN,
        SignalHandler::User(h) => h,
    };
    KernelSigaction {
        handler,
        flags: a.flags.raw,
        restorer: a.restorer,
        mask: Sigset(crate::signals::set_to_linux(a.mask)),
    }
}

fn from_linux(k: &KernelSigaction) -> SignalAction {
    let f = k.flags;
    let handler = match k.handler {
        SIG_DFL => SignalHandler::Default,
        SIG_IGN => SignalHandler::Ignore,
        h => SignalHandler::User(h),
    };
    SignalAction {
        handler,
        flags: SignalFlags {
            siginfo: f & SA_SIGINFO != 0,
            restart: f & SA_RESTART != 0,
            no_defer: f & SA_NODEFER != 0,
            reset_handler: f & SA_RESETHAND != 0,
            on_stack: f & SA_ONSTACK != 0,
            no_child_stop: f & SA_NOCLDSTOP != 0,
            no_child_wait: f & SA_NOCLDWAIT != 0,
            raw: f,
        },
        mask: crate::signals::set_from_linux(k.mask.0),
        restorer: k.restorer,
    }
}

pub fn rt_sigaction(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[3] != SIGSET_BYTES {
        return Err(Error::InvalidArgument);
    }
    let s = sig(a[0])?;
    let new = if a[1] == 0 {
        None
    } else {
        let mut b = [0u8; KernelSigaction::SIZE];
        ops.copy_in(a[1], &mut b)?;
        Some(from_linux(&KernelSigaction::from_bytes(&b).ok_or(Error::Fault)?))
    };
    let old = ops.signal_action(s, new)?;
    if a[2] != 0 {
        ops.copy_out(a[2], &to_linux(&old).to_bytes())?;
    }
    Ok(0)
}

pub fn rt_sigprocmask(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[3] != SIGSET_BYTES {
        return Err(Error::InvalidArgument);
    }
    let how = match a[0] {
        0 => MaskHow::Block,
        1 => MaskHow::Unblock,
        2 => MaskHow::Set,
        _ if a[1] != 0 => return Err(Error::InvalidArgument),
        _ => MaskHow::Block,
    };
    let set = if a[1] == 0 { None } else { Some(crate::signals::set_from_linux(read_u64(ops, a[1])?)) };
    // Check the output buffer before changing anything.
    if a[2] != 0 {
        let mut probe = [0u8; 8];
        ops.copy_in(a[2], &mut probe)?;
    }
    let old = ops.signal_mask(how, set);
    if a[2] != 0 {
        write_u64(ops, a[2], crate::signals::set_to_linux(old))?;
    }
    Ok(0)
}

pub fn rt_sigpending(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] != SIGSET_BYTES {
        return Err(Error::InvalidArgument);
    }
    let p = ops.pending_signals();
    write_u64(ops, a[0], crate::signals::set_to_linux(p)).map(|_| 0)
}

pub fn rt_sigsuspend(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] != SIGSET_BYTES {
        return Err(Error::InvalidArgument);
    }
    let mask = crate::signals::set_from_linux(read_u64(ops, a[0])?);
    ops.suspend(mask).map(|_| 0)
}

pub fn pause(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let mask = ops.signal_mask(MaskHow::Block, None);
    ops.suspend(mask).map(|_| 0)
}

pub fn sigaltstack(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::sigaltstack::{MINSIGSTKSZ, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK};
    let new = if a[0] == 0 {
        None
    } else {
        let mut b = [0u8; StackT::SIZE];
        ops.copy_in(a[0], &mut b)?;
        let s = StackT::from_bytes(&b).ok_or(Error::Fault)?;
        // Linux: no change while running on the alternate stack, before
        // the new one is looked at.
        if ops.on_alt_stack() {
            return Err(Error::NotPermitted);
        }
        let flags = s.ss_flags & !SS_AUTODISARM;
        if flags != 0 && flags != SS_DISABLE && flags != SS_ONSTACK {
            return Err(Error::InvalidArgument);
        }
        if flags != SS_DISABLE && s.ss_size < MINSIGSTKSZ {
            return Err(Error::NoMemory);
        }
        // A disabled stack forgets its place (Linux stores NULL and 0).
        Some(if flags == SS_DISABLE {
            AltStack { base: 0, size: 0, disabled: true }
        } else {
            AltStack { base: s.ss_sp, size: s.ss_size, disabled: false }
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
        let s = StackT { ss_sp: old.base, ss_flags: flags, ss_size: old.size };
        ops.copy_out(a[1], &s.to_bytes())?;
    }
    Ok(0)
}

pub fn kill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = optional_signal(a[1])?;
    let pid = a[0] as i32;
    let target = match pid {
        p if p > 0 => KillTarget::Process(p as u32),
        0 => KillTarget::ProcessGroup(0),
        -1 => KillTarget::All,
        p if p == i32::MIN => return Err(Error::NoSuchProcess),
        p => KillTarget::ProcessGroup(p.unsigned_abs()),
    };
    ops.kill(target, s).map(|_| 0)
}

pub fn tkill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[0] as i32) <= 0 {
        return Err(Error::InvalidArgument);
    }
    ops.kill_thread(None, a[0] as u32, optional_signal(a[1])?).map(|_| 0)
}

pub fn tgkill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[0] as i32) <= 0 || (a[1] as i32) <= 0 {
        return Err(Error::InvalidArgument);
    }
    ops.kill_thread(Some(a[0] as u32), a[1] as u32, optional_signal(a[2])?).map(|_| 0)
}

pub fn rt_sigtimedwait(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[3] != SIGSET_BYTES {
        return Err(Error::InvalidArgument);
    }
    let set = crate::signals::set_from_linux(read_u64(ops, a[0])?);
    let deadline = if a[2] == 0 {
        None
    } else {
        let t = crate::util::read_timespec(ops, a[2])?.to_nanos().ok_or(Error::InvalidArgument)?;
        Some(ops.clock(kernel_ops::Clock::Monotonic)?.saturating_add(t))
    };
    // Linux's sigtimedwait says EAGAIN when the time runs out.
    let info =
        ops.wait_for_signal(set, deadline).map_err(|e| if e == Error::TimedOut { Error::WouldBlock } else { e })?;
    if a[1] != 0 {
        ops.copy_out(a[1], &crate::siginfo::siginfo_bytes(&info))?;
    }
    Ok(u64::from(crate::signals::to_linux(info.signal)))
}

/// Linux's order: the siginfo is copied in (EFAULT), the code checked
/// (EPERM), and only then is the signal number judged (EINVAL).
pub fn rt_sigqueueinfo(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut b = [0u8; 128];
    ops.copy_in(a[2], &mut b)?;
    let code = i32::from_le_bytes([b[8], b[9], b[10], b[11]]);
    // Only the kernel may claim kernel-made codes (Linux: EPERM), except
    // towards the caller's own process (do_rt_sigqueueinfo).
    if (code >= 0 || code == linux_abi::siginfo::SI_TKILL) && a[0] as u32 != ops.pid() {
        return Err(Error::NotPermitted);
    }
    let s = sig(a[1])?;
    let value = u64::from_le_bytes(b[24..32].try_into().unwrap_or([0; 8]));
    ops.queue_signal(a[0] as u32, s, value).map(|_| 0)
}

/// rt_tgsigqueueinfo(tgid, tid, sig, info): rt_sigqueueinfo aimed at one
/// thread. A code the kernel would make (si_code >= 0, SI_TKILL) may only
/// be claimed towards the caller's own process (Linux: EPERM).
/// Linux's order: the siginfo (EFAULT), the ids (EINVAL), the code
/// (EPERM), then the signal number (EINVAL).
pub fn rt_tgsigqueueinfo(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (tgid, tid) = (a[0] as i32, a[1] as i32);
    let mut b = [0u8; 128];
    ops.copy_in(a[3], &mut b)?;
    if tgid <= 0 || tid <= 0 {
        return Err(Error::InvalidArgument);
    }
    let code = i32::from_le_bytes([b[8], b[9], b[10], b[11]]);
    if (code >= 0 || code == linux_abi::siginfo::SI_TKILL) && tgid as u32 != ops.pid() {
        return Err(Error::NotPermitted);
    }
    let s = sig(a[2])?;
    let value = u64::from_le_bytes(b[24..32].try_into().unwrap_or([0; 8]));
    ops.queue_thread_signal(tgid as u32, tid as u32, s, value).map(|_| 0)
}

pub fn rt_sigreturn(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    crate::arch::signal_frame::sigreturn(ops)?;
    Ok(0)
}
