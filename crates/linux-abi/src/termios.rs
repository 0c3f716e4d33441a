//! Terminal attributes: the kernel's `struct termios` used by `TCGETS` and
//! `TCSETS*`, `struct termios2` (`TCGETS2`), `struct winsize`, and every flag
//! (`asm-generic/termbits.h`, `asm-generic/termbits-common.h`; x86_64 uses
//! the generic values).
//!
//! The kernel `struct termios` is *not* libc's: glibc's adds `c_ispeed` and
//! `c_ospeed` and pads `c_cc` to 32 entries, but the ioctl carries only the
//! 36 bytes below, and libc converts.
//!
//! ```text
//!  0 c_iflag u32 | 4 c_oflag u32 | 8 c_cflag u32 | 12 c_lflag u32
//! 16 c_line u8   | 17 c_cc[19]   | (termios2 only: 36 c_ispeed u32, 40 c_ospeed u32)
//! ```

use crate::wire::{get_u16, get_u32, prefix, put_u16, put_u32};

/// Entries in the kernel's `c_cc`.
pub const NCCS: usize = 19;

// c_cc indices.
pub const VINTR: usize = 0;
pub const VQUIT: usize = 1;
pub const VERASE: usize = 2;
pub const VKILL: usize = 3;
pub const VEOF: usize = 4;
pub const VTIME: usize = 5;
pub const VMIN: usize = 6;
pub const VSWTC: usize = 7;
pub const VSTART: usize = 8;
pub const VSTOP: usize = 9;
pub const VSUSP: usize = 10;
pub const VEOL: usize = 11;
pub const VREPRINT: usize = 12;
pub const VDISCARD: usize = 13;
pub const VWERASE: usize = 14;
pub const VLNEXT: usize = 15;
pub const VEOL2: usize = 16;

// c_iflag
pub const IGNBRK: u32 = 0o000001;
pub const BRKINT: u32 = 0o000002;
pub const IGNPAR: u32 = 0o000004;
pub const PARMRK: u32 = 0o000010;
pub const INPCK: u32 = 0o000020;
pub const ISTRIP: u32 = 0o000040;
pub const INLCR: u32 = 0o000100;
pub const IGNCR: u32 = 0o000200;
pub const ICRNL: u32 = 0o000400;
pub const IUCLC: u32 = 0o001000;
pub const IXON: u32 = 0o002000;
pub const IXANY: u32 = 0o004000;
pub const IXOFF: u32 = 0o010000;
pub const IMAXBEL: u32 = 0o020000;
pub const IUTF8: u32 = 0o040000;

// c_oflag
pub const OPOST: u32 = 0o000001;
pub const OLCUC: u32 = 0o000002;
pub const ONLCR: u32 = 0o000004;
pub const OCRNL: u32 = 0o000010;
pub const ONOCR: u32 = 0o000020;
pub const ONLRET: u32 = 0o000040;
pub const OFILL: u32 = 0o000100;
pub const OFDEL: u32 = 0o000200;
pub const NLDLY: u32 = 0o000400;
pub const NL0: u32 = 0o000000;
pub const NL1: u32 = 0o000400;
pub const CRDLY: u32 = 0o003000;
pub const CR0: u32 = 0o000000;
pub const CR1: u32 = 0o001000;
pub const CR2: u32 = 0o002000;
pub const CR3: u32 = 0o003000;
pub const TABDLY: u32 = 0o014000;
pub const TAB0: u32 = 0o000000;
pub const TAB1: u32 = 0o004000;
pub const TAB2: u32 = 0o010000;
pub const TAB3: u32 = 0o014000;
/// Old name of `TAB3`: expand tabs to spaces.
pub const XTABS: u32 = 0o014000;
pub const BSDLY: u32 = 0o020000;
pub const BS0: u32 = 0o000000;
pub const BS1: u32 = 0o020000;
pub const VTDLY: u32 = 0o040000;
pub const VT0: u32 = 0o000000;
pub const VT1: u32 = 0o040000;
pub const FFDLY: u32 = 0o100000;
pub const FF0: u32 = 0o000000;
pub const FF1: u32 = 0o100000;

