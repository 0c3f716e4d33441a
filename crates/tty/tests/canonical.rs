//! Canonical mode: line editing and its echo, byte for byte as Linux.

mod common;

use common::{ctrl, Term, DEL};
use tty::*;

const RUBOUT: &[u8] = b"\x08 \x08";

fn rubouts(n: usize) -> Vec<u8> {
    RUBOUT.repeat(n)
}

#[test]
fn typing_and_erasing_a_character() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(b"ab\x7fc\r"), b"ab\x08 \x08c\r\n");
    assert_eq!(t.read_data(), b"ac\n");
    assert_eq!(t.read(100).0, ReadOutcome::WouldBlock);
}

#[test]
fn nothing_is_readable_until_the_line_ends() {
    let mut t = Term::cooked();
    t.type_bytes(b"hello");
    assert!(!t.ld.readable());
    assert_eq!(t.ld.available(), 0);
    assert_eq!(t.read(100).0, ReadOutcome::WouldBlock);
    t.type_bytes(b"\r");
    assert!(t.ld.readable());
    assert_eq!(t.ld.available(), 6);
    assert_eq!(t.read_data(), b"hello\n");
    assert!(!t.ld.readable());
}

#[test]
fn erase_on_an_empty_line_does_nothing() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(&[DEL, DEL]), b"");
    t.type_bytes(b"x\r");
    assert_eq!(t.read_data(), b"x\n");
}

#[test]
fn erase_stops_at_the_start_of_the_line() {
    let mut t = Term::cooked();
    t.type_bytes(b"ab\r");
    assert_eq!(t.type_bytes(&[DEL, DEL]), b"");
    assert_eq!(t.read_data(), b"ab\n");
}

#[test]
fn erase_without_echoe_echoes_the_erase_character() {
    let mut t = Term::with(|t| t.lflag &= !ECHOE);
    assert_eq!(t.type_bytes(&[b'a', DEL]), b"a^?");
    let mut t = Term::with(|t| t.lflag &= !(ECHOE | ECHOCTL));
    assert_eq!(t.type_bytes(&[b'a', DEL]), b"a\x7f");
}

#[test]
fn erasing_a_control_character_takes_two_columns() {
    let mut t = Term::cooked();
    // ^V ^A puts a literal ^A in the line, shown as "^A".
    assert_eq!(t.type_bytes(&[ctrl(b'V'), ctrl(b'A')]), b"^\x08^A");
    assert_eq!(t.ld.column(), 2);
    assert_eq!(t.type_bytes(&[DEL]), rubouts(2));
    assert_eq!(t.ld.column(), 0);
    // Without ECHOCTL the character was echoed as itself and takes no room.
    let mut t = Term::with(|t| t.lflag &= !ECHOCTL);
    assert_eq!(t.type_bytes(&[ctrl(b'V'), ctrl(b'A')]), b"\x01");
    assert_eq!(t.type_bytes(&[DEL]), b"");
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\n");
}

#[test]
fn word_erase() {
    let mut t = Term::cooked();
    t.type_bytes(b"foo bar  ");
    assert_eq!(t.type_bytes(&[ctrl(b'W')]), rubouts(5));
    assert_eq!(t.type_bytes(&[ctrl(b'W')]), rubouts(4));
    assert_eq!(t.type_bytes(&[ctrl(b'W')]), b"");
    t.type_bytes(b"snake_case-x.y_z");
    assert_eq!(t.type_bytes(&[ctrl(b'W')]), rubouts(3));
    assert_eq!(t.type_bytes(&[ctrl(b'W')]), rubouts(2));
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"snake_case-\n");
}

#[test]
fn word_erase_needs_iexten() {
    let mut t = Term::with(|t| t.lflag &= !IEXTEN);
    assert_eq!(t.type_bytes(&[b'a', ctrl(b'W'), b'\r']), b"a^W\r\n");
    assert_eq!(t.read_data(), b"a\x17\n");
}

