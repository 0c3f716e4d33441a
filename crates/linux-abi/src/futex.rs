//! Futexes: operations, flags, the `FUTEX_WAKE_OP` encoding, the robust-list
//! head and `futex_waitv` (`linux/futex.h`).
//!
//! The `op` argument of `futex(2)` is a command in the low bits plus
//! [`FUTEX_PRIVATE_FLAG`] (the futex is not shared between address spaces,
//! which glibc and musl set for almost everything) and
//! [`FUTEX_CLOCK_REALTIME`] (absolute timeouts are on CLOCK_REALTIME instead
//! of CLOCK_MONOTONIC).

use crate::wire::{get_i64, get_u32, get_u64, prefix, put_i64, put_u32, put_u64};

pub const FUTEX_WAIT: u32 = 0;
pub const FUTEX_WAKE: u32 = 1;
/// Removed in 2.6.26; ENOSYS.
pub const FUTEX_FD: u32 = 2;
pub const FUTEX_REQUEUE: u32 = 3;
pub const FUTEX_CMP_REQUEUE: u32 = 4;
pub const FUTEX_WAKE_OP: u32 = 5;
pub const FUTEX_LOCK_PI: u32 = 6;
pub const FUTEX_UNLOCK_PI: u32 = 7;
pub const FUTEX_TRYLOCK_PI: u32 = 8;
/// Like `FUTEX_WAIT` with a bitmask; the timeout is absolute.
pub const FUTEX_WAIT_BITSET: u32 = 9;
pub const FUTEX_WAKE_BITSET: u32 = 10;
pub const FUTEX_WAIT_REQUEUE_PI: u32 = 11;
pub const FUTEX_CMP_REQUEUE_PI: u32 = 12;
pub const FUTEX_LOCK_PI2: u32 = 13;

pub const FUTEX_PRIVATE_FLAG: u32 = 128;
pub const FUTEX_CLOCK_REALTIME: u32 = 256;
/// Strips the two flags to leave the command.
pub const FUTEX_CMD_MASK: u32 = !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

pub const FUTEX_WAIT_PRIVATE: u32 = FUTEX_WAIT | FUTEX_PRIVATE_FLAG;
pub const FUTEX_WAKE_PRIVATE: u32 = FUTEX_WAKE | FUTEX_PRIVATE_FLAG;
pub const FUTEX_REQUEUE_PRIVATE: u32 = FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG;
pub const FUTEX_CMP_REQUEUE_PRIVATE: u32 = FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG;
pub const FUTEX_WAKE_OP_PRIVATE: u32 = FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG;
pub const FUTEX_LOCK_PI_PRIVATE: u32 = FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG;
pub const FUTEX_UNLOCK_PI_PRIVATE: u32 = FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG;
pub const FUTEX_TRYLOCK_PI_PRIVATE: u32 = FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG;
pub const FUTEX_WAIT_BITSET_PRIVATE: u32 = FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG;
pub const FUTEX_WAKE_BITSET_PRIVATE: u32 = FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG;

/// The bitset meaning "any waiter" (what plain WAIT/WAKE use).
pub const FUTEX_BITSET_MATCH_ANY: u32 = 0xffff_ffff;

// PI futex word bits.
/// Set by the kernel when waiters are queued on a PI futex.
pub const FUTEX_WAITERS: u32 = 0x8000_0000;
/// Set by the kernel when the owner died holding a robust futex.
pub const FUTEX_OWNER_DIED: u32 = 0x4000_0000;
/// The owner's TID.
pub const FUTEX_TID_MASK: u32 = 0x3fff_ffff;

/// Bound on robust-list entries the kernel walks at exit, so a corrupt or
/// circular list cannot hang it.
pub const ROBUST_LIST_LIMIT: usize = 2048;

