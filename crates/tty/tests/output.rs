//! Output processing for write(2) and the column it tracks.

mod common;

use common::Term;
use tty::*;

fn with_oflag(oflag: u32) -> Term {
    Term::with(|t| t.oflag = oflag)
}

#[test]
fn onlcr_sends_newline_as_crlf() {
    let mut t = Term::cooked();
    assert_eq!(t.write(b"a\nb\n"), b"a\r\nb\r\n");
    assert_eq!(t.ld.column(), 0);
    assert_eq!(t.write(b"xyz"), b"xyz");
    assert_eq!(t.ld.column(), 3);
}

#[test]
fn without_opost_bytes_pass_untouched() {
    let mut t = with_oflag(ONLCR | OLCUC);
    assert_eq!(t.write(b"a\nb\t\r"), b"a\nb\t\r");
    assert_eq!(t.ld.column(), 0);
    assert_eq!(t.write(b""), b"");
}

#[test]
fn ocrnl_onocr_onlret() {
    let mut t = with_oflag(OPOST | OCRNL);
    assert_eq!(t.write(b"a\rb"), b"a\nb");
    let mut t = with_oflag(OPOST | ONOCR);
    assert_eq!(t.write(b"\rab\r\r"), b"ab\r");
    assert_eq!(t.ld.column(), 0);
    let mut t = with_oflag(OPOST | ONLRET);
    assert_eq!(t.write(b"ab\n"), b"ab\n");
    assert_eq!(t.ld.column(), 0);
    let mut t = with_oflag(OPOST);
    assert_eq!(t.write(b"ab\n"), b"ab\n");
    assert_eq!(t.ld.column(), 2);
}

#[test]
fn olcuc_upper_cases_ascii() {
    let mut t = with_oflag(OPOST | OLCUC);
    assert_eq!(t.write("abc é".as_bytes()), "ABC é".as_bytes());
}

#[test]
fn tabs_advance_to_the_next_stop_or_expand_under_xtabs() {
    let mut t = with_oflag(OPOST);
    assert_eq!(t.write(b"ab\t"), b"ab\t");
    assert_eq!(t.ld.column(), 8);
    let mut t = with_oflag(OPOST | XTABS);
    assert_eq!(t.write(b"ab\tc"), b"ab      c");
    assert_eq!(t.ld.column(), 9);
}

#[test]
fn backspace_control_and_utf8_columns() {
    let mut t = Term::with(|t| t.iflag |= IUTF8);
    t.write(b"abc\x08");
    assert_eq!(t.ld.column(), 2);
    t.write(b"\x1b\x07");
    assert_eq!(t.ld.column(), 2);
    t.write("€".as_bytes());
    assert_eq!(t.ld.column(), 3);
    t.write(b"\x08\x08\x08\x08\x08");
    assert_eq!(t.ld.column(), 0);
}

#[test]
fn echo_and_output_share_the_column() {
    let mut t = Term::cooked();
    t.write(b"prompt> ");
    t.type_bytes(b"ls");
    assert_eq!(t.ld.column(), 10);
    t.type_bytes(b"\r");
    assert_eq!(t.ld.column(), 0);
}

#[test]
fn large_writes_arrive_intact() {
    let mut t = Term::cooked();
    let data: Vec<u8> = (0..10_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    assert_eq!(t.write(&data), data);
}
