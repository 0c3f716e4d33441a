//! Process and thread creation flags and `struct clone_args`
//! (`linux/sched.h`).
//!
//! The legacy `clone` syscall on x86_64 takes its arguments in the order
//! `(flags, newsp, parent_tid, child_tid, tls)`, unlike several other
//! architectures that swap the last two: see [`CLONE_ARG_ORDER`]. The low
//! byte of `flags` ([`CSIGNAL`]) is the signal sent to the parent when the
//! child exits (SIGCHLD for a fork-like clone, 0 for threads).

use crate::extensible;
use crate::wire::{get_u64, put_u64};

/// The exit signal in the low byte of legacy `clone` flags.
pub const CSIGNAL: u64 = 0x0000_00ff;
/// Share the address space (threads, vfork).
pub const CLONE_VM: u64 = 0x0000_0100;
/// Share cwd, root and umask.
pub const CLONE_FS: u64 = 0x0000_0200;
/// Share the file-descriptor table.
pub const CLONE_FILES: u64 = 0x0000_0400;
/// Share signal handlers (requires `CLONE_VM`).
pub const CLONE_SIGHAND: u64 = 0x0000_0800;
/// Return a pidfd for the child (legacy clone: stored at `parent_tid`).
pub const CLONE_PIDFD: u64 = 0x0000_1000;
pub const CLONE_PTRACE: u64 = 0x0000_2000;
/// Suspend the parent until the child execs or exits.
pub const CLONE_VFORK: u64 = 0x0000_4000;
/// The child's parent is the caller's parent.
pub const CLONE_PARENT: u64 = 0x0000_8000;
/// Same thread group: a thread, not a process (requires `CLONE_SIGHAND`).
pub const CLONE_THREAD: u64 = 0x0001_0000;
pub const CLONE_NEWNS: u64 = 0x0002_0000;
/// Share System V semaphore undo lists.
pub const CLONE_SYSVSEM: u64 = 0x0004_0000;
/// Set the child's FS base to `tls`.
pub const CLONE_SETTLS: u64 = 0x0008_0000;
/// Store the child's TID at `parent_tid` in the parent's memory.
pub const CLONE_PARENT_SETTID: u64 = 0x0010_0000;
/// Zero `child_tid` and futex-wake it when the child exits (pthread_join).
pub const CLONE_CHILD_CLEARTID: u64 = 0x0020_0000;
/// Ignored since 2.6; kept because old binaries pass it.
pub const CLONE_DETACHED: u64 = 0x0040_0000;
pub const CLONE_UNTRACED: u64 = 0x0080_0000;
/// Store the child's TID at `child_tid` in the child's memory.
pub const CLONE_CHILD_SETTID: u64 = 0x0100_0000;
pub const CLONE_NEWCGROUP: u64 = 0x0200_0000;
pub const CLONE_NEWUTS: u64 = 0x0400_0000;
pub const CLONE_NEWIPC: u64 = 0x0800_0000;
pub const CLONE_NEWUSER: u64 = 0x1000_0000;
pub const CLONE_NEWPID: u64 = 0x2000_0000;
pub const CLONE_NEWNET: u64 = 0x4000_0000;
pub const CLONE_IO: u64 = 0x8000_0000;
/// `clone3` only: reset all handlers to default in the child.
pub const CLONE_CLEAR_SIGHAND: u64 = 0x1_0000_0000;
/// `clone3` only: start the child in the cgroup `cgroup` names.
pub const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;
/// New time namespace; shares a bit with `CSIGNAL`, so only `clone3` and
/// `unshare` can express it.
pub const CLONE_NEWTIME: u64 = 0x0000_0080;

/// The argument order of the legacy `clone` syscall on x86_64 (other
/// architectures swap the last two), first argument first.
pub const CLONE_ARG_ORDER: [&str; 5] = ["flags", "newsp", "parent_tid", "child_tid", "tls"];

/// Sizes of the published versions of `struct clone_args`.
pub const CLONE_ARGS_SIZE_VER0: usize = 64;
pub const CLONE_ARGS_SIZE_VER1: usize = 80;
pub const CLONE_ARGS_SIZE_VER2: usize = 88;

/// `struct clone_args` of `clone3` (88 bytes, all `u64`, aligned to 8).
/// Pointers are user addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CloneArgs {
    pub flags: u64,
    /// Where to store the pidfd (`CLONE_PIDFD`).
    pub pidfd: u64,
    pub child_tid: u64,
    pub parent_tid: u64,
    /// Signal to the parent on exit (the legacy `CSIGNAL` byte, separated).
    pub exit_signal: u64,
    /// Lowest address of the child's stack (not its top, unlike `newsp`).
    pub stack: u64,
    pub stack_size: u64,
    pub tls: u64,
    /// Array of PIDs to request, one per nested PID namespace (VER1).
    pub set_tid: u64,
    pub set_tid_size: u64,
    /// cgroup fd for `CLONE_INTO_CGROUP` (VER2).
    pub cgroup: u64,
}