// futex2 flags (futex_waitv, futex_wake, futex_wait).
pub const FUTEX2_SIZE_U8: u32 = 0x00;
pub const FUTEX2_SIZE_U16: u32 = 0x01;
pub const FUTEX2_SIZE_U32: u32 = 0x02;
pub const FUTEX2_SIZE_U64: u32 = 0x03;
pub const FUTEX2_NUMA: u32 = 0x04;
pub const FUTEX2_SIZE_MASK: u32 = 0x03;
pub const FUTEX2_PRIVATE: u32 = FUTEX_PRIVATE_FLAG;
/// The most entries one `futex_waitv` accepts.
pub const FUTEX_WAITV_MAX: usize = 128;

// FUTEX_WAKE_OP operations and comparisons.
pub const FUTEX_OP_SET: u32 = 0;
pub const FUTEX_OP_ADD: u32 = 1;
pub const FUTEX_OP_OR: u32 = 2;
pub const FUTEX_OP_ANDN: u32 = 3;
pub const FUTEX_OP_XOR: u32 = 4;
/// Or'ed into the op: use `1 << oparg` as the operand.
pub const FUTEX_OP_OPARG_SHIFT: u32 = 8;
pub const FUTEX_OP_CMP_EQ: u32 = 0;
pub const FUTEX_OP_CMP_NE: u32 = 1;
pub const FUTEX_OP_CMP_LT: u32 = 2;
pub const FUTEX_OP_CMP_LE: u32 = 3;
pub const FUTEX_OP_CMP_GT: u32 = 4;
pub const FUTEX_OP_CMP_GE: u32 = 5;

/// `FUTEX_OP(op, oparg, cmp, cmparg)`: packs a `FUTEX_WAKE_OP` operation
/// into the `val3` argument.
pub const fn futex_op(op: u32, oparg: u32, cmp: u32, cmparg: u32) -> u32 {
    ((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff)
}

/// A decoded `FUTEX_WAKE_OP` operation: atomically `*uaddr2 = old op oparg`,
/// then wake waiters on `uaddr2` too if `old cmp cmparg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WakeOp {
    pub op: u32,
    pub cmp: u32,
    /// Sign-extended from 12 bits, already shifted if `FUTEX_OP_OPARG_SHIFT`.
    pub oparg: i32,
    /// Sign-extended from 12 bits.
    pub cmparg: i32,
}

impl WakeOp {
    /// Decodes `val3` the way the kernel does. Returns `None` for an unknown
    /// operation or comparison (ENOSYS). (Linux performs a valid operation
    /// before it notices a bad comparison; refusing up front differs only
    /// for programs that pass garbage.)
    pub const fn decode(encoded: u32) -> Option<Self> {
        let op = (encoded >> 28) & 7;
        let cmp = (encoded >> 24) & 15;
        // Both arguments are signed 12-bit fields.
        let mut oparg = ((encoded << 8) as i32) >> 20;
        let cmparg = ((encoded << 20) as i32) >> 20;
        if encoded & (FUTEX_OP_OPARG_SHIFT << 28) != 0 {
            // The kernel masks a shift that is out of range rather than
            // failing (after a one-time warning).
            oparg = 1i32.wrapping_shl((oparg & 31) as u32);
        }
        if op > FUTEX_OP_XOR || cmp > FUTEX_OP_CMP_GE {
            return None;
        }
        Some(Self { op, cmp, oparg, cmparg })
    }

    /// The new value of the futex word.
    pub const fn apply(&self, old: u32) -> u32 {
        let a = self.oparg as u32;
        match self.op {
            FUTEX_OP_SET => a,
            FUTEX_OP_ADD => old.wrapping_add(a),
            FUTEX_OP_OR => old | a,
            FUTEX_OP_ANDN => old & !a,
            _ => old ^ a,
        }
    }

    /// Whether waiters on the second futex are woken, comparing the *old*
    /// value as a signed int.
    pub const fn compare(&self, old: u32) -> bool {
        let o = old as i32;
        match self.cmp {
            FUTEX_OP_CMP_EQ => o == self.cmparg,
            FUTEX_OP_CMP_NE => o != self.cmparg,
            FUTEX_OP_CMP_LT => o < self.cmparg,
            FUTEX_OP_CMP_LE => o <= self.cmparg,
            FUTEX_OP_CMP_GT => o > self.cmparg,
            _ => o >= self.cmparg,
        }
    }
}

