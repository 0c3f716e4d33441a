//! Non-canonical mode: VMIN/VTIME reads and switching modes.

mod common;

use common::{ctrl, Term};
use tty::*;

fn raw(min: u8, time: u8) -> Term {
    Term::with(|t| {
        *t = t.make_raw();
        t.cc[VMIN] = min;
        t.cc[VTIME] = time;
    })
}

#[test]
fn vmin_1_vtime_0_returns_each_byte_as_it_comes() {
    let mut t = raw(1, 0);
    assert!(!t.ld.readable());
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timeout(), None);
    assert_eq!(t.type_bytes(b"a"), b"");
    assert!(t.ld.readable());
    assert_eq!(t.ld.available(), 1);
    assert_eq!(t.read(10), (ReadOutcome::Data(1), b"a".to_vec()));
    // Every byte is input: the canonical and signal keys too.
    t.type_bytes(&[0x7f, ctrl(b'C'), ctrl(b'D'), b'\r', ctrl(b'S')]);
    assert!(t.signals.is_empty());
    assert!(!t.ld.output_stopped());
    assert_eq!(t.read_data(), b"\x7f\x03\x04\r\x13");
}

#[test]
fn vmin_and_vtime_both_set_wait_for_the_first_byte_then_time_gaps() {
    let mut t = raw(3, 5);
    // No timer before the first byte.
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timeout(), None);
    assert!(!t.ld.readable());
    t.type_bytes(b"a");
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timeout(), Some(5));
    // poll reports it: a read now finishes within VTIME.
    assert!(t.ld.readable());
    t.type_bytes(b"b");
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timeout(), Some(5));
    // The inter-byte timer fired: what is there is returned.
    let mut buf = [0; 10];
    assert_eq!(t.ld.read_timed_out(&mut buf), ReadOutcome::Data(2));
    assert_eq!(&buf[..2], b"ab");
    // MIN bytes satisfy the read at once.
    t.type_bytes(b"cdef");
    assert_eq!(t.read(10), (ReadOutcome::Data(4), b"cdef".to_vec()));
}

#[test]
fn vmin_only_waits_for_that_many_bytes() {
    let mut t = raw(3, 0);
    t.type_bytes(b"ab");
    assert!(!t.ld.readable());
    assert_eq!(t.ld.available(), 2);
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timeout(), None);
    t.type_bytes(b"c");
    assert!(t.ld.readable());
    assert_eq!(t.read(10), (ReadOutcome::Data(3), b"abc".to_vec()));
}

#[test]
fn vmin_is_capped_by_the_buffer_size() {
    let mut t = raw(5, 0);
    t.type_bytes(b"abc");
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.read(2), (ReadOutcome::Data(2), b"ab".to_vec()));
    // More than MIN queued: a big buffer gets all of it.
    t.type_bytes(b"defghij");
    assert_eq!(t.read(100), (ReadOutcome::Data(8), b"cdefghij".to_vec()));
}

#[test]
fn vtime_only_is_a_read_timer() {
    let mut t = raw(0, 7);
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timeout(), Some(7));
    assert!(!t.ld.readable());
    let mut buf = [0; 10];
    assert_eq!(t.ld.read_timed_out(&mut buf), ReadOutcome::Data(0));
    t.type_bytes(b"x");
    assert!(t.ld.readable());
    assert_eq!(t.read(10), (ReadOutcome::Data(1), b"x".to_vec()));
}

#[test]
fn neither_set_never_waits() {
    let mut t = raw(0, 0);
    assert_eq!(t.read(10), (ReadOutcome::Data(0), vec![]));
    assert_eq!(t.ld.read_timeout(), None);
    assert!(!t.ld.readable());
    t.type_bytes(b"xy");
    assert!(t.ld.readable());
    assert_eq!(t.read(1), (ReadOutcome::Data(1), b"x".to_vec()));
    assert_eq!(t.read(10), (ReadOutcome::Data(1), b"y".to_vec()));
}