impl CloneArgs {
    pub const SIZE: usize = CLONE_ARGS_SIZE_VER2;

    fn fields(&self) -> [u64; 11] {
        [
            self.flags,
            self.pidfd,
            self.child_tid,
            self.parent_tid,
            self.exit_signal,
            self.stack,
            self.stack_size,
            self.tls,
            self.set_tid,
            self.set_tid_size,
            self.cgroup,
        ]
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        for (i, f) in self.fields().iter().enumerate() {
            put_u64(&mut b, 8 * i, *f);
        }
        b
    }

    fn decode(b: &[u8; Self::SIZE]) -> Self {
        let f = |i: usize| get_u64(b, 8 * i);
        Self {
            flags: f(0),
            pidfd: f(1),
            child_tid: f(2),
            parent_tid: f(3),
            exit_signal: f(4),
            stack: f(5),
            stack_size: f(6),
            tls: f(7),
            set_tid: f(8),
            set_tid_size: f(9),
            cgroup: f(10),
        }
    }

    /// Decodes a full 88-byte structure.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Some(Self::decode(crate::wire::prefix::<{ Self::SIZE }>(bytes)?))
    }

    /// Decodes the `size` bytes `clone3(args, size)` was given, by the
    /// extensible-struct rules: below version 0 (64 bytes) is EINVAL, unknown
    /// trailing bytes must be zero (else E2BIG), missing fields are zero.
    pub fn from_user(bytes: &[u8]) -> Result<Self, i32> {
        let b = extensible::widen::<{ Self::SIZE }>(bytes, CLONE_ARGS_SIZE_VER0)?;
        Ok(Self::decode(&b))
    }

    /// The `clone3` equivalent of a legacy `clone(flags, newsp, parent_tid,
    /// child_tid, tls)` call. The legacy call passes a stack *top* with no
    /// size, so it becomes `stack = newsp, stack_size = 0`, which the kernel
    /// accepts for this path only.
    pub fn from_legacy(flags: u64, newsp: u64, parent_tid: u64, child_tid: u64, tls: u64) -> Self {
        Self {
            flags: flags & !CSIGNAL,
            // Legacy CLONE_PIDFD stores the fd through the parent_tid pointer.
            pidfd: if flags & CLONE_PIDFD != 0 { parent_tid } else { 0 },
            child_tid,
            parent_tid,
            exit_signal: flags & CSIGNAL,
            stack: newsp,
            stack_size: 0,
            tls,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errno::{E2BIG, EINVAL};
    use proptest::prelude::*;

    /// What glibc passes for pthread_create and for fork.
    #[test]
    fn typical_flag_sets() {
        let thread = CLONE_VM
            | CLONE_FS
            | CLONE_FILES
            | CLONE_SIGHAND
            | CLONE_THREAD
            | CLONE_SYSVSEM
            | CLONE_SETTLS
            | CLONE_PARENT_SETTID
            | CLONE_CHILD_CLEARTID;
        assert_eq!(thread, 0x003d_0f00);
        let fork = CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | 17;
        let a = CloneArgs::from_legacy(fork, 0, 0, 0x1000, 0);
        assert_eq!(a.exit_signal, 17);
        assert_eq!(a.flags, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID);
        assert_eq!(a.child_tid, 0x1000);
    }

    #[test]
    fn versions() {
        let a = CloneArgs { flags: CLONE_VM, stack: 0x1000, stack_size: 0x2000, ..Default::default() };
        let full = a.to_bytes();
        assert_eq!(CloneArgs::from_user(&full[..64]), Ok(a));
        assert_eq!(CloneArgs::from_user(&full[..80]), Ok(a));
        assert_eq!(CloneArgs::from_user(&full[..63]), Err(EINVAL));
        let mut bigger = [0u8; 128];
        bigger[..88].copy_from_slice(&full);
        assert_eq!(CloneArgs::from_user(&bigger), Ok(a));
        bigger[100] = 1;
        assert_eq!(CloneArgs::from_user(&bigger), Err(E2BIG));
    }

    proptest! {
        #[test]
        fn round_trip(v: [u64; 11]) {
            let a = CloneArgs {
                flags: v[0], pidfd: v[1], child_tid: v[2], parent_tid: v[3], exit_signal: v[4], stack: v[5],
                stack_size: v[6], tls: v[7], set_tid: v[8], set_tid_size: v[9], cgroup: v[10],
            };
            prop_assert_eq!(CloneArgs::from_bytes(&a.to_bytes()), Some(a));
            prop_assert_eq!(CloneArgs::from_user(&a.to_bytes()), Ok(a));
        }
    }
}
