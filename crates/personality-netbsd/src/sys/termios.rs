//! NetBSD's `struct termios` (sys/sys/termios.h: four u32 flag words,
//! c_cc[20], c_ispeed and c_ospeed as plain numbers; 44 bytes) to and
//! from the line discipline's settings (`tty::Termios`, numbered as
//! Linux numbers them), flag by flag.
//!
//! What one side has and the other has not: NetBSD's VDSUSP and VSTATUS
//! characters (and the spare c_cc[7]), ONOEOT, ALTWERASE, NOKERNINFO,
//! CDTRCTS and MDMBUF read as disabled or clear and are dropped on the
//! way in; the discipline's IUCLC, IUTF8, OLCUC, delays, XCASE and line
//! number are kept as they were when NetBSD sets the rest.

pub const SIZE: usize = 44;
pub const NCCS: usize = 20;
/// `_POSIX_VDISABLE`: NetBSD's disabled control character (Linux's is 0).
pub const VDISABLE: u8 = 0xff;

// c_cc indices.
pub const VEOF: usize = 0;
pub const VEOL: usize = 1;
pub const VEOL2: usize = 2;
pub const VERASE: usize = 3;
pub const VWERASE: usize = 4;
pub const VKILL: usize = 5;
pub const VREPRINT: usize = 6;
/// c_cc[7] is a spare on NetBSD (FreeBSD's VERASE2).
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const SPARE1: usize = 7;
pub const VINTR: usize = 8;
pub const VQUIT: usize = 9;
pub const VSUSP: usize = 10;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const VDSUSP: usize = 11;
pub const VSTART: usize = 12;
pub const VSTOP: usize = 13;
pub const VLNEXT: usize = 14;
pub const VDISCARD: usize = 15;
pub const VMIN: usize = 16;
pub const VTIME: usize = 17;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const VSTATUS: usize = 18;

/// (NetBSD bit, discipline bit) pairs, one table per flag word.
const IFLAGS: &[(u32, u32)] = &[
    (0x1, tty::IGNBRK),
    (0x2, tty::BRKINT),
    (0x4, tty::IGNPAR),
    (0x8, tty::PARMRK),
    (0x10, tty::INPCK),
    (0x20, tty::ISTRIP),
    (0x40, tty::INLCR),
    (0x80, tty::IGNCR),
    (0x100, tty::ICRNL),
    (0x200, tty::IXON),
    (0x400, tty::IXOFF),
    (0x800, tty::IXANY),
    (0x2000, tty::IMAXBEL),
];
const OFLAGS: &[(u32, u32)] = &[
    (0x1, tty::OPOST),
    (0x2, tty::ONLCR),
    // OXTABS: expand tabs (the discipline's TAB3).
    (0x4, tty::TAB3),
    (0x10, tty::OCRNL),
    (0x20, tty::ONOCR),
    (0x40, tty::ONLRET),
];
const CFLAGS: &[(u32, u32)] = &[
    (0x400, tty::CSTOPB),
    (0x800, tty::CREAD),
    (0x1000, tty::PARENB),
    (0x2000, tty::PARODD),
    (0x4000, tty::HUPCL),
    (0x8000, tty::CLOCAL),
    // CRTSCTS: one bit here (CRTS_IFLOW and CCTS_OFLOW are its aliases).
    (0x1_0000, tty::CRTSCTS),
];
const LFLAGS: &[(u32, u32)] = &[
    (0x1, tty::ECHOKE),
    (0x2, tty::ECHOE),
    (0x4, tty::ECHOK),
    (0x8, tty::ECHO),
    (0x10, tty::ECHONL),
    (0x20, tty::ECHOPRT),
    (0x40, tty::ECHOCTL),
    (0x80, tty::ISIG),
    (0x100, tty::ICANON),
    (0x400, tty::IEXTEN),
    (0x800, tty::EXTPROC),
    (0x40_0000, tty::TOSTOP),
    (0x80_0000, tty::FLUSHO),
    (0x2000_0000, tty::PENDIN),
    (0x8000_0000, tty::NOFLSH),
];
/// CIGNORE: set, c_cflag and the speeds are left alone.
const CIGNORE: u32 = 0x1;
/// CSIZE's bits: CS5 0, CS6 0x100, CS7 0x200, CS8 0x300.
const CSIZE: u32 = 0x300;

/// (NetBSD index, discipline index) of the control characters both have.
const CHARS: &[(usize, usize)] = &[
    (VEOF, tty::VEOF),
    (VEOL, tty::VEOL),
    (VEOL2, tty::VEOL2),
    (VERASE, tty::VERASE),
    (VWERASE, tty::VWERASE),
    (VKILL, tty::VKILL),
    (VREPRINT, tty::VREPRINT),
    (VINTR, tty::VINTR),
    (VQUIT, tty::VQUIT),
    (VSUSP, tty::VSUSP),
    (VSTART, tty::VSTART),
    (VSTOP, tty::VSTOP),
    (VLNEXT, tty::VLNEXT),
    (VDISCARD, tty::VDISCARD),
];

