//! The signal calls against the fake core: how rt_sigaction's struct,
//! sigset_t words and signal numbers become the core's actions, sets and
//! signals (crates/personality-linux/src/signals.rs), which error comes
//! first, and what is written back.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{KillTarget, Signal, SignalCause, SignalHandler, SignalInfo, SignalSet};
use linux_abi::signal::*;

const RT_SIGACTION: u64 = 13;
const RT_SIGPROCMASK: u64 = 14;
const RT_SIGPENDING: u64 = 127;
const RT_SIGTIMEDWAIT: u64 = 128;
const RT_SIGSUSPEND: u64 = 130;
const KILL: u64 = 62;
const TGKILL: u64 = 234;
const EINVAL: i64 = 22;
const EFAULT: i64 = 14;
const EAGAIN: i64 = 11;
const EINTR: i64 = 4;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn bit(n: u32) -> u64 {
    1 << (n - 1)
}

const NEW: u64 = MEM_BASE;
const OLD: u64 = MEM_BASE + 0x100;

#[test]
fn sigaction_decodes_handler_flags_and_mask_and_writes_the_old_one_back() {
    let mut k = FakeCore::new();
    let act = KernelSigaction {
        handler: 0x40_1000,
        flags: SA_SIGINFO | SA_RESTART | SA_RESTORER | SA_NODEFER,
        restorer: 0x40_2000,
        mask: Sigset(bit(SIGINT) | bit(SIGRTMAX)),
    };
    k.put(NEW, &act.to_bytes());
    assert_eq!(k.syscall(RT_SIGACTION, [u64::from(SIGUSR1), NEW, OLD, 8, 0, 0]), 0);
    let got = k.signal_actions[SIGUSR1 as usize - 1];
    assert_eq!(got.handler, SignalHandler::User(0x40_1000));
    assert!(got.flags.siginfo && got.flags.restart && got.flags.no_defer && !got.flags.on_stack);
    assert_eq!(got.restorer, 0x40_2000);
    assert!(got.mask.contains(Signal::INT) && !got.mask.contains(Signal::TERM));
    assert!(got.mask.contains(Signal::new(64).unwrap()), "SIGRTMAX's bit is signal 64 in the core");
    let old = KernelSigaction::from_bytes(k.get(OLD, KernelSigaction::SIZE)).unwrap();
    assert_eq!(old.handler, SIG_DFL, "the old action was the default");

    // Asking again reads back what was set, in Linux's layout.
    assert_eq!(k.syscall(RT_SIGACTION, [u64::from(SIGUSR1), 0, OLD, 8, 0, 0]), 0);
    let back = KernelSigaction::from_bytes(k.get(OLD, KernelSigaction::SIZE)).unwrap();
    assert_eq!((back.handler, back.restorer, back.mask.0), (act.handler, act.restorer, act.mask.0));
    assert_eq!(back.flags & act.flags, act.flags);

    // SIG_IGN is Ignore.
    let ign = KernelSigaction { handler: SIG_IGN, flags: SA_RESTORER, restorer: 1, mask: Sigset(0) };
    k.put(NEW, &ign.to_bytes());
    assert_eq!(k.syscall(RT_SIGACTION, [u64::from(SIGPIPE), NEW, 0, 8, 0, 0]), 0);
    assert_eq!(k.signal_actions[SIGPIPE as usize - 1].handler, SignalHandler::Ignore);
}

#[test]
fn sigaction_errors_in_linuxs_order() {
    let mut k = FakeCore::new();
    let act = KernelSigaction { handler: 0x40_1000, flags: SA_RESTORER, restorer: 1, mask: Sigset(0) };
    k.put(NEW, &act.to_bytes());
    assert_eq!(errno(k.syscall(RT_SIGACTION, [u64::from(SIGUSR1), NEW, 0, 4, 0, 0])), EINVAL, "sigsetsize 4");
    assert_eq!(errno(k.syscall(RT_SIGACTION, [0, NEW, 0, 8, 0, 0])), EINVAL, "signal 0");
    assert_eq!(errno(k.syscall(RT_SIGACTION, [65, NEW, 0, 8, 0, 0])), EINVAL, "signal 65");
    assert_eq!(errno(k.syscall(RT_SIGACTION, [u64::from(SIGKILL), NEW, 0, 8, 0, 0])), EINVAL, "SIGKILL");
    assert_eq!(errno(k.syscall(RT_SIGACTION, [u64::from(SIGUSR1), 8, 0, 8, 0, 0])), EFAULT, "a bad act");
    assert_eq!(k.signal_actions[SIGUSR1 as usize - 1].handler, SignalHandler::Default, "nothing changed");
}