// c_cflag
/// The baud-rate field (the low 4 bits plus `CBAUDEX`).
pub const CBAUD: u32 = 0o010017;
pub const B0: u32 = 0o000000;
pub const B50: u32 = 0o000001;
pub const B75: u32 = 0o000002;
pub const B110: u32 = 0o000003;
pub const B134: u32 = 0o000004;
pub const B150: u32 = 0o000005;
pub const B200: u32 = 0o000006;
pub const B300: u32 = 0o000007;
pub const B600: u32 = 0o000010;
pub const B1200: u32 = 0o000011;
pub const B1800: u32 = 0o000012;
pub const B2400: u32 = 0o000013;
pub const B4800: u32 = 0o000014;
pub const B9600: u32 = 0o000015;
pub const B19200: u32 = 0o000016;
pub const B38400: u32 = 0o000017;
pub const EXTA: u32 = B19200;
pub const EXTB: u32 = B38400;
pub const CSIZE: u32 = 0o000060;
pub const CS5: u32 = 0o000000;
pub const CS6: u32 = 0o000020;
pub const CS7: u32 = 0o000040;
pub const CS8: u32 = 0o000060;
pub const CSTOPB: u32 = 0o000100;
pub const CREAD: u32 = 0o000200;
pub const PARENB: u32 = 0o000400;
pub const PARODD: u32 = 0o001000;
pub const HUPCL: u32 = 0o002000;
pub const CLOCAL: u32 = 0o004000;
pub const CBAUDEX: u32 = 0o010000;
/// "Other" speed: the rate is in `c_ospeed`/`c_ispeed` (termios2 only).
pub const BOTHER: u32 = 0o010000;
pub const B57600: u32 = 0o010001;
pub const B115200: u32 = 0o010002;
pub const B230400: u32 = 0o010003;
pub const B460800: u32 = 0o010004;
pub const B500000: u32 = 0o010005;
pub const B576000: u32 = 0o010006;
pub const B921600: u32 = 0o010007;
pub const B1000000: u32 = 0o010010;
pub const B1152000: u32 = 0o010011;
pub const B1500000: u32 = 0o010012;
pub const B2000000: u32 = 0o010013;
pub const B2500000: u32 = 0o010014;
pub const B3000000: u32 = 0o010015;
pub const B3500000: u32 = 0o010016;
pub const B4000000: u32 = 0o010017;
/// Input baud rate, when it differs from output (shifted by `IBSHIFT`).
pub const CIBAUD: u32 = 0o02003600000;
pub const IBSHIFT: u32 = 16;
pub const CMSPAR: u32 = 0o10000000000;
pub const CRTSCTS: u32 = 0o20000000000;

// c_lflag
pub const ISIG: u32 = 0o000001;
pub const ICANON: u32 = 0o000002;
pub const XCASE: u32 = 0o000004;
pub const ECHO: u32 = 0o000010;
pub const ECHOE: u32 = 0o000020;
pub const ECHOK: u32 = 0o000040;
pub const ECHONL: u32 = 0o000100;
pub const NOFLSH: u32 = 0o000200;
pub const TOSTOP: u32 = 0o000400;
pub const ECHOCTL: u32 = 0o001000;
pub const ECHOPRT: u32 = 0o002000;
pub const ECHOKE: u32 = 0o004000;
pub const FLUSHO: u32 = 0o010000;
pub const PENDIN: u32 = 0o040000;
pub const IEXTEN: u32 = 0o100000;
pub const EXTPROC: u32 = 0o200000;

// tcflow() / TCXONC arguments
pub const TCOOFF: u32 = 0;
pub const TCOON: u32 = 1;
pub const TCIOFF: u32 = 2;
pub const TCION: u32 = 3;

// tcflush() / TCFLSH arguments
pub const TCIFLUSH: u32 = 0;
pub const TCOFLUSH: u32 = 1;
pub const TCIOFLUSH: u32 = 2;

// tcsetattr() actions: libc maps them to TCSETS, TCSETSW, TCSETSF.
pub const TCSANOW: u32 = 0;
pub const TCSADRAIN: u32 = 1;
pub const TCSAFLUSH: u32 = 2;

/// The line discipline number of the normal terminal discipline.
pub const N_TTY: u8 = 0;

/// The `c_cc` a fresh Linux terminal starts with: ^C ^\ DEL ^U ^D, VTIME 0,
/// VMIN 1, then ^Q ^S ^Z, VEOL 0, ^R ^O ^W ^V, VEOL2 0.
pub const INIT_C_CC: [u8; NCCS] =
    [0x03, 0x1c, 0x7f, 0x15, 0x04, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0];

/// The kernel `struct termios` (36 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termios {
    pub c_iflag: u32,
    pub c_oflag: u32,
    pub c_cflag: u32,
    pub c_lflag: u32,
    pub c_line: u8,
    pub c_cc: [u8; NCCS],
}

impl Default for Termios {
    fn default() -> Self {
        Self::SANE
    }
}

impl Termios {
    pub const SIZE: usize = 36;

