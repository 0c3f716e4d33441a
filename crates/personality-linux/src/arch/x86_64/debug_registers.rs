//! The x86 debug registers in `struct user` (`u_debugreg[8]`), as
//! PTRACE_PEEKUSER and PTRACE_POKEUSER see them on Linux: DR0-DR3 hold
//! user addresses, DR4/DR5 do not exist, DR6 reads back the conditions of
//! the last debug trap, DR7 is checked slot by slot (type and length) as
//! Linux checks a ptrace hardware breakpoint before it accepts it.

use kernel_ops::{DebugRegisters, Error, KResult};

/// DR6's reserved bits read as one; Linux keeps the conditions the other
/// way round and flips them on every read and write.
const DR6_RESERVED: u64 = 0xffff_0ff0;

/// Linux's TASK_SIZE_MAX: no breakpoint byte may lie at or above it.
const TASK_SIZE_MAX: u64 = (1 << 47) - 4096;

/// DR7's type field of a slot: break on execution, write, I/O, read or write.
const TYPE_EXECUTE: u64 = 0;
const TYPE_IO: u64 = 2;

/// The value of `u_debugreg[n]`.
pub fn peek(d: &DebugRegisters, n: usize) -> u64 {
    match n {
        0..=3 => d.address[n],
        6 => d.status ^ DR6_RESERVED,
        7 => d.control,
        _ => 0, // DR4 and DR5 read as zero
    }
}

/// `u_debugreg[n] = value`, checked as Linux does: EIO for DR4/DR5, EINVAL
/// for an address or a slot the hardware could not watch in user space.
pub fn poke(d: &DebugRegisters, n: usize, value: u64) -> KResult<DebugRegisters> {
    let mut new = *d;
    match n {
        0..=3 => {
            new.address[n] = value;
            check_slot(&new, n)?;
        }
        6 => new.status = value ^ DR6_RESERVED,
        7 => {
            new.control = value;
            for slot in 0..4 {
                check_slot(&new, slot)?;
            }
        }
        _ => return Err(Error::Io),
    }
    Ok(new)
}

/// Whether slot `n` of DR7 enables a breakpoint (local or global).
pub fn enabled(control: u64, n: usize) -> bool {
    control >> (2 * n) & 3 != 0
}

/// The bytes slot `n` covers: DR7's length field 0, 1, 3, 2 is 1, 2, 4, 8.
fn length(control: u64, n: usize) -> u64 {
    match control >> (18 + 4 * n) & 3 {
        0 => 1,
        1 => 2,
        2 => 8,
        _ => 4,
    }
}

fn check_slot(d: &DebugRegisters, n: usize) -> KResult<()> {
    let address = d.address[n];
    if !enabled(d.control, n) {
        // A disabled slot still holds only a user address.
        return if address < TASK_SIZE_MAX { Ok(()) } else { Err(Error::InvalidArgument) };
    }
    let len = length(d.control, n);
    match d.control >> (16 + 4 * n) & 3 {
        TYPE_IO => return Err(Error::InvalidArgument),
        // An instruction breakpoint is one byte long.
        TYPE_EXECUTE if len != 1 => return Err(Error::InvalidArgument),
        TYPE_EXECUTE => {}
        _ if !address.is_multiple_of(len) => return Err(Error::InvalidArgument),
        _ => {}
    }
    match address.checked_add(len - 1) {
        Some(last) if last < TASK_SIZE_MAX => Ok(()),
        _ => Err(Error::InvalidArgument),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KERNEL: u64 = 0xffff_8000_0000_0000;

    /// What a fresh tracee shows, and what LTP's ptrace08 and ptrace10 ask.
    #[test]
    fn linux_answers() {
        let d = DebugRegisters::default();
        assert_eq!(peek(&d, 6), 0xffff_0ff0);
        assert_eq!((peek(&d, 4), peek(&d, 7)), (0, 0));
        assert_eq!(poke(&d, 4, 0), Err(Error::Io));
        assert_eq!(poke(&d, 5, 1), Err(Error::Io));
        let d = poke(&d, 0, 1).unwrap();
        let d = poke(&d, 7, 1).unwrap();
        assert_eq!(poke(&d, 0, KERNEL), Err(Error::InvalidArgument));
        assert_eq!(poke(&d, 0, u64::MAX), Err(Error::InvalidArgument));
        assert_eq!(peek(&poke(&d, 0, 2).unwrap(), 0), 2);
        // DR6 reads back what was written.
        assert_eq!(peek(&poke(&d, 6, 0).unwrap(), 6), 0);
        assert_eq!(peek(&DebugRegisters { status: 1 << 14, ..d }, 6), 0xffff_4ff0);
    }

    #[test]
    fn slot_types_and_lengths() {
        let d = poke(&DebugRegisters::default(), 1, 3).unwrap();
        let slot1 = |kind: u64, len: u64| (kind << 20) | (len << 22) | 4;
        assert_eq!(poke(&d, 7, slot1(3, 3)), Err(Error::InvalidArgument), "4 bytes at an odd address");
        assert_eq!(poke(&d, 7, slot1(2, 0)), Err(Error::InvalidArgument), "I/O breakpoints");
        assert_eq!(poke(&d, 7, slot1(0, 3)), Err(Error::InvalidArgument), "a 4-byte instruction breakpoint");
        assert_eq!(poke(&d, 7, slot1(0, 0)).map(|d| d.control), Ok(4));
        assert_eq!(poke(&d, 7, slot1(1, 0)).map(|d| d.control), Ok(0x10_0004));
        // Bits outside the slots are kept as written.
        assert_eq!(poke(&d, 7, 0x2300).map(|d| d.control), Ok(0x2300));
        assert_eq!(poke(&d, 0, TASK_SIZE_MAX - 1).map(|d| d.address[0]), Ok(TASK_SIZE_MAX - 1));
        assert_eq!(poke(&d, 0, TASK_SIZE_MAX), Err(Error::InvalidArgument));
    }

    proptest! {
        /// Whatever a tracer writes, in any order, an accepted set of
        /// registers never enables a breakpoint touching kernel space and
        /// never holds a kernel address (the core may arm what it keeps).
        #[test]
        fn accepted_registers_stay_in_user_space(writes in proptest::collection::vec((0usize..8, any::<u64>(), any::<bool>()), 0..40)) {
            let mut d = DebugRegisters::default();
            for (n, value, small) in writes {
                let value = if small { value % (TASK_SIZE_MAX + 64) } else { value };
                if let Ok(new) = poke(&d, n, value) {
                    d = new;
                }
                for slot in 0..4 {
                    prop_assert!(d.address[slot] < TASK_SIZE_MAX);
                    if enabled(d.control, slot) {
                        prop_assert!(d.address[slot] + length(d.control, slot) <= TASK_SIZE_MAX);
                        prop_assert_ne!(d.control >> (16 + 4 * slot) & 3, TYPE_IO);
                    }
                }
            }
        }
    }
}