/// The discipline's CBAUD codes and the speeds they stand for.
const SPEEDS: &[(u32, u32)] = &[
    (tty::B0, 0),
    (tty::B50, 50),
    (tty::B75, 75),
    (tty::B110, 110),
    (tty::B134, 134),
    (tty::B150, 150),
    (tty::B200, 200),
    (tty::B300, 300),
    (tty::B600, 600),
    (tty::B1200, 1200),
    (tty::B1800, 1800),
    (tty::B2400, 2400),
    (tty::B4800, 4800),
    (tty::B9600, 9600),
    (tty::B19200, 19200),
    (tty::B38400, 38400),
    (tty::B57600, 57600),
    (tty::B115200, 115_200),
    (tty::B230400, 230_400),
    (tty::B460800, 460_800),
    (tty::B921600, 921_600),
];

fn map(word: u32, table: &[(u32, u32)], from_netbsd: bool) -> u32 {
    table.iter().fold(0, |acc, &(n, l)| {
        let (have, give) = if from_netbsd { (n, l) } else { (l, n) };
        if word & have == have {
            acc | give
        } else {
            acc
        }
    })
}

fn speed_of(code: u32) -> u32 {
    SPEEDS.iter().find(|s| s.0 == code).map_or(0, |s| s.1)
}

fn code_of(speed: u32) -> Option<u32> {
    SPEEDS.iter().find(|s| s.1 == speed).map(|s| s.0)
}

/// What TIOCGETA gives a NetBSD program.
pub fn encode(t: &tty::Termios) -> [u8; SIZE] {
    let size = match t.cflag & tty::CSIZE {
        s if s == tty::CS6 => 0x100,
        s if s == tty::CS7 => 0x200,
        s if s == tty::CS8 => 0x300,
        _ => 0,
    };
    let cflag = map(t.cflag, CFLAGS, false) | size;
    let words = [map(t.iflag, IFLAGS, false), map(t.oflag, OFLAGS, false), cflag, map(t.lflag, LFLAGS, false)];
    let mut b = [0u8; SIZE];
    for (i, w) in words.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    let cc = &mut b[16..16 + NCCS];
    cc.fill(VDISABLE);
    for &(n, l) in CHARS {
        cc[n] = if t.cc[l] == tty::DISABLED { VDISABLE } else { t.cc[l] };
    }
    // VMIN and VTIME are counts, not characters.
    cc[VMIN] = t.cc[tty::VMIN];
    cc[VTIME] = t.cc[tty::VTIME];
    let ospeed = speed_of(t.cflag & tty::CBAUD);
    let ibits = (t.cflag & tty::CIBAUD) >> tty::IBSHIFT;
    let ispeed = if ibits == 0 { ospeed } else { speed_of(ibits) };
    b[36..40].copy_from_slice(&ispeed.to_le_bytes());
    b[40..44].copy_from_slice(&ospeed.to_le_bytes());
    b
}