/// `struct robust_list_head` registered by `set_robust_list` (24 bytes; the
/// call insists on `len == 24`).
///
/// ```text
/// 0 list.next u64 | 8 futex_offset i64 | 16 list_op_pending u64
/// ```
/// Each list entry is a user `struct robust_list { next }`; the futex word of
/// an entry is at `entry + futex_offset`. At thread exit the kernel walks the
/// list (at most [`ROBUST_LIST_LIMIT`] entries), sets `FUTEX_OWNER_DIED` on
/// every futex the thread still owns and wakes one waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RobustListHead {
    pub list_next: u64,
    pub futex_offset: i64,
    pub list_op_pending: u64,
}

impl RobustListHead {
    pub const SIZE: usize = 24;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.list_next);
        put_i64(&mut b, 8, self.futex_offset);
        put_u64(&mut b, 16, self.list_op_pending);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { list_next: get_u64(b, 0), futex_offset: get_i64(b, 8), list_op_pending: get_u64(b, 16) })
    }
}

/// One `struct futex_waitv` entry (24 bytes): `0 val u64 | 8 uaddr u64 |
/// 16 flags u32 | 20 reserved u32 (must be 0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FutexWaitv {
    pub val: u64,
    pub uaddr: u64,
    pub flags: u32,
}

impl FutexWaitv {
    pub const SIZE: usize = 24;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.val);
        put_u64(&mut b, 8, self.uaddr);
        put_u32(&mut b, 16, self.flags);
        b
    }

    /// `None` if truncated or if the reserved word is not zero (EINVAL).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        if get_u32(b, 20) != 0 {
            return None;
        }
        Some(Self { val: get_u64(b, 0), uaddr: get_u64(b, 8), flags: get_u32(b, 16) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn glibc_wake_op() {
        // glibc's condition-variable/lock wake op: set to 0, wake if old > 1.
        let v = futex_op(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1);
        assert_eq!(v, 0x0400_0001);
        let w = WakeOp::decode(v).unwrap();
        assert_eq!(w.apply(5), 0);
        assert!(w.compare(2));
        assert!(!w.compare(1));
    }

    #[test]
    fn sign_extension_and_shift() {
        let w = WakeOp::decode(futex_op(FUTEX_OP_ADD, 0xfff, FUTEX_OP_CMP_LT, 0x800)).unwrap();
        assert_eq!(w.oparg, -1);
        assert_eq!(w.cmparg, -2048);
        assert_eq!(w.apply(5), 4);
        let w = WakeOp::decode(futex_op(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0)).unwrap();
        assert_eq!(w.oparg, 16);
        assert_eq!(w.apply(1), 17);
        assert_eq!(WakeOp::decode(futex_op(5, 0, 0, 0)), None);
        assert_eq!(WakeOp::decode(futex_op(0, 0, 6, 0)), None);
    }

    #[test]
    fn command_mask() {
        assert_eq!(FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0x189);
        assert_eq!((FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME) & FUTEX_CMD_MASK, FUTEX_WAIT_BITSET);
    }

    proptest! {
        #[test]
        fn round_trips(a: u64, b: i64, c: u64, f: u32) {
            let h = RobustListHead { list_next: a, futex_offset: b, list_op_pending: c };
            prop_assert_eq!(RobustListHead::from_bytes(&h.to_bytes()), Some(h));
            let w = FutexWaitv { val: a, uaddr: c, flags: f };
            prop_assert_eq!(FutexWaitv::from_bytes(&w.to_bytes()), Some(w));
        }

        #[test]
        fn encode_decode(op in 0u32..5, cmp in 0u32..6, oparg in 0u32..0x800, cmparg in 0u32..0x800) {
            let w = WakeOp::decode(futex_op(op, oparg, cmp, cmparg)).unwrap();
            prop_assert_eq!(w, WakeOp { op, cmp, oparg: oparg as i32, cmparg: cmparg as i32 });
        }
    }
}
