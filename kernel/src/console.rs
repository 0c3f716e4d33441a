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

/// A terminal's output (the console tty's line discipline has already
/// done any translation), under the same lock as the kernel's lines, so
/// that a program's output and a log line from another CPU do not mix
/// byte by byte: the tty hands over at most a few hundred bytes at a time.
pub fn write_bytes(bytes: &[u8]) {
    let _guard = LOCK.lock();
    for &b in bytes {
        arch::serial::write_byte(b);
    }
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
