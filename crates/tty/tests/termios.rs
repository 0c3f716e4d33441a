//! The termios layout and values match Linux's asm-generic/termbits.h.

use tty::*;

#[test]
fn control_character_indices() {
    let expected = [
        (VINTR, 0),
        (VQUIT, 1),
        (VERASE, 2),
        (VKILL, 3),
        (VEOF, 4),
        (VTIME, 5),
        (VMIN, 6),
        (VSWTC, 7),
        (VSTART, 8),
        (VSTOP, 9),
        (VSUSP, 10),
        (VEOL, 11),
        (VREPRINT, 12),
        (VDISCARD, 13),
        (VWERASE, 14),
        (VLNEXT, 15),
        (VEOL2, 16),
    ];
    for (index, value) in expected {
        assert_eq!(index, value);
    }
    assert_eq!(NCCS, 19);
}

#[test]
fn flag_values() {
    let iflags = [
        (IGNBRK, 0o1),
        (BRKINT, 0o2),
        (IGNPAR, 0o4),
        (PARMRK, 0o10),
        (INPCK, 0o20),
        (ISTRIP, 0o40),
        (INLCR, 0o100),
        (IGNCR, 0o200),
        (ICRNL, 0o400),
        (IUCLC, 0o1000),
        (IXON, 0o2000),
        (IXANY, 0o4000),
        (IXOFF, 0o10000),
        (IMAXBEL, 0o20000),
        (IUTF8, 0o40000),
    ];
    let oflags =
        [(OPOST, 0o1), (OLCUC, 0o2), (ONLCR, 0o4), (OCRNL, 0o10), (ONOCR, 0o20), (ONLRET, 0o40), (XTABS, 0o14000)];
    let cflags = [
        (CSIZE, 0o60),
        (CS8, 0o60),
        (CSTOPB, 0o100),
        (CREAD, 0o200),
        (PARENB, 0o400),
        (HUPCL, 0o2000),
        (CLOCAL, 0o4000),
        (B38400, 0o17),
        (B9600, 0o15),
        (B115200, 0o10002),
        (CBAUD, 0o10017),
    ];
    let lflags = [
        (ISIG, 0o1),
        (ICANON, 0o2),
        (ECHO, 0o10),
        (ECHOE, 0o20),
        (ECHOK, 0o40),
        (ECHONL, 0o100),
        (NOFLSH, 0o200),
        (TOSTOP, 0o400),
        (ECHOCTL, 0o1000),
        (ECHOPRT, 0o2000),
        (ECHOKE, 0o4000),
        (IEXTEN, 0o100000),
    ];
    for (flag, value) in iflags.iter().chain(&oflags).chain(&cflags).chain(&lflags) {
        assert_eq!(flag, value);
    }
}

#[test]
fn linux_console_defaults() {
    let t = Termios::default_console();
    assert_eq!(t.iflag, ICRNL | IXON);
    assert_eq!(t.iflag, 0o2400);
    assert_eq!(t.oflag, 0o5);
    assert_eq!(t.cflag, 0o2277);
    assert_eq!(t.lflag, 0o105073);
    assert_eq!(t.line, 0);
    // ^C ^\ DEL ^U ^D 0 1 0 ^Q ^S ^Z 0 ^R ^O ^W ^V 0, then the two spares.
    assert_eq!(t.cc, *b"\x03\x1c\x7f\x15\x04\x00\x01\x00\x11\x13\x1a\x00\x12\x0f\x17\x16\x00\x00\x00");
    assert_eq!(Termios::default(), t);
}

#[test]
fn make_raw_is_cfmakeraw() {
    let t = Termios::default_console().make_raw();
    assert_eq!(t.iflag, 0);
    assert_eq!(t.oflag & OPOST, 0);
    assert_eq!(t.lflag & (ECHO | ECHONL | ICANON | ISIG | IEXTEN), 0);
    assert_eq!(t.cflag & CSIZE, CS8);
    assert_eq!((t.cc[VMIN], t.cc[VTIME]), (1, 0));
}

#[test]
fn disabled_characters_never_match() {
    let t = Termios::default_console();
    assert!(t.is_char(VINTR, 0x03));
    assert!(!t.is_char(VEOL, 0));
}

#[test]
fn a_line_discipline_fits_in_a_static() {
    static CONSOLE: LineDiscipline = LineDiscipline::new(Termios::default_console());
    assert!(!CONSOLE.readable());
    assert_eq!(CONSOLE.termios(), &Termios::default_console());
    // Small enough to build on a kernel stack, too.
    assert!(core::mem::size_of::<LineDiscipline>() < 6 * 1024);
}