#[test]
fn kill_with_echoke_wipes_the_line() {
    let mut t = Term::cooked();
    t.type_bytes(b"abc");
    assert_eq!(t.type_bytes(&[ctrl(b'U')]), rubouts(3));
    assert_eq!(t.type_bytes(&[ctrl(b'U')]), b"");
    t.type_bytes(b"d\r");
    assert_eq!(t.read_data(), b"d\n");
}

#[test]
fn kill_with_echok_only_prints_the_key_and_a_newline() {
    let mut t = Term::with(|t| t.lflag &= !ECHOKE);
    assert_eq!(t.type_bytes(b"abc\x15"), b"abc^U\r\n");
    let mut t = Term::with(|t| t.lflag &= !(ECHOKE | ECHOK));
    assert_eq!(t.type_bytes(b"abc\x15"), b"abc^U");
    t.type_bytes(b"x\r");
    assert_eq!(t.read_data(), b"x\n");
}

#[test]
fn kill_without_echo_is_silent() {
    let mut t = Term::with(|t| t.lflag &= !ECHO);
    assert_eq!(t.type_bytes(b"abc\x15x\r"), b"");
    assert_eq!(t.read_data(), b"x\n");
}

#[test]
fn eof_at_line_start_is_end_of_file_once() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(&[ctrl(b'D')]), b"");
    assert!(t.ld.readable());
    assert_eq!(t.ld.available(), 0);
    assert_eq!(t.read(100).0, ReadOutcome::EndOfFile);
    assert_eq!(t.read(100).0, ReadOutcome::WouldBlock);
    assert!(!t.ld.readable());
}

#[test]
fn eof_mid_line_pushes_the_partial_line() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(&[b'a', b'b', ctrl(b'D')]), b"ab");
    assert_eq!(t.ld.available(), 2);
    assert_eq!(t.read_data(), b"ab");
    // The ^D only pushed; it is not also an end-of-file.
    assert_eq!(t.read(100).0, ReadOutcome::WouldBlock);
}

#[test]
fn eof_after_a_line_is_separate() {
    let mut t = Term::cooked();
    t.type_bytes(b"abc\r\x04");
    assert_eq!(t.ld.available(), 4);
    assert_eq!(t.read_data(), b"abc\n");
    assert_eq!(t.read(100).0, ReadOutcome::EndOfFile);
}

#[test]
fn pushed_line_read_in_pieces_gives_no_end_of_file() {
    let mut t = Term::cooked();
    t.type_bytes(b"abc\x04");
    assert_eq!(t.read(2), (ReadOutcome::Data(2), b"ab".to_vec()));
    assert_eq!(t.read(2), (ReadOutcome::Data(1), b"c".to_vec()));
    assert_eq!(t.read(2).0, ReadOutcome::WouldBlock);
    // Exactly the line's length: the same.
    t.type_bytes(b"xy\x04");
    assert_eq!(t.read(2), (ReadOutcome::Data(2), b"xy".to_vec()));
    assert_eq!(t.read(2).0, ReadOutcome::WouldBlock);
}

#[test]
fn one_line_per_read_and_long_lines_in_pieces() {
    let mut t = Term::cooked();
    t.type_bytes(b"one\rtwo\rhello\r");
    assert_eq!(t.ld.available(), 14);
    assert_eq!(t.read_data(), b"one\n");
    assert_eq!(t.read_data(), b"two\n");
    assert_eq!(t.read(3).1, b"hel");
    assert_eq!(t.ld.available(), 3);
    assert_eq!(t.read(3).1, b"lo\n");
    assert_eq!(t.read(0).0, ReadOutcome::Data(0));
}

