//! A terminal's settings as the line discipline keeps them: flag words
//! and control characters, with no byte layout of any OS.
//!
//! The flag bits and `c_cc` indices are numbered as Linux numbers them
//! (`include/uapi/asm-generic/termbits.h` and `termbits-common.h`): Linux
//! was the model. Each personality translates its OS's `struct termios` to
//! and from this (the Linux one in `personality-linux/src/termios.rs`, a
//! copy checked at compile time; a BSD one flag by flag).

/// Number of control characters in `c_cc`.
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

/// A `c_cc` entry with this value is disabled (`_POSIX_VDISABLE`).
pub const DISABLED: u8 = 0;

// c_iflag bits.
pub const IGNBRK: u32 = 0x0001;
pub const BRKINT: u32 = 0x0002;
pub const IGNPAR: u32 = 0x0004;
pub const PARMRK: u32 = 0x0008;
pub const INPCK: u32 = 0x0010;
pub const ISTRIP: u32 = 0x0020;
pub const INLCR: u32 = 0x0040;
pub const IGNCR: u32 = 0x0080;
pub const ICRNL: u32 = 0x0100;
pub const IUCLC: u32 = 0x0200;
pub const IXON: u32 = 0x0400;
pub const IXANY: u32 = 0x0800;
pub const IXOFF: u32 = 0x1000;
pub const IMAXBEL: u32 = 0x2000;
pub const IUTF8: u32 = 0x4000;

// c_oflag bits.
pub const OPOST: u32 = 0x0001;
pub const OLCUC: u32 = 0x0002;
pub const ONLCR: u32 = 0x0004;
pub const OCRNL: u32 = 0x0008;
pub const ONOCR: u32 = 0x0010;
pub const ONLRET: u32 = 0x0020;
pub const OFILL: u32 = 0x0040;
pub const OFDEL: u32 = 0x0080;
pub const NLDLY: u32 = 0x0100;
pub const NL0: u32 = 0x0000;
pub const NL1: u32 = 0x0100;
pub const CRDLY: u32 = 0x0600;
pub const CR0: u32 = 0x0000;
pub const CR1: u32 = 0x0200;
pub const CR2: u32 = 0x0400;
pub const CR3: u32 = 0x0600;
pub const TABDLY: u32 = 0x1800;
pub const TAB0: u32 = 0x0000;
pub const TAB1: u32 = 0x0800;
pub const TAB2: u32 = 0x1000;
pub const TAB3: u32 = 0x1800;
/// Expand tabs to spaces on output (the same value as `TAB3`).
pub const XTABS: u32 = 0x1800;
pub const BSDLY: u32 = 0x2000;
pub const BS0: u32 = 0x0000;
pub const BS1: u32 = 0x2000;
pub const VTDLY: u32 = 0x4000;
pub const VT0: u32 = 0x0000;
pub const VT1: u32 = 0x4000;
pub const FFDLY: u32 = 0x8000;
pub const FF0: u32 = 0x0000;
pub const FF1: u32 = 0x8000;

// c_cflag bits.
pub const CBAUD: u32 = 0x0000_100f;
pub const B0: u32 = 0x0000_0000;
pub const B50: u32 = 0x0000_0001;
pub const B75: u32 = 0x0000_0002;
pub const B110: u32 = 0x0000_0003;
pub const B134: u32 = 0x0000_0004;
pub const B150: u32 = 0x0000_0005;
pub const B200: u32 = 0x0000_0006;
pub const B300: u32 = 0x0000_0007;
pub const B600: u32 = 0x0000_0008;
pub const B1200: u32 = 0x0000_0009;
pub const B1800: u32 = 0x0000_000a;
pub const B2400: u32 = 0x0000_000b;
pub const B4800: u32 = 0x0000_000c;
pub const B9600: u32 = 0x0000_000d;
pub const B19200: u32 = 0x0000_000e;
pub const B38400: u32 = 0x0000_000f;
pub const CSIZE: u32 = 0x0000_0030;
pub const CS5: u32 = 0x0000_0000;
pub const CS6: u32 = 0x0000_0010;
pub const CS7: u32 = 0x0000_0020;
pub const CS8: u32 = 0x0000_0030;
pub const CSTOPB: u32 = 0x0000_0040;
pub const CREAD: u32 = 0x0000_0080;
pub const PARENB: u32 = 0x0000_0100;
pub const PARODD: u32 = 0x0000_0200;
pub const HUPCL: u32 = 0x0000_0400;
pub const CLOCAL: u32 = 0x0000_0800;
pub const CBAUDEX: u32 = 0x0000_1000;
/// Custom speed in `termios2` (the same value as `CBAUDEX`).
pub const BOTHER: u32 = 0x0000_1000;
pub const B57600: u32 = 0x0000_1001;
pub const B115200: u32 = 0x0000_1002;
pub const B230400: u32 = 0x0000_1003;
pub const B460800: u32 = 0x0000_1004;
pub const B500000: u32 = 0x0000_1005;
pub const B576000: u32 = 0x0000_1006;
pub const B921600: u32 = 0x0000_1007;
pub const B1000000: u32 = 0x0000_1008;
pub const B1152000: u32 = 0x0000_1009;
pub const B1500000: u32 = 0x0000_100a;
pub const B2000000: u32 = 0x0000_100b;
pub const B2500000: u32 = 0x0000_100c;
pub const B3000000: u32 = 0x0000_100d;
pub const B3500000: u32 = 0x0000_100e;
pub const B4000000: u32 = 0x0000_100f;
/// The input speed, `CBAUD` shifted left by [`IBSHIFT`].
pub const CIBAUD: u32 = 0x100f_0000;
pub const IBSHIFT: u32 = 16;
pub const ADDRB: u32 = 0x2000_0000;
pub const CMSPAR: u32 = 0x4000_0000;
pub const CRTSCTS: u32 = 0x8000_0000;