/// What TIOCSETA asks for, applied over the terminal's `current`
/// settings; None (EINVAL) for a speed the discipline has no code for.
pub fn decode(b: &[u8; SIZE], current: &tty::Termios) -> Option<tty::Termios> {
    let word = |i: usize| u32::from_le_bytes([b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]]);
    let (iflag, oflag, cflag, lflag) = (word(0), word(1), word(2), word(3));
    let ispeed = word(9);
    let ospeed = word(10);
    let mut t = *current;
    let iflag_kept = current.iflag & (tty::IUCLC | tty::IUTF8);
    t.iflag = map(iflag, IFLAGS, true) | iflag_kept;
    let oflag_table_bits = OFLAGS.iter().fold(0, |a, p| a | p.1) | tty::TABDLY;
    t.oflag = map(oflag, OFLAGS, true) | (current.oflag & !oflag_table_bits);
    if cflag & CIGNORE == 0 {
        let ocode = code_of(ospeed)?;
        // An input speed of 0 means "the same as the output speed".
        let icode = if ispeed == 0 || ispeed == ospeed { 0 } else { code_of(ispeed)? };
        let size = match cflag & CSIZE {
            0x100 => tty::CS6,
            0x200 => tty::CS7,
            0x300 => tty::CS8,
            _ => tty::CS5,
        };
        let cflag_kept = current.cflag & (tty::CMSPAR | tty::ADDRB);
        t.cflag = map(cflag, CFLAGS, true) | size | ocode | (icode << tty::IBSHIFT) | cflag_kept;
    }
    let lflag_kept = current.lflag & tty::XCASE;
    t.lflag = map(lflag, LFLAGS, true) | lflag_kept;
    let cc = &b[16..16 + NCCS];
    for &(n, l) in CHARS {
        t.cc[l] = if cc[n] == VDISABLE { tty::DISABLED } else { cc[n] };
    }
    t.cc[tty::VMIN] = cc[VMIN];
    t.cc[tty::VTIME] = cc[VTIME];
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(b: &[u8], i: usize) -> u32 {
        u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap())
    }

    #[test]
    fn console_defaults_in_netbsd_numbers() {
        let t = tty::Termios::default_console();
        let b = encode(&t);
        // ICRNL | IXON, OPOST | ONLCR.
        assert_eq!(word(&b, 0) & 0x300, 0x300);
        assert_eq!(word(&b, 1) & 0x3, 0x3);
        // ECHO, ISIG, ICANON, IEXTEN in NetBSD's bits.
        let l = word(&b, 3);
        assert_eq!(l & (0x8 | 0x80 | 0x100 | 0x400), 0x8 | 0x80 | 0x100 | 0x400);
        assert_eq!(b[16 + VINTR], 0x03);
        assert_eq!(b[16 + VEOF], 0x04);
        assert_eq!(b[16 + VERASE], 0x7f);
        assert_eq!(b[16 + SPARE1], VDISABLE);
        assert_eq!(b[16 + VSTATUS], VDISABLE);
        assert_eq!(b[16 + VDSUSP], VDISABLE);
        assert_eq!(b[16 + VMIN], 1);
        assert_eq!(b[16 + VTIME], 0);
    }

    #[test]
    fn flags_both_ways() {
        let mut t = tty::Termios::default_console();
        t.iflag = tty::IXON | tty::IXOFF | tty::IXANY | tty::ICRNL | tty::IUTF8;
        t.oflag = tty::OPOST | tty::ONLCR | tty::TAB3 | tty::OCRNL;
        t.cflag = tty::CS8 | tty::CREAD | tty::CLOCAL | tty::HUPCL | tty::CRTSCTS | tty::B38400;
        t.lflag = tty::ISIG | tty::ICANON | tty::ECHO | tty::ECHOE | tty::NOFLSH | tty::TOSTOP;
        let b = encode(&t);
        assert_eq!(word(&b, 0), 0x200 | 0x400 | 0x800 | 0x100);
        assert_eq!(word(&b, 1), 0x1 | 0x2 | 0x4 | 0x10);
        assert_eq!(word(&b, 2), 0x300 | 0x800 | 0x8000 | 0x4000 | 0x1_0000, "CRTSCTS is 0x10000 on NetBSD");
        assert_eq!(word(&b, 3), 0x80 | 0x100 | 0x8 | 0x2 | 0x8000_0000 | 0x40_0000);
        assert_eq!(word(&b, 9), 38400);
        assert_eq!(word(&b, 10), 38400);
        // Back again, IUTF8 (NetBSD has none) kept from the current state.
        assert_eq!(decode(&b, &t), Some(t));
    }

    #[test]
    fn sizes_speeds_and_netbsd_only_bits() {
        let mut t = tty::Termios::default_console();
        for (size, nb) in [(tty::CS5, 0), (tty::CS6, 0x100), (tty::CS7, 0x200), (tty::CS8, 0x300)] {
            t.cflag = size | tty::B9600;
            let b = encode(&t);
            assert_eq!(word(&b, 2) & 0x300, nb);
            assert_eq!(decode(&b, &t).unwrap().cflag & tty::CSIZE, size);
        }
        let mut b = encode(&t);
        // CDTRCTS and MDMBUF have no twin and are dropped.
        let w = word(&b, 2) | 0x2_0000 | 0x10_0000;
        b[8..12].copy_from_slice(&w.to_le_bytes());
        assert_eq!(decode(&b, &t).unwrap().cflag & tty::CRTSCTS, 0);
        b[40..44].copy_from_slice(&115_200u32.to_le_bytes());
        b[36..40].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(decode(&b, &t).unwrap().cflag & tty::CBAUD, tty::B115200);
        b[40..44].copy_from_slice(&12_345u32.to_le_bytes());
        assert_eq!(decode(&b, &t), None, "no code for that speed");
        let w = word(&b, 2) | CIGNORE;
        b[8..12].copy_from_slice(&w.to_le_bytes());
        assert_eq!(decode(&b, &t).unwrap().cflag, t.cflag);
    }

    #[test]
    fn disabled_characters() {
        let mut t = tty::Termios::default_console();
        t.cc[tty::VINTR] = tty::DISABLED;
        let mut b = encode(&t);
        assert_eq!(b[16 + VINTR], VDISABLE);
        b[16 + VQUIT] = VDISABLE;
        let back = decode(&b, &t).unwrap();
        assert_eq!(back.cc[tty::VINTR], tty::DISABLED);
        assert_eq!(back.cc[tty::VQUIT], tty::DISABLED);
    }
}