#[test]
fn eol_and_eol2_end_lines() {
    let mut t = Term::with(|t| {
        t.cc[VEOL] = b';';
        t.cc[VEOL2] = ctrl(b'B');
    });
    assert_eq!(t.type_bytes(b"ab;"), b"ab;");
    assert_eq!(t.read_data(), b"ab;");
    assert_eq!(t.type_bytes(&[b'c', ctrl(b'B')]), b"c^B");
    assert_eq!(t.read_data(), b"c\x02");
    // EOL2 is an extension.
    t.set(|t| t.lflag &= !IEXTEN);
    t.type_bytes(&[b'd', ctrl(b'B')]);
    assert!(!t.ld.readable());
}

#[test]
fn nul_is_not_a_line_end_though_veol_is_zero() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(b"a\0"), b"a^@");
    assert!(!t.ld.readable());
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"a\0\n");
}

#[test]
fn literal_next() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(&[ctrl(b'V'), ctrl(b'C')]), b"^\x08^C");
    assert!(t.signals.is_empty());
    assert_eq!(t.type_bytes(&[ctrl(b'V'), DEL, ctrl(b'V'), b'\r', ctrl(b'V'), ctrl(b'D')]), b"^\x08^?^\x08^M^\x08^D");
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\x03\x7f\r\x04\n");
    // Without IEXTEN ^V is just a control character.
    let mut t = Term::with(|t| t.lflag &= !IEXTEN);
    assert_eq!(t.type_bytes(&[ctrl(b'V'), ctrl(b'C')]), b"^V^C");
    assert_eq!(t.signals, [Signal::Interrupt]);
}

#[test]
fn literal_next_without_echoctl_echoes_nothing_for_itself() {
    let mut t = Term::with(|t| t.lflag &= !ECHOCTL);
    assert_eq!(t.type_bytes(&[ctrl(b'V'), b'x']), b"x");
}

#[test]
fn reprint() {
    let mut t = Term::cooked();
    t.type_bytes(b"ab\rcd");
    assert_eq!(t.type_bytes(&[ctrl(b'R')]), b"^R\r\ncd");
    // Needs ECHO and IEXTEN; otherwise it is input.
    let mut t = Term::with(|t| t.lflag &= !IEXTEN);
    t.type_bytes(&[b'x', ctrl(b'R'), b'\r']);
    assert_eq!(t.read_data(), b"x\x12\n");
}

#[test]
fn carriage_return_and_newline_mapping() {
    // IGNCR drops carriage returns.
    let mut t = Term::with(|t| t.iflag |= IGNCR);
    assert_eq!(t.type_bytes(b"a\rb\n"), b"ab\r\n");
    assert_eq!(t.read_data(), b"ab\n");
    // Without ICRNL a carriage return is an ordinary control character.
    let mut t = Term::with(|t| t.iflag &= !ICRNL);
    assert_eq!(t.type_bytes(b"a\r"), b"a^M");
    assert!(!t.ld.readable());
    t.type_bytes(b"\n");
    assert_eq!(t.read_data(), b"a\r\n");
    // INLCR turns newlines into carriage returns, which do not end lines.
    let mut t = Term::with(|t| t.iflag = INLCR);
    assert_eq!(t.type_bytes(b"a\n"), b"a^M");
    assert!(!t.ld.readable());
}

#[test]
fn interrupt_flushes_and_echoes() {
    let mut t = Term::cooked();
    t.type_bytes(b"done\r");
    assert_eq!(t.type_bytes(&[b'a', b'b', ctrl(b'C')]), b"ab^C");
    assert_eq!(t.signals, [Signal::Interrupt]);
    assert_eq!(t.ld.available(), 0);
    assert!(!t.ld.readable());
    t.type_bytes(b"x\r");
    assert_eq!(t.read_data(), b"x\n");
}

#[test]
fn quit_and_suspend() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(&[ctrl(b'\\')]), b"^\\");
    assert_eq!(t.type_bytes(&[ctrl(b'Z')]), b"^Z");
    assert_eq!(t.signals, [Signal::Quit, Signal::Suspend]);
}