// c_lflag bits.
pub const ISIG: u32 = 0x0_0001;
pub const ICANON: u32 = 0x0_0002;
pub const XCASE: u32 = 0x0_0004;
pub const ECHO: u32 = 0x0_0008;
pub const ECHOE: u32 = 0x0_0010;
pub const ECHOK: u32 = 0x0_0020;
pub const ECHONL: u32 = 0x0_0040;
pub const NOFLSH: u32 = 0x0_0080;
pub const TOSTOP: u32 = 0x0_0100;
pub const ECHOCTL: u32 = 0x0_0200;
pub const ECHOPRT: u32 = 0x0_0400;
pub const ECHOKE: u32 = 0x0_0800;
pub const FLUSHO: u32 = 0x0_1000;
pub const PENDIN: u32 = 0x0_4000;
pub const IEXTEN: u32 = 0x0_8000;
pub const EXTPROC: u32 = 0x1_0000;

// tcsetattr actions (TCSETS, TCSETSW, TCSETSF are these plus the ioctl base).
pub const TCSANOW: u32 = 0;
pub const TCSADRAIN: u32 = 1;
pub const TCSAFLUSH: u32 = 2;

// tcflow actions (TCXONC).
pub const TCOOFF: u32 = 0;
pub const TCOON: u32 = 1;
pub const TCIOFF: u32 = 2;
pub const TCION: u32 = 3;

// tcflush queue selectors (TCFLSH).
pub const TCIFLUSH: u32 = 0;
pub const TCOFLUSH: u32 = 1;
pub const TCIOFLUSH: u32 = 2;

/// A terminal's settings: four flag words, the line discipline number and
/// the control characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termios {
    pub iflag: u32,
    pub oflag: u32,
    pub cflag: u32,
    pub lflag: u32,
    pub line: u8,
    pub cc: [u8; NCCS],
}

impl Termios {
    /// Linux's defaults for a freshly opened terminal (`tty_std_termios`):
    /// cooked mode with echo, signals and XON/XOFF, `\n` sent as `\r\n`.
    pub const fn default_console() -> Self {
        let mut cc = [DISABLED; NCCS];
        cc[VINTR] = 0x03; // ^C
        cc[VQUIT] = 0x1c; // ^\
        cc[VERASE] = 0x7f; // DEL
        cc[VKILL] = 0x15; // ^U
        cc[VEOF] = 0x04; // ^D
        cc[VTIME] = 0;
        cc[VMIN] = 1;
        cc[VSTART] = 0x11; // ^Q
        cc[VSTOP] = 0x13; // ^S
        cc[VSUSP] = 0x1a; // ^Z
        cc[VREPRINT] = 0x12; // ^R
        cc[VDISCARD] = 0x0f; // ^O
        cc[VWERASE] = 0x17; // ^W
        cc[VLNEXT] = 0x16; // ^V
        Termios {
            iflag: ICRNL | IXON,
            oflag: OPOST | ONLCR,
            cflag: B38400 | CS8 | CREAD | HUPCL,
            lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            line: 0,
            cc,
        }
    }

    /// What `cfmakeraw` produces from `self`: no input or output
    /// processing, no echo, no signals, 8-bit characters, and reads that
    /// return as soon as one byte is there.
    pub const fn make_raw(mut self) -> Self {
        self.iflag &= !(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        self.oflag &= !OPOST;
        self.lflag &= !(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        self.cflag &= !(CSIZE | PARENB);
        self.cflag |= CS8;
        self.cc[VMIN] = 1;
        self.cc[VTIME] = 0;
        self
    }

    /// Whether input is assembled into lines (`ICANON`).
    pub const fn is_canonical(&self) -> bool {
        self.lflag & ICANON != 0
    }

    /// Whether control character `index` is set to `byte` (a disabled
    /// entry never matches, not even a NUL byte).
    pub const fn is_char(&self, index: usize, byte: u8) -> bool {
        self.cc[index] != DISABLED && self.cc[index] == byte
    }

    pub(crate) const fn iflag(&self, bits: u32) -> bool {
        self.iflag & bits != 0
    }

    pub(crate) const fn oflag(&self, bits: u32) -> bool {
        self.oflag & bits != 0
    }

    pub(crate) const fn lflag(&self, bits: u32) -> bool {
        self.lflag & bits != 0
    }
}

impl Default for Termios {
    fn default() -> Self {
        Self::default_console()
    }
}
