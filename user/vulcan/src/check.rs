//! Counting and printing check results in the format the host parses
//! (`xtask/src/native_tests.rs`):
//!
//! ```text
//! VULCAN ok <group>.<name>
//! VULCAN FAIL <group>.<name>: <what was expected and what came back>
//! VULCAN-SUMMARY passed=<n> failed=<m>
//! ```
//!
//! Every line is formatted into a fixed buffer and written with one
//! `println!` (one `debug_write`), so lines from other tasks cannot split
//! it, and is cut to stay under 200 bytes. Nothing here allocates: the
//! memory-limit checks run with the task's budget exhausted, when the heap
//! could not grow.

use core::fmt::{self, Write};
use core::sync::atomic::{AtomicU32, Ordering};
use rt::abi::{decode_result, Error};
use rt::println;

static PASSED: AtomicU32 = AtomicU32::new(0);
static FAILED: AtomicU32 = AtomicU32::new(0);

/// Longest line we print: the host wants lines under 200 bytes, and the
/// kernel adds "[vulcan] " in front.
const LINE_MAX: usize = 180;

/// A line being formatted; output past `LINE_MAX` is dropped (at a
/// character boundary, so the line stays UTF-8).
struct Line {
    buf: [u8; LINE_MAX],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line { buf: [0; LINE_MAX], len: 0 }
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("<line not UTF-8>")
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            // Newlines would split the line the host parses.
            let c = if c == '\n' || c == '\r' { ' ' } else { c };
            let mut b = [0u8; 4];
            let enc = c.encode_utf8(&mut b).as_bytes();
            if self.len + enc.len() > LINE_MAX {
                return Ok(());
            }
            self.buf[self.len..self.len + enc.len()].copy_from_slice(enc);
            self.len += enc.len();
        }
        Ok(())
    }
}

/// Records a passed check.
pub fn pass(name: &str) {
    PASSED.fetch_add(1, Ordering::Relaxed);
    let mut l = Line::new();
    let _ = write!(l, "VULCAN ok {name}");
    println!("{}", l.as_str());
}

/// Records a failed check with what was expected and what came back;
/// false (so it matches the other helpers' "passed" result).
pub fn fail(name: &str, why: fmt::Arguments<'_>) -> bool {
    FAILED.fetch_add(1, Ordering::Relaxed);
    let mut l = Line::new();
    let _ = write!(l, "VULCAN FAIL {name}: {why}");
    println!("{}", l.as_str());
    false
}

/// Passes iff `cond`; `why` describes the failure.
pub fn that(name: &str, cond: bool, why: fmt::Arguments<'_>) -> bool {
    if cond {
        pass(name);
        true
    } else {
        fail(name, why)
    }
}

/// Passes iff `got == want`.
pub fn eq<T: PartialEq + fmt::Debug>(name: &str, got: T, want: T) -> bool {
    let good = got == want;
    if good {
        pass(name);
        true
    } else {
        fail(name, format_args!("expected {want:?}, got {got:?}"))
    }
}

/// Passes iff the call failed with exactly `want`.
pub fn err<T: fmt::Debug>(name: &str, got: Result<T, Error>, want: Error) -> bool {
    match got {
        Err(e) if e == want => {
            pass(name);
            true
        }
        other => fail(name, format_args!("expected Err({want:?}), got {other:?}")),
    }
}

/// Passes iff the call succeeded; returns its value.
pub fn ok<T: fmt::Debug>(name: &str, got: Result<T, Error>) -> Option<T> {
    match got {
        Ok(v) => {
            pass(name);
            Some(v)
        }
        Err(e) => {
            fail(name, format_args!("expected success, got Err({e:?})"));
            None
        }
    }
}

/// Passes iff the call succeeded with exactly `want`.
pub fn ok_eq<T: PartialEq + fmt::Debug>(name: &str, got: Result<T, Error>, want: T) -> bool {
    match got {
        Ok(v) if v == want => {
            pass(name);
            true
        }
        other => fail(name, format_args!("expected Ok({want:?}), got {other:?}")),
    }
}

/// `rax` of a raw call, decoded.
pub fn decoded(rax: u64) -> Result<u64, Error> {
    decode_result(rax)
}

/// Prints the summary; the task's exit code (0 iff nothing failed).
pub fn summary() -> i32 {
    let (p, f) = (PASSED.load(Ordering::Relaxed), FAILED.load(Ordering::Relaxed));
    println!("VULCAN-SUMMARY passed={p} failed={f}");
    if f == 0 {
        0
    } else {
        1
    }
}

/// A short informational line (not a check; the host ignores it).
pub fn note(args: fmt::Arguments<'_>) {
    let mut l = Line::new();
    let _ = write!(l, "vulcan: {args}");
    println!("{}", l.as_str());
}