#[test]
fn noflsh_keeps_input() {
    let mut t = Term::with(|t| t.lflag |= NOFLSH);
    t.type_bytes(b"ab\rcd\x03\r");
    assert_eq!(t.signals, [Signal::Interrupt]);
    assert_eq!(t.read_data(), b"ab\n");
    assert_eq!(t.read_data(), b"cd\n");
}

#[test]
fn signals_need_isig() {
    let mut t = Term::with(|t| t.lflag &= !ISIG);
    assert_eq!(t.type_bytes(b"\x03\r"), b"^C\r\n");
    assert!(t.signals.is_empty());
    assert_eq!(t.read_data(), b"\x03\n");
}

#[test]
fn signal_without_echo_is_silent() {
    let mut t = Term::with(|t| t.lflag &= !ECHO);
    assert_eq!(t.type_bytes(b"ab\x03"), b"");
    assert_eq!(t.signals, [Signal::Interrupt]);
}

#[test]
fn echo_off_and_echonl() {
    let mut t = Term::with(|t| t.lflag &= !ECHO);
    assert_eq!(t.type_bytes(b"secret\r"), b"");
    assert_eq!(t.read_data(), b"secret\n");
    let mut t = Term::with(|t| {
        t.lflag &= !ECHO;
        t.lflag |= ECHONL;
    });
    assert_eq!(t.type_bytes(b"secret\r"), b"\r\n");
}

#[test]
fn echoprt_prints_erased_characters() {
    let mut t = Term::with(|t| t.lflag |= ECHOPRT);
    assert_eq!(t.type_bytes(&[b'a', b'b', b'c', DEL, DEL, b'd']), b"abc\\cb/d");
    // Erasing back to the start closes the run at once.
    let mut t = Term::with(|t| t.lflag |= ECHOPRT);
    assert_eq!(t.type_bytes(&[b'a', DEL]), b"a\\a/");
}

#[test]
fn tab_erase_backs_up_to_the_tab_stop() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(b"ab\t"), b"ab\t");
    assert_eq!(t.ld.column(), 8);
    assert_eq!(t.type_bytes(&[DEL]), b"\x08".repeat(6));
    assert_eq!(t.ld.column(), 2);
    assert_eq!(t.type_bytes(&[DEL, DEL]), rubouts(2));
}

#[test]
fn tab_erase_counts_from_the_prompt() {
    let mut t = Term::cooked();
    assert_eq!(t.write(b"$ "), b"$ ");
    assert_eq!(t.ld.column(), 2);
    t.type_bytes(b"ab\t");
    assert_eq!(t.ld.column(), 8);
    assert_eq!(t.type_bytes(&[DEL]), b"\x08".repeat(4));
    assert_eq!(t.ld.column(), 4);
}

#[test]
fn tab_erase_after_another_tab_and_control_characters() {
    let mut t = Term::cooked();
    t.type_bytes(b"x\t\t");
    assert_eq!(t.ld.column(), 16);
    assert_eq!(t.type_bytes(&[DEL]), b"\x08".repeat(8));
    // ^A shows as two columns before the tab.
    let mut t = Term::cooked();
    t.type_bytes(&[ctrl(b'V'), ctrl(b'A'), b'\t']);
    assert_eq!(t.ld.column(), 8);
    assert_eq!(t.type_bytes(&[DEL]), b"\x08".repeat(6));
}

#[test]
fn utf8_erase_takes_the_whole_character() {
    let mut t = Term::with(|t| t.iflag |= IUTF8);
    let euro = "€".as_bytes();
    t.type_bytes(b"a");
    t.type_bytes("é".as_bytes());
    t.type_bytes(euro);
    assert_eq!(t.ld.column(), 3);
    assert_eq!(t.type_bytes(&[DEL]), RUBOUT);
    assert_eq!(t.type_bytes(&[DEL]), RUBOUT);
    assert_eq!(t.ld.column(), 1);
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"a\n");
}

