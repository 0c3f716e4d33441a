//! `print!` and `println!` over `debug_write`.
//!
//! The kernel prefixes every `debug_write` with the task's name, so one
//! `print!` is formatted into a buffer on the stack and written with as few
//! calls as possible (one, unless the output exceeds the buffer). Nothing
//! here allocates, so the panic handler can use it too.

use core::fmt::{self, Write};

const BUFFER: usize = 512;

struct DebugOut {
    buf: [u8; BUFFER],
    len: usize,
}

impl DebugOut {
    fn flush(&mut self) {
        let mut rest = &self.buf[..self.len];
        while !rest.is_empty() {
            match crate::sys::debug_write(rest) {
                Ok(n) if n > 0 && n <= rest.len() => rest = &rest[n..],
                // Nowhere else to report a failing console: drop the output.
                _ => break,
            }
        }
        self.len = 0;
    }
}

impl Write for DebugOut {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &byte in s.as_bytes() {
            if self.len == BUFFER {
                self.flush();
            }
            self.buf[self.len] = byte;
            self.len += 1;
        }
        Ok(())
    }
}

/// Formats `args` (and a newline if `newline`) and writes it to the kernel log.
pub fn print(args: fmt::Arguments<'_>, newline: bool) {
    let mut out = DebugOut { buf: [0; BUFFER], len: 0 };
    let _ = out.write_fmt(args);
    if newline {
        let _ = out.write_str("\n");
    }
    out.flush();
}

/// Prints to the kernel log.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::print::print(::core::format_args!($($arg)*), false)
    };
}

/// Prints to the kernel log, with a newline.
#[macro_export]
macro_rules! println {
    () => {
        $crate::print::print(::core::format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::print::print(::core::format_args!($($arg)*), true)
    };
}