    /// The settings of a newly opened Linux terminal (`tty_std_termios`):
    /// canonical mode with echo and signals, CR-to-NL on input, NL-to-CRNL
    /// on output, 38400 baud, 8 bits. What `stty sane` roughly restores.
    pub const SANE: Self = Self {
        c_iflag: ICRNL | IXON,
        c_oflag: OPOST | ONLCR,
        c_cflag: B38400 | CS8 | CREAD | HUPCL,
        c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
        c_line: N_TTY,
        c_cc: INIT_C_CC,
    };

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, 0, self.c_iflag);
        put_u32(&mut b, 4, self.c_oflag);
        put_u32(&mut b, 8, self.c_cflag);
        put_u32(&mut b, 12, self.c_lflag);
        b[16] = self.c_line;
        b[17..17 + NCCS].copy_from_slice(&self.c_cc);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let mut c_cc = [0u8; NCCS];
        c_cc.copy_from_slice(&b[17..17 + NCCS]);
        Some(Self {
            c_iflag: get_u32(b, 0),
            c_oflag: get_u32(b, 4),
            c_cflag: get_u32(b, 8),
            c_lflag: get_u32(b, 12),
            c_line: b[16],
            c_cc,
        })
    }

    /// The output speed in bits per second encoded in `c_cflag`, or `None`
    /// for `BOTHER`/an unknown code.
    pub fn baud(&self) -> Option<u32> {
        baud_rate(self.c_cflag & CBAUD)
    }
}

/// `struct termios2` (44 bytes): `struct termios` plus explicit speeds, for
/// `TCGETS2`/`TCSETS2` and arbitrary rates with `BOTHER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Termios2 {
    pub termios: Termios,
    pub c_ispeed: u32,
    pub c_ospeed: u32,
}

impl Termios2 {
    pub const SIZE: usize = 44;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[..Termios::SIZE].copy_from_slice(&self.termios.to_bytes());
        put_u32(&mut b, 36, self.c_ispeed);
        put_u32(&mut b, 40, self.c_ospeed);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { termios: Termios::from_bytes(b)?, c_ispeed: get_u32(b, 36), c_ospeed: get_u32(b, 40) })
    }
}

/// Bits per second for a `CBAUD` code.
pub fn baud_rate(code: u32) -> Option<u32> {
    const LOW: [u32; 16] = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400];
    const HIGH: [u32; 16] = [
        0, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000,
        3500000, 4000000,
    ];
    match code {
        c if c & !CBAUD != 0 => None,
        BOTHER => None,
        c if c & CBAUDEX != 0 => Some(HIGH[(c & 0xf) as usize]),
        c => Some(LOW[c as usize]),
    }
}

/// `struct winsize` of `TIOCGWINSZ`/`TIOCSWINSZ` (8 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Winsize {
    pub ws_row: u16,
    pub ws_col: u16,
    pub ws_xpixel: u16,
    pub ws_ypixel: u16,
}

impl Winsize {
    pub const SIZE: usize = 8;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u16(&mut b, 0, self.ws_row);
        put_u16(&mut b, 2, self.ws_col);
        put_u16(&mut b, 4, self.ws_xpixel);
        put_u16(&mut b, 6, self.ws_ypixel);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { ws_row: get_u16(b, 0), ws_col: get_u16(b, 2), ws_xpixel: get_u16(b, 4), ws_ypixel: get_u16(b, 6) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sane_defaults() {
        let t = Termios::SANE;
        assert_eq!(t.c_iflag, 0o2400);
        assert_eq!(t.c_oflag, 0o5);
        assert_eq!(t.c_cflag, 0o2277);
        assert_eq!(t.c_lflag, 0o105073);
        assert_eq!(t.c_cc[VINTR], 3);
        assert_eq!(t.c_cc[VMIN], 1);
        assert_eq!(t.baud(), Some(38400));
        let b = t.to_bytes();
        assert_eq!(b[16], 0);
        assert_eq!(b[17 + VERASE], 0x7f);
    }

    #[test]
    fn bauds() {
        assert_eq!(baud_rate(B9600), Some(9600));
        assert_eq!(baud_rate(B115200), Some(115200));
        assert_eq!(baud_rate(B4000000), Some(4_000_000));
        assert_eq!(baud_rate(B0), Some(0));
        assert_eq!(baud_rate(BOTHER), None);
        assert_eq!(baud_rate(CS8), None);
    }

    proptest! {
        #[test]
        fn termios_round_trip(f: [u32; 4], line: u8, cc: [u8; 19], i: u32, o: u32) {
            let t = Termios { c_iflag: f[0], c_oflag: f[1], c_cflag: f[2], c_lflag: f[3], c_line: line, c_cc: cc };
            prop_assert_eq!(Termios::from_bytes(&t.to_bytes()), Some(t));
            let t2 = Termios2 { termios: t, c_ispeed: i, c_ospeed: o };
            prop_assert_eq!(Termios2::from_bytes(&t2.to_bytes()), Some(t2));
        }

        #[test]
        fn winsize_round_trip(r: u16, c: u16, x: u16, y: u16) {
            let w = Winsize { ws_row: r, ws_col: c, ws_xpixel: x, ws_ypixel: y };
            prop_assert_eq!(Winsize::from_bytes(&w.to_bytes()), Some(w));
        }
    }
}