#[test]
fn without_iutf8_erase_takes_one_byte() {
    let mut t = Term::cooked();
    t.type_bytes("é".as_bytes());
    assert_eq!(t.ld.column(), 2);
    assert_eq!(t.type_bytes(&[DEL]), RUBOUT);
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\xc3\n");
}

#[test]
fn utf8_stray_continuation_bytes_can_be_erased() {
    let mut t = Term::with(|t| t.iflag |= IUTF8);
    t.type_bytes(b"\x80\x80");
    t.type_bytes(&[DEL, DEL]);
    t.type_bytes(b"ok\r");
    assert_eq!(t.read_data(), b"ok\n");
}

#[test]
fn utf8_word_erase_treats_letters_as_word_characters() {
    let mut t = Term::with(|t| t.iflag |= IUTF8);
    t.type_bytes("x déjà".as_bytes());
    assert_eq!(t.type_bytes(&[ctrl(b'W')]), rubouts(4));
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"x \n");
}

#[test]
fn full_line_drops_input_but_still_ends_and_erases() {
    let mut t = Term::cooked();
    let long = vec![b'a'; CAPACITY - 1];
    assert_eq!(t.type_bytes(&long).len(), CAPACITY - 1);
    // The last slot is kept for the newline: more input is dropped silently.
    assert_eq!(t.type_bytes(b"bc"), b"");
    // Erase still works, and frees room.
    assert_eq!(t.type_bytes(&[DEL]), RUBOUT);
    assert_eq!(t.type_bytes(b"zq"), b"z");
    assert_eq!(t.type_bytes(b"\r"), b"\r\n");
    let line = t.read_data();
    assert_eq!(line.len(), CAPACITY);
    assert_eq!(&line[CAPACITY - 3..], b"az\n");
}

#[test]
fn full_line_beeps_under_imaxbel() {
    let mut t = Term::with(|t| t.iflag |= IMAXBEL);
    t.type_bytes(&vec![b'a'; CAPACITY - 1]);
    assert_eq!(t.type_bytes(b"b"), b"\x07");
}

#[test]
fn full_queue_of_lines_drops_even_newlines() {
    let mut t = Term::cooked();
    for _ in 0..CAPACITY / 4 {
        t.type_bytes(b"abc\r");
    }
    assert_eq!(t.ld.available(), CAPACITY);
    assert_eq!(t.type_bytes(b"x\r\x04"), b"");
    assert_eq!(t.read_data(), b"abc\n");
    t.type_bytes(b"\x04");
    assert_eq!(t.ld.available(), CAPACITY - 4);
}

#[test]
fn pending_end_of_files_are_bounded() {
    let mut t = Term::cooked();
    t.type_bytes(&vec![ctrl(b'D'); CAPACITY + 10]);
    let mut eofs = 0;
    while t.read(10).0 == ReadOutcome::EndOfFile {
        eofs += 1;
    }
    assert_eq!(eofs, CAPACITY);
}

#[test]
fn xon_xoff_flow_control() {
    let mut t = Term::cooked();
    assert_eq!(t.type_bytes(&[ctrl(b'S')]), b"");
    assert!(t.ld.output_stopped());
    t.type_bytes(b"a");
    assert!(t.ld.output_stopped());
    t.type_bytes(&[ctrl(b'Q')]);
    assert!(!t.ld.output_stopped());
    t.type_bytes(b"\r");
    // Neither ^S nor ^Q is input.
    assert_eq!(t.read_data(), b"a\n");
}

#[test]
fn ixany_restarts_on_any_key_but_not_tcflow() {
    let mut t = Term::with(|t| t.iflag |= IXANY);
    t.type_bytes(&[ctrl(b'S'), b'a']);
    assert!(!t.ld.output_stopped());
    t.ld.suspend_output();
    t.type_bytes(&[b'b', ctrl(b'Q')]);
    assert!(t.ld.output_stopped());
    t.ld.resume_output();
    assert!(!t.ld.output_stopped());
}

