//! Calls that name no capability: clock_ns, yield, sleep, random,
//! debug_write; and numbers that name no call (NoSuchCall).

use crate::addr;
use crate::check;
use crate::raw;
use alloc::vec;
use rt::abi::{Error, Syscall, MAX_IO};
use rt::sys;

pub fn run() {
    clock();
    sleep_and_yield();
    random();
    debug_write();
    no_such_call();
}

fn clock() {
    let first = sys::clock_ns();
    let mut prev = first;
    let mut backwards = None;
    for _ in 0..1000 {
        let now = sys::clock_ns();
        if now < prev {
            backwards = Some((prev, now));
        }
        prev = now;
    }
    check::that("misc.clock_nonzero", first > 0, format_args!("clock_ns returned 0"));
    check::that("misc.clock_monotonic", backwards.is_none(), format_args!("clock went backwards: {backwards:?}"));
    // The errors a bad call could return are in the top 4095 values.
    check::that(
        "misc.clock_not_an_error",
        check::decoded(first).is_ok(),
        format_args!("clock_ns {first:#x} decodes as an error"),
    );
}

fn sleep_and_yield() {
    // SAFETY: yield takes no arguments.
    let y = unsafe { raw(Syscall::Yield.nr(), 0, 0, 0, 0, 0, 0) };
    check::ok_eq("misc.yield_returns_0", y, 0);
    const NS: u64 = 20_000_000;
    let start = sys::clock_ns();
    // SAFETY: sleep takes no pointers.
    let r = unsafe { raw(Syscall::Sleep.nr(), NS, 0, 0, 0, 0, 0) };
    let slept = sys::clock_ns() - start;
    check::ok_eq("misc.sleep_returns_0", r, 0);
    check::that("misc.sleep_at_least_requested", slept >= NS, format_args!("asked {NS} ns, slept {slept} ns"));
    check::that("misc.clock_advances_over_sleep", sys::clock_ns() > start, format_args!("clock did not move"));
    let start = sys::clock_ns();
    sys::sleep(0);
    let slept = sys::clock_ns() - start;
    check::that("misc.sleep_zero_returns", slept < 1_000_000_000, format_args!("sleep(0) took {slept} ns"));
}

fn random() {
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    check::ok_eq("misc.random_fills_a", sys::random(&mut a), 32);
    check::ok_eq("misc.random_fills_b", sys::random(&mut b), 32);
    check::that(
        "misc.random_buffers_differ",
        a != b && a != [0; 32],
        format_args!("a {:02x?} b {:02x?}", &a[..8], &b[..8]),
    );
    check::ok_eq("misc.random_len_0", sys::random(&mut []), 0);
    let mut big = vec![0u8; 65536];
    check::ok_eq("misc.random_64k", sys::random(&mut big), 65536);
    let zeros = big.iter().filter(|&&x| x == 0).count();
    // 65536 random bytes hold about 256 zeros; a buffer left unwritten
    // would be all zeros.
    check::that("misc.random_64k_is_random", zeros < 2048, format_args!("{zeros} zero bytes of 65536"));
    let nr = Syscall::Random.nr();
    let mut small = [0u8; 16];
    // SAFETY: the kernel may write only into `small` (16 bytes, ours) when
    // len is small; the other buffers are unwritable (null, kernel,
    // read-only, unmapped), and the oversized request is refused before any
    // write.
    let (too_long, null, kernel, ro, unmapped) = unsafe {
        (
            raw(nr, small.as_mut_ptr() as u64, MAX_IO + 1, 0, 0, 0, 0),
            raw(nr, 0, 16, 0, 0, 0, 0),
            raw(nr, addr::KERNEL, 16, 0, 0, 0, 0),
            raw(nr, addr::READ_ONLY, 16, 0, 0, 0, 0),
            raw(nr, addr::UNMAPPED, 16, 0, 0, 0, 0),
        )
    };
    check::err("misc.random_too_long", too_long, Error::InvalidArgument);
    check::err("misc.random_null", null, Error::BadAddress);
    check::err("misc.random_kernel", kernel, Error::BadAddress);
    check::err("misc.random_read_only", ro, Error::BadAddress);
    check::err("misc.random_unmapped", unmapped, Error::BadAddress);
}

fn debug_write() {
    let text = b"vulcan: a line written with debug_write\n";
    check::ok_eq("misc.debug_write_returns_len", sys::debug_write(text), text.len());
    let nr = Syscall::DebugWrite.nr();
    // SAFETY: debug_write only reads; every pointer is either unreadable or
    // `text`, which is ours.
    let (null, kernel, unmapped, too_long, kimg) = unsafe {
        (
            raw(nr, 0, 16, 0, 0, 0, 0),
            raw(nr, addr::KERNEL, 16, 0, 0, 0, 0),
            raw(nr, addr::UNMAPPED, 16, 0, 0, 0, 0),
            raw(nr, text.as_ptr() as u64, MAX_IO + 1, 0, 0, 0, 0),
            raw(nr, addr::KERNEL_IMAGE, 16, 0, 0, 0, 0),
        )
    };
    check::err("misc.debug_write_null", null, Error::BadAddress);
    check::err("misc.debug_write_kernel", kernel, Error::BadAddress);
    check::err("misc.debug_write_unmapped", unmapped, Error::BadAddress);
    check::err("misc.debug_write_too_long", too_long, Error::InvalidArgument);
    check::err("misc.debug_write_kernel_image", kimg, Error::BadAddress);
}

fn no_such_call() {
    for (name, nr) in [
        ("misc.no_call_42", 42u64),
        ("misc.no_call_43", 43),
        ("misc.no_call_50", 50),
        ("misc.no_call_63", 63),
        ("misc.no_call_1000", 1000),
        ("misc.no_call_2pow32", 1 << 32),
        ("misc.no_call_max", u64::MAX),
    ] {
        // SAFETY: no call has this number; the kernel acts on nothing.
        let r = unsafe { raw(nr, 0, 0, 0, 0, 0, 0) };
        check::err(name, r, Error::NoSuchCall);
    }
}

/// The kernel still answers (after the fuzzer, at the end): the clock
/// moves, objects can be made and used.
pub fn still_alive(when: &str) {
    let mut name = NameBuf::new();
    name.set("misc.kernel_alive_", when);
    let t0 = sys::clock_ns();
    sys::yield_now();
    let alive = (|| -> Result<bool, Error> {
        let n = sys::notification_create()?;
        sys::notify_signal(n, 0x5)?;
        let bits = sys::notify_wait(n, 0)?;
        sys::cap_delete(n)?;
        let e = sys::endpoint_create()?;
        let polled = sys::ipc_recv(e, 0);
        sys::cap_delete(e)?;
        Ok(bits == 0x5 && polled == Err(Error::WouldBlock) && sys::clock_ns() >= t0)
    })();
    check::that(name.as_str(), alive == Ok(true), format_args!("kernel answers oddly: {alive:?}"));
}

/// A check name built from two parts, without the heap.
pub struct NameBuf {
    buf: [u8; 64],
    len: usize,
}

impl NameBuf {
    pub fn new() -> NameBuf {
        NameBuf { buf: [0; 64], len: 0 }
    }

    pub fn set(&mut self, a: &str, b: &str) {
        self.len = 0;
        for part in [a, b] {
            let n = part.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&part.as_bytes()[..n]);
            self.len += n;
        }
    }

    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("misc.bad_name")
    }
}
