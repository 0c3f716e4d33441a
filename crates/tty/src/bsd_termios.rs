//! The 4.4BSD `struct termios` that FreeBSD and NetBSD both keep (four
//! u32 flag words, c_cc[20], c_ispeed and c_ospeed as plain numbers; 44
//! bytes), to and from the discipline's settings ([`Termios`], numbered as
//! Linux numbers them), flag by flag. The two systems number everything
//! alike but the hardware flow-control bits, which each personality names
//! in its [`BsdTermios`].
//!
//! What one side has and the other has not: the BSD characters VERASE2
//! (FreeBSD; a spare on NetBSD), VDSUSP and VSTATUS, ONOEOT, ALTWERASE,
//! NOKERNINFO and the modem flow flags other than CRTSCTS read as disabled
//! or clear and are dropped on the way in; the discipline's IUCLC, IUTF8,
//! OLCUC, delays, XCASE and line number are kept as they were when a BSD
//! program sets the rest.

use crate::termios::*;

pub const SIZE: usize = 44;
pub const NCCS: usize = 20;
/// `_POSIX_VDISABLE`: the BSDs' disabled control character (Linux's is 0).
pub const VDISABLE: u8 = 0xff;

// c_cc indices.
pub const VEOF: usize = 0;
pub const VEOL: usize = 1;
pub const VEOL2: usize = 2;
pub const VERASE: usize = 3;
pub const VWERASE: usize = 4;
pub const VKILL: usize = 5;
pub const VREPRINT: usize = 6;
/// FreeBSD's VERASE2; a spare on NetBSD. No discipline twin.
pub const VERASE2: usize = 7;
pub const VINTR: usize = 8;
pub const VQUIT: usize = 9;
pub const VSUSP: usize = 10;
/// No discipline twin.
pub const VDSUSP: usize = 11;
pub const VSTART: usize = 12;
pub const VSTOP: usize = 13;
pub const VLNEXT: usize = 14;
pub const VDISCARD: usize = 15;
pub const VMIN: usize = 16;
pub const VTIME: usize = 17;
/// No discipline twin.
pub const VSTATUS: usize = 18;

/// CIGNORE: set, c_cflag and the speeds are left alone.
pub const CIGNORE: u32 = 0x1;
/// CSIZE's bits: CS5 0, CS6 0x100, CS7 0x200, CS8 0x300.
const BSD_CSIZE: u32 = 0x300;

/// (BSD bit, discipline bit) pairs, one table per flag word.
const IFLAGS: &[(u32, u32)] = &[
    (0x1, IGNBRK),
    (0x2, BRKINT),
    (0x4, IGNPAR),
    (0x8, PARMRK),
    (0x10, INPCK),
    (0x20, ISTRIP),
    (0x40, INLCR),
    (0x80, IGNCR),
    (0x100, ICRNL),
    (0x200, IXON),
    (0x400, IXOFF),
    (0x800, IXANY),
    (0x2000, IMAXBEL),
];
const OFLAGS: &[(u32, u32)] = &[
    (0x1, OPOST),
    (0x2, ONLCR),
    // OXTABS (TAB3): expand tabs.
    (0x4, TAB3),
    (0x10, OCRNL),
    (0x20, ONOCR),
    (0x40, ONLRET),
];
/// c_cflag but its size and the flow-control bits.
const CFLAGS: &[(u32, u32)] =
    &[(0x400, CSTOPB), (0x800, CREAD), (0x1000, PARENB), (0x2000, PARODD), (0x4000, HUPCL), (0x8000, CLOCAL)];
const LFLAGS: &[(u32, u32)] = &[
    (0x1, ECHOKE),
    (0x2, ECHOE),
    (0x4, ECHOK),
    (0x8, ECHO),
    (0x10, ECHONL),
    (0x20, ECHOPRT),
    (0x40, ECHOCTL),
    (0x80, ISIG),
    (0x100, ICANON),
    (0x400, IEXTEN),
    (0x800, EXTPROC),
    (0x40_0000, TOSTOP),
    (0x80_0000, FLUSHO),
    (0x2000_0000, PENDIN),
    (0x8000_0000, NOFLSH),
];

/// (BSD index, discipline index) of the control characters both have.
const CHARS: &[(usize, usize)] = &[
    (VEOF, crate::termios::VEOF),
    (VEOL, crate::termios::VEOL),
    (VEOL2, crate::termios::VEOL2),
    (VERASE, crate::termios::VERASE),
    (VWERASE, crate::termios::VWERASE),
    (VKILL, crate::termios::VKILL),
    (VREPRINT, crate::termios::VREPRINT),
    (VINTR, crate::termios::VINTR),
    (VQUIT, crate::termios::VQUIT),
    (VSUSP, crate::termios::VSUSP),
    (VSTART, crate::termios::VSTART),
    (VSTOP, crate::termios::VSTOP),
    (VLNEXT, crate::termios::VLNEXT),
    (VDISCARD, crate::termios::VDISCARD),
];