#[test]
fn interrupt_restarts_output() {
    let mut t = Term::cooked();
    t.type_bytes(&[ctrl(b'S'), ctrl(b'C')]);
    assert!(!t.ld.output_stopped());
}

#[test]
fn turning_ixon_off_restarts_output() {
    let mut t = Term::cooked();
    t.type_bytes(&[ctrl(b'S')]);
    t.set(|t| t.iflag &= !IXON);
    assert!(!t.ld.output_stopped());
    // Now ^S is input.
    t.type_bytes(&[ctrl(b'S'), b'\r']);
    assert_eq!(t.read_data(), b"\x13\n");
}

#[test]
fn istrip_and_iuclc() {
    let mut t = Term::with(|t| t.iflag |= ISTRIP);
    t.type_bytes(b"\xe1\r");
    assert_eq!(t.read_data(), b"a\n");
    let mut t = Term::with(|t| t.iflag |= IUCLC);
    assert_eq!(t.type_bytes(b"AbC\r"), b"abc\r\n");
    assert_eq!(t.read_data(), b"abc\n");
    let mut t = Term::with(|t| {
        t.iflag |= IUCLC;
        t.lflag &= !IEXTEN;
    });
    t.type_bytes(b"AbC\r");
    assert_eq!(t.read_data(), b"AbC\n");
}

#[test]
fn parmrk_doubles_0xff() {
    let mut t = Term::with(|t| t.iflag |= PARMRK);
    t.type_bytes(b"\xff\r");
    assert_eq!(t.read_data(), b"\xff\xff\n");
}

#[test]
fn break_handling() {
    let mut t = Term::with(|t| t.iflag |= BRKINT);
    t.type_bytes(b"ab");
    assert_eq!(t.ld.receive_break(), Some(Signal::Interrupt));
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\n");
    let mut t = Term::with(|t| t.iflag |= IGNBRK | BRKINT);
    assert_eq!(t.ld.receive_break(), None);
    let mut t = Term::cooked();
    assert_eq!(t.ld.receive_break(), None);
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\0\n");
}

#[test]
fn flush_input_discards_everything() {
    let mut t = Term::cooked();
    t.type_bytes(b"ab\rcd");
    t.ld.flush_input();
    assert_eq!(t.ld.available(), 0);
    t.type_bytes(b"\r");
    assert_eq!(t.read_data(), b"\n");
}

#[test]
fn canonical_reads_have_no_timer() {
    let mut t = Term::with(|t| t.cc[VTIME] = 5);
    t.type_bytes(b"ab");
    assert_eq!(t.ld.read_timeout(), None);
    let mut buf = [0; 8];
    assert_eq!(t.ld.read_nonblocking(&mut buf), ReadOutcome::WouldBlock);
    assert_eq!(t.ld.read_timed_out(&mut buf), ReadOutcome::WouldBlock);
}

#[test]
fn input_is_full_only_while_a_reader_can_make_room() {
    let mut t = Term::cooked();
    assert!(!t.ld.input_full());
    // One unfinished line filling the queue: more input is taken (and
    // dropped) rather than held back, or the line could never end.
    t.type_bytes(&vec![b'a'; CAPACITY + 5]);
    assert!(!t.ld.input_full());
    t.type_bytes(b"\r");
    assert!(t.ld.input_full(), "a complete line fills the queue: a reader can make room");
    assert_eq!(t.read_data().len(), CAPACITY);
    assert!(!t.ld.input_full());
    // Lines that fill the queue hold input back until one is read.
    for _ in 0..CAPACITY / 4 {
        t.type_bytes(b"abc\r");
    }
    assert!(t.ld.input_full());
    assert_eq!(t.read_data(), b"abc\n");
    assert!(!t.ld.input_full());
}
