//! The kernel console: every byte the kernel prints goes through here.
//!
//! Output is serialised by a lock so lines from different CPUs do not mix.
//! A panic or fatal exception may arrive while the lock is held (by the very
//! code that failed), so those paths use `write_unlocked` and accept that
//! their output might interleave rather than risk a deadlock.

use crate::arch;
use crate::sync::SpinLock;
use core::fmt;

static LOCK: SpinLock<()> = SpinLock::ranked(crate::sync::Rank::Console, ());

struct Raw;

impl fmt::Write for Raw {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            if b == b'\n' {
                arch::serial::write_byte(b'\r');
            }
            arch::serial::write_byte(b);
        }
        Ok(())
    }
}

pub fn write_fmt(args: fmt::Arguments<'_>) {
    let _guard = LOCK.lock();
    let _ = fmt::Write::write_fmt(&mut Raw, args);
}

/// For panic and fatal-fault paths only: writes without taking the lock.
pub fn write_unlocked(args: fmt::Arguments<'_>) {
    let _ = fmt::Write::write_fmt(&mut Raw, args);
}

#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::write_fmt(format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => { $crate::console::write_fmt(format_args!("{}\n", format_args!($($arg)*))) };
}