#[test]
fn nonblocking_reads_take_whatever_is_there() {
    let mut buf = [0; 10];
    let mut t = raw(4, 0);
    assert_eq!(t.ld.read_nonblocking(&mut buf), ReadOutcome::WouldBlock);
    t.type_bytes(b"ab");
    assert_eq!(t.ld.read_nonblocking(&mut buf), ReadOutcome::Data(2));
    let mut t = raw(0, 0);
    assert_eq!(t.ld.read_nonblocking(&mut buf), ReadOutcome::Data(0));
}

#[test]
fn canonical_to_raw_makes_the_partial_line_readable() {
    let mut t = Term::cooked();
    t.type_bytes(b"abc");
    assert!(!t.ld.readable());
    t.set(|t| t.lflag &= !ICANON);
    assert!(t.ld.readable());
    assert_eq!(t.ld.available(), 3);
    assert_eq!(t.read_data(), b"abc");
}

#[test]
fn canonical_to_raw_keeps_lines_and_drops_end_of_file_marks() {
    let mut t = Term::cooked();
    t.type_bytes(b"ab\r\x04cd");
    t.set(|t| t.lflag &= !ICANON);
    assert_eq!(t.ld.available(), 5);
    assert_eq!(t.read_data(), b"ab\ncd");
}

#[test]
fn raw_to_canonical_makes_pending_input_one_line() {
    let mut t = raw(1, 0);
    t.type_bytes(b"xyz");
    t.set(|t| *t = Termios::default_console());
    assert!(t.ld.readable());
    assert_eq!(t.ld.available(), 3);
    assert_eq!(t.read_data(), b"xyz");
    assert_eq!(t.read(10).0, ReadOutcome::WouldBlock);
    // The pushed line cannot be erased into.
    t.type_bytes(b"q");
    t.set(|t| t.lflag &= !ICANON);
    t.set(|t| t.lflag |= ICANON);
    assert_eq!(t.type_bytes(&[0x7f]), b"");
    assert_eq!(t.read_data(), b"q");
}

#[test]
fn raw_to_canonical_with_nothing_pending_starts_clean() {
    let mut t = raw(1, 0);
    t.set(|t| *t = Termios::default_console());
    assert!(!t.ld.readable());
    t.type_bytes(b"a\r");
    assert_eq!(t.read_data(), b"a\n");
}

#[test]
fn noncanonical_with_echo_and_signals() {
    // What a shell's line editor does: ICANON and ECHO off, ISIG on.
    let mut t = Term::with(|t| t.lflag &= !(ICANON | ECHO));
    assert_eq!(t.type_bytes(b"ab\x03"), b"");
    assert_eq!(t.signals, [Signal::Interrupt]);
    assert_eq!(t.ld.available(), 0);
    // ICRNL still maps Enter.
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\n");
    // With ECHO, a mapped Enter echoes as a newline, a literal LF as ^J.
    let mut t = Term::with(|t| t.lflag &= !ICANON);
    assert_eq!(t.type_bytes(b"a\r\n\x01"), b"a\r\n^J^A");
    assert_eq!(t.read_data(), b"a\n\n\x01");
}

#[test]
fn raw_queue_drops_bytes_when_full() {
    let mut t = raw(1, 0);
    t.type_bytes(&vec![b'x'; CAPACITY + 5]);
    assert_eq!(t.ld.available(), CAPACITY);
    assert_eq!(t.read_data().len(), CAPACITY);
    let mut t = Term::with(|t| {
        *t = t.make_raw();
        t.iflag |= IMAXBEL;
    });
    t.type_bytes(&vec![b'x'; CAPACITY]);
    assert_eq!(t.type_bytes(b"y"), b"\x07");
}

#[test]
fn zero_length_reads() {
    let mut t = raw(1, 0);
    t.type_bytes(b"a");
    assert_eq!(t.read(0).0, ReadOutcome::Data(0));
    assert_eq!(t.ld.available(), 1);
}

#[test]
fn a_full_raw_queue_holds_input_back_until_read() {
    let mut t = raw(1, 0);
    t.type_bytes(&vec![b'x'; tty::CAPACITY - 1]);
    assert!(!t.ld.input_full());
    t.type_bytes(b"y");
    assert!(t.ld.input_full());
    assert_eq!(t.read(10).1.len(), 10);
    assert!(!t.ld.input_full());
}