/// The discipline's CBAUD codes and the speeds they stand for.
const SPEEDS: &[(u32, u32)] = &[
    (B0, 0),
    (B50, 50),
    (B75, 75),
    (B110, 110),
    (B134, 134),
    (B150, 150),
    (B200, 200),
    (B300, 300),
    (B600, 600),
    (B1200, 1200),
    (B1800, 1800),
    (B2400, 2400),
    (B4800, 4800),
    (B9600, 9600),
    (B19200, 19200),
    (B38400, 38400),
    (B57600, 57600),
    (B115200, 115_200),
    (B230400, 230_400),
    (B460800, 460_800),
    (B921600, 921_600),
];

fn map(word: u32, table: &[(u32, u32)], from_bsd: bool) -> u32 {
    table.iter().fold(0, |acc, &(b, l)| {
        let (have, give) = if from_bsd { (b, l) } else { (l, b) };
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

/// One BSD's `struct termios`: where the layouts part.
#[derive(Debug, Clone, Copy)]
pub struct BsdTermios {
    /// The c_cflag bits that mean CRTSCTS (FreeBSD: CCTS_OFLOW |
    /// CRTS_IFLOW, 0x30000; NetBSD: one bit, 0x10000, the others its
    /// aliases).
    pub crtscts: u32,
}

impl BsdTermios {
    /// What TIOCGETA gives a program.
    pub fn encode(&self, t: &Termios) -> [u8; SIZE] {
        let size = match t.cflag & CSIZE {
            s if s == CS6 => 0x100,
            s if s == CS7 => 0x200,
            s if s == CS8 => 0x300,
            _ => 0,
        };
        let flow = if t.cflag & CRTSCTS != 0 { self.crtscts } else { 0 };
        let cflag = map(t.cflag, CFLAGS, false) | size | flow;
        let words = [map(t.iflag, IFLAGS, false), map(t.oflag, OFLAGS, false), cflag, map(t.lflag, LFLAGS, false)];
        let mut b = [0u8; SIZE];
        for (i, w) in words.iter().enumerate() {
            b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
        }
        let cc = &mut b[16..16 + NCCS];
        cc.fill(VDISABLE);
        for &(f, l) in CHARS {
            cc[f] = if t.cc[l] == DISABLED { VDISABLE } else { t.cc[l] };
        }
        // VMIN and VTIME are counts, not characters.
        cc[VMIN] = t.cc[crate::termios::VMIN];
        cc[VTIME] = t.cc[crate::termios::VTIME];
        let ospeed = speed_of(t.cflag & CBAUD);
        let ibits = (t.cflag & CIBAUD) >> IBSHIFT;
        let ispeed = if ibits == 0 { ospeed } else { speed_of(ibits) };
        b[36..40].copy_from_slice(&ispeed.to_le_bytes());
        b[40..44].copy_from_slice(&ospeed.to_le_bytes());
        b
    }

    /// What TIOCSETA asks for, applied over the terminal's `current`
    /// settings; None (EINVAL) for a speed the discipline has no code for.
    pub fn decode(&self, b: &[u8; SIZE], current: &Termios) -> Option<Termios> {
        let word = |i: usize| u32::from_le_bytes([b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]]);
        let (iflag, oflag, cflag, lflag) = (word(0), word(1), word(2), word(3));
        let ispeed = word(9);
        let ospeed = word(10);
        let mut t = *current;
        let iflag_kept = current.iflag & (IUCLC | IUTF8);
        t.iflag = map(iflag, IFLAGS, true) | iflag_kept;
        let oflag_table_bits = OFLAGS.iter().fold(0, |a, p| a | p.1) | TABDLY;
        t.oflag = map(oflag, OFLAGS, true) | (current.oflag & !oflag_table_bits);
        if cflag & CIGNORE == 0 {
            let ocode = code_of(ospeed)?;
            // An input speed of 0 means "the same as the output speed".
            let icode = if ispeed == 0 || ispeed == ospeed { 0 } else { code_of(ispeed)? };
            let size = match cflag & BSD_CSIZE {
                0x100 => CS6,
                0x200 => CS7,
                0x300 => CS8,
                _ => CS5,
            };
            let flow = if cflag & self.crtscts == self.crtscts { CRTSCTS } else { 0 };
            let cflag_kept = current.cflag & (CMSPAR | ADDRB);
            t.cflag = map(cflag, CFLAGS, true) | size | flow | ocode | (icode << IBSHIFT) | cflag_kept;
        }
        let lflag_kept = current.lflag & XCASE;
        t.lflag = map(lflag, LFLAGS, true) | lflag_kept;
        let cc = &b[16..16 + NCCS];
        for &(f, l) in CHARS {
            t.cc[l] = if cc[f] == VDISABLE { DISABLED } else { cc[f] };
        }
        t.cc[crate::termios::VMIN] = cc[VMIN];
        t.cc[crate::termios::VTIME] = cc[VTIME];
        Some(t)
    }
}