#[test]
fn sigprocmask_block_unblock_set_and_old_mask() {
    let mut k = FakeCore::new();
    k.put(NEW, &(bit(SIGUSR1) | bit(SIGKILL) | bit(40)).to_le_bytes());
    assert_eq!(k.syscall(RT_SIGPROCMASK, [u64::from(SIG_BLOCK), NEW, OLD, 8, 0, 0]), 0);
    assert_eq!(k.signal_mask, SignalSet(bit(SIGUSR1) | bit(40)), "KILL cannot be blocked");
    assert_eq!(k.get(OLD, 8), &0u64.to_le_bytes());
    k.put(NEW, &bit(SIGUSR1).to_le_bytes());
    assert_eq!(k.syscall(RT_SIGPROCMASK, [u64::from(SIG_UNBLOCK), NEW, OLD, 8, 0, 0]), 0);
    assert_eq!(k.signal_mask, SignalSet(bit(40)));
    assert_eq!(k.get(OLD, 8), &(bit(SIGUSR1) | bit(40)).to_le_bytes());
    k.put(NEW, &bit(SIGTERM).to_le_bytes());
    assert_eq!(k.syscall(RT_SIGPROCMASK, [u64::from(SIG_SETMASK), NEW, 0, 8, 0, 0]), 0);
    assert!(k.signal_mask.contains(Signal::TERM) && !k.signal_mask.contains(Signal::new(40).unwrap()));
    // A bad `how` with a set is EINVAL; without one it only reads.
    assert_eq!(errno(k.syscall(RT_SIGPROCMASK, [7, NEW, 0, 8, 0, 0])), EINVAL);
    assert_eq!(k.syscall(RT_SIGPROCMASK, [7, 0, OLD, 8, 0, 0]), 0);
    assert_eq!(k.get(OLD, 8), &bit(SIGTERM).to_le_bytes());
    assert_eq!(errno(k.syscall(RT_SIGPROCMASK, [0, NEW, OLD, 16, 0, 0])), EINVAL, "sigsetsize 16");
    assert_eq!(errno(k.syscall(RT_SIGPROCMASK, [0, NEW, 8, 8, 0, 0])), EFAULT, "old mask unwritable");
    assert!(k.signal_mask.contains(Signal::TERM), "the EFAULT changed nothing");
}

fn pending(k: &mut FakeCore, signal: Signal) {
    k.pending.push(SignalInfo { signal, cause: SignalCause::User { pid: 5, uid: 1000 } });
}

#[test]
fn sigpending_and_sigtimedwait_speak_linux_numbers() {
    let mut k = FakeCore::new();
    pending(&mut k, Signal::USR2);
    pending(&mut k, Signal::new(50).unwrap());
    assert_eq!(k.syscall(RT_SIGPENDING, [OLD, 8, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(OLD, 8), &(bit(SIGUSR2) | bit(50)).to_le_bytes());

    // Wait for 50 only: that one is taken, its number returned, its siginfo written.
    k.put(NEW, &bit(50).to_le_bytes());
    k.put(NEW + 0x10, &[0u8; 16]);
    let r = k.syscall(RT_SIGTIMEDWAIT, [NEW, OLD, NEW + 0x10, 8, 0, 0]);
    assert_eq!(r, 50);
    let si = k.get(OLD, 12).to_vec();
    assert_eq!(i32::from_le_bytes(si[0..4].try_into().unwrap()), 50, "si_signo");
    assert_eq!(k.pending.len(), 1, "USR2 is still pending");
    // Nothing of the set pending and a zero timeout: EAGAIN.
    assert_eq!(errno(k.syscall(RT_SIGTIMEDWAIT, [NEW, 0, NEW + 0x10, 8, 0, 0])), EAGAIN);
    assert_eq!(errno(k.syscall(RT_SIGPENDING, [OLD, 4, 0, 0, 0, 0])), EINVAL);
}

#[test]
fn sigsuspend_installs_the_linux_mask_and_ends_interrupted() {
    let mut k = FakeCore::new();
    k.put(NEW, &(bit(SIGINT) | bit(SIGQUIT)).to_le_bytes());
    assert_eq!(errno(k.syscall(RT_SIGSUSPEND, [NEW, 8, 0, 0, 0, 0])), EINTR);
    assert_eq!(k.suspended_with, vec![SignalSet(bit(SIGINT) | bit(SIGQUIT))]);
}

#[test]
fn kill_and_tgkill_targets_and_numbers() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(KILL, [42, u64::from(SIGTERM), 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(KILL, [(-7i64) as u64, u64::from(SIGHUP), 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(KILL, [0, 0, 0, 0, 0, 0]), 0, "signal 0 only checks");
    assert_eq!(k.syscall(TGKILL, [3, 4, 35, 0, 0, 0]), 0);
    assert_eq!(
        k.kills,
        vec![
            (Some(KillTarget::Process(42)), None, Some(Signal::TERM)),
            (Some(KillTarget::ProcessGroup(7)), None, Some(Signal::HUP)),
            (Some(KillTarget::ProcessGroup(0)), None, None),
            (None, Some((Some(3), 4)), Some(Signal::new(35).unwrap())),
        ]
    );
    assert_eq!(errno(k.syscall(KILL, [42, 65, 0, 0, 0, 0])), EINVAL, "signal 65");
    assert_eq!(errno(k.syscall(TGKILL, [0, 4, 1, 0, 0, 0])), EINVAL, "tgid 0");
}
