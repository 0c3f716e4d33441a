//! `ioctl` request numbers for terminals and generic files
//! (`asm-generic/ioctl.h`, `asm-generic/ioctls.h`; x86_64 uses both as is).
//!
//! The classic terminal requests are bare numbers `0x54xx` ('T' << 8 | nr)
//! from before Linux encoded direction and size; newer ones use the
//! `_IOC(dir, type, nr, size)` encoding that [`ioc`] builds.

/// `_IOC_NONE`: no data transferred.
pub const IOC_NONE: u32 = 0;
/// `_IOC_WRITE`: user space writes (the kernel reads) the argument.
pub const IOC_WRITE: u32 = 1;
/// `_IOC_READ`: the kernel writes the argument back to user space.
pub const IOC_READ: u32 = 2;

pub const IOC_NRBITS: u32 = 8;
pub const IOC_TYPEBITS: u32 = 8;
pub const IOC_SIZEBITS: u32 = 14;
pub const IOC_DIRBITS: u32 = 2;
pub const IOC_NRSHIFT: u32 = 0;
pub const IOC_TYPESHIFT: u32 = IOC_NRSHIFT + IOC_NRBITS;
pub const IOC_SIZESHIFT: u32 = IOC_TYPESHIFT + IOC_TYPEBITS;
pub const IOC_DIRSHIFT: u32 = IOC_SIZESHIFT + IOC_SIZEBITS;

/// `_IOC(dir, type, nr, size)`.
pub const fn ioc(dir: u32, ty: u8, nr: u8, size: u32) -> u32 {
    (dir << IOC_DIRSHIFT) | ((ty as u32) << IOC_TYPESHIFT) | ((nr as u32) << IOC_NRSHIFT) | (size << IOC_SIZESHIFT)
}
/// `_IO(type, nr)`.
pub const fn io(ty: u8, nr: u8) -> u32 {
    ioc(IOC_NONE, ty, nr, 0)
}
/// `_IOR(type, nr, size)`: the kernel fills `size` bytes.
pub const fn ior(ty: u8, nr: u8, size: u32) -> u32 {
    ioc(IOC_READ, ty, nr, size)
}
/// `_IOW(type, nr, size)`: the kernel reads `size` bytes.
pub const fn iow(ty: u8, nr: u8, size: u32) -> u32 {
    ioc(IOC_WRITE, ty, nr, size)
}
/// `_IOWR(type, nr, size)`.
pub const fn iowr(ty: u8, nr: u8, size: u32) -> u32 {
    ioc(IOC_READ | IOC_WRITE, ty, nr, size)
}
/// `_IOC_DIR(cmd)`.
pub const fn ioc_dir(cmd: u32) -> u32 {
    (cmd >> IOC_DIRSHIFT) & ((1 << IOC_DIRBITS) - 1)
}
/// `_IOC_TYPE(cmd)`.
pub const fn ioc_type(cmd: u32) -> u8 {
    (cmd >> IOC_TYPESHIFT) as u8
}
/// `_IOC_NR(cmd)`.
pub const fn ioc_nr(cmd: u32) -> u8 {
    (cmd >> IOC_NRSHIFT) as u8
}
/// `_IOC_SIZE(cmd)`.
pub const fn ioc_size(cmd: u32) -> u32 {
    (cmd >> IOC_SIZESHIFT) & ((1 << IOC_SIZEBITS) - 1)
}

const T: u8 = b'T';
const TERMIOS2_SIZE: u32 = crate::termios::Termios2::SIZE as u32;

pub const TCGETS: u32 = 0x5401;
pub const TCSETS: u32 = 0x5402;
/// Set after output drains (`tcsetattr(TCSADRAIN)`).
pub const TCSETSW: u32 = 0x5403;
/// Drain output, discard input, then set (`tcsetattr(TCSAFLUSH)`).
pub const TCSETSF: u32 = 0x5404;
/// The SysV `struct termio` variants; rarely used.
/// _IOR('R', 0x00, int): the entropy count of /dev/random.
pub const RNDGETENTCNT: u32 = 0x8004_5200;
pub const TCGETA: u32 = 0x5405;
pub const TCSETA: u32 = 0x5406;
pub const TCSETAW: u32 = 0x5407;
pub const TCSETAF: u32 = 0x5408;
pub const TCSBRK: u32 = 0x5409;
pub const TCXONC: u32 = 0x540A;
pub const TCFLSH: u32 = 0x540B;
pub const TIOCEXCL: u32 = 0x540C;
pub const TIOCNXCL: u32 = 0x540D;
pub const TIOCSCTTY: u32 = 0x540E;
pub const TIOCGPGRP: u32 = 0x540F;
pub const TIOCSPGRP: u32 = 0x5410;
pub const TIOCOUTQ: u32 = 0x5411;
/// Whether a stream socket's reading is at its urgent mark (an int).
pub const SIOCATMARK: u32 = 0x8905;
pub const TIOCSTI: u32 = 0x5412;
pub const TIOCGWINSZ: u32 = 0x5413;
pub const TIOCSWINSZ: u32 = 0x5414;
pub const TIOCMGET: u32 = 0x5415;
pub const TIOCMBIS: u32 = 0x5416;
pub const TIOCMBIC: u32 = 0x5417;
pub const TIOCMSET: u32 = 0x5418;
pub const TIOCGSOFTCAR: u32 = 0x5419;
pub const TIOCSSOFTCAR: u32 = 0x541A;
/// Bytes available to read; works on pipes and sockets too.
pub const FIONREAD: u32 = 0x541B;
pub const TIOCINQ: u32 = FIONREAD;
pub const TIOCLINUX: u32 = 0x541C;
pub const TIOCCONS: u32 = 0x541D;
pub const TIOCGSERIAL: u32 = 0x541E;
pub const TIOCSSERIAL: u32 = 0x541F;
pub const TIOCPKT: u32 = 0x5420;
/// Set or clear `O_NONBLOCK` from an `int` argument.
pub const FIONBIO: u32 = 0x5421;
pub const TIOCNOTTY: u32 = 0x5422;
pub const TIOCSETD: u32 = 0x5423;
pub const TIOCGETD: u32 = 0x5424;
pub const TCSBRKP: u32 = 0x5425;
pub const TIOCSBRK: u32 = 0x5427;
pub const TIOCCBRK: u32 = 0x5428;
pub const TIOCGSID: u32 = 0x5429;
pub const TCGETS2: u32 = ior(T, 0x2A, TERMIOS2_SIZE);
pub const TCSETS2: u32 = iow(T, 0x2B, TERMIOS2_SIZE);
pub const TCSETSW2: u32 = iow(T, 0x2C, TERMIOS2_SIZE);
pub const TCSETSF2: u32 = iow(T, 0x2D, TERMIOS2_SIZE);
pub const TIOCGRS485: u32 = 0x542E;
pub const TIOCSRS485: u32 = 0x542F;
/// The pty number of a `/dev/ptmx` master (`unsigned int` out).
pub const TIOCGPTN: u32 = ior(T, 0x30, 4);
/// Lock or unlock the pty slave (`int` in); `unlockpt` uses it.
pub const TIOCSPTLCK: u32 = iow(T, 0x31, 4);
pub const TIOCGDEV: u32 = ior(T, 0x32, 4);
pub const TCGETX: u32 = 0x5432;
pub const TCSETX: u32 = 0x5433;
pub const TCSETXF: u32 = 0x5434;
pub const TCSETXW: u32 = 0x5435;
pub const TIOCSIG: u32 = iow(T, 0x36, 4);
pub const TIOCVHANGUP: u32 = 0x5437;
pub const TIOCGPKT: u32 = ior(T, 0x38, 4);
pub const TIOCGPTLCK: u32 = ior(T, 0x39, 4);
pub const TIOCGEXCL: u32 = ior(T, 0x40, 4);
/// Open the slave of a pty master and return its fd.
pub const TIOCGPTPEER: u32 = io(T, 0x41);

pub const FIONCLEX: u32 = 0x5450;
pub const FIOCLEX: u32 = 0x5451;
pub const FIOASYNC: u32 = 0x5452;
pub const TIOCSERCONFIG: u32 = 0x5453;
pub const TIOCSERGWILD: u32 = 0x5454;
pub const TIOCSERSWILD: u32 = 0x5455;
pub const TIOCGLCKTRMIOS: u32 = 0x5456;
pub const TIOCSLCKTRMIOS: u32 = 0x5457;
pub const TIOCSERGSTRUCT: u32 = 0x5458;
pub const TIOCSERGETLSR: u32 = 0x5459;
pub const TIOCSERGETMULTI: u32 = 0x545A;
pub const TIOCSERSETMULTI: u32 = 0x545B;
pub const TIOCMIWAIT: u32 = 0x545C;
pub const TIOCGICOUNT: u32 = 0x545D;
pub const FIOQSIZE: u32 = 0x5460;

// TIOCPKT packet-mode status bytes.
pub const TIOCPKT_DATA: u8 = 0;
pub const TIOCPKT_FLUSHREAD: u8 = 1;
pub const TIOCPKT_FLUSHWRITE: u8 = 2;
pub const TIOCPKT_STOP: u8 = 4;
pub const TIOCPKT_START: u8 = 8;
pub const TIOCPKT_NOSTOP: u8 = 16;
pub const TIOCPKT_DOSTOP: u8 = 32;
pub const TIOCPKT_IOCTL: u8 = 64;

/// `TIOCSER_TEMT`: transmitter empty, from `TIOCSERGETLSR`.
pub const TIOCSER_TEMT: u32 = 0x01;

// Generic file ioctls from linux/fs.h that busybox and libc issue.
/// `FIGETBSZ`: the file system block size (`_IO(0x00, 2)`).
pub const FIGETBSZ: u32 = io(0, 2);
/// `FICLONE`: reflink a whole file (`_IOW(0x94, 9, int)`).
pub const FICLONE: u32 = iow(0x94, 9, 4);

/// The name of a request number, for traces and "unsupported ioctl" reports.
pub fn ioctl_name(cmd: u32) -> Option<&'static str> {
    Some(match cmd {
        TCGETS => "TCGETS",
        TCSETS => "TCSETS",
        TCSETSW => "TCSETSW",
        TCSETSF => "TCSETSF",
        TCGETA => "TCGETA",
        TCSETA => "TCSETA",
        TCSETAW => "TCSETAW",
        TCSETAF => "TCSETAF",
        TCSBRK => "TCSBRK",
        TCXONC => "TCXONC",
        TCFLSH => "TCFLSH",
        TIOCEXCL => "TIOCEXCL",
        TIOCNXCL => "TIOCNXCL",
        TIOCSCTTY => "TIOCSCTTY",
        TIOCGPGRP => "TIOCGPGRP",
        TIOCSPGRP => "TIOCSPGRP",
        TIOCOUTQ => "TIOCOUTQ",
        SIOCATMARK => "SIOCATMARK",
        TIOCSTI => "TIOCSTI",
        TIOCGWINSZ => "TIOCGWINSZ",
        TIOCSWINSZ => "TIOCSWINSZ",
        TIOCMGET => "TIOCMGET",
        TIOCMBIS => "TIOCMBIS",
        TIOCMBIC => "TIOCMBIC",
        TIOCMSET => "TIOCMSET",
        TIOCGSOFTCAR => "TIOCGSOFTCAR",
        TIOCSSOFTCAR => "TIOCSSOFTCAR",
        FIONREAD => "FIONREAD",
        TIOCLINUX => "TIOCLINUX",
        TIOCCONS => "TIOCCONS",
        TIOCGSERIAL => "TIOCGSERIAL",
        TIOCSSERIAL => "TIOCSSERIAL",
        TIOCPKT => "TIOCPKT",
        FIONBIO => "FIONBIO",
        TIOCNOTTY => "TIOCNOTTY",
        TIOCSETD => "TIOCSETD",
        TIOCGETD => "TIOCGETD",
        TCSBRKP => "TCSBRKP",
        TIOCSBRK => "TIOCSBRK",
        TIOCCBRK => "TIOCCBRK",
        TIOCGSID => "TIOCGSID",
        TCGETS2 => "TCGETS2",
        TCSETS2 => "TCSETS2",
        TCSETSW2 => "TCSETSW2",
        TCSETSF2 => "TCSETSF2",
        TIOCGRS485 => "TIOCGRS485",
        TIOCSRS485 => "TIOCSRS485",
        TIOCGPTN => "TIOCGPTN",
        TIOCSPTLCK => "TIOCSPTLCK",
        TIOCGDEV => "TIOCGDEV",
        TCGETX => "TCGETX",
        TCSETX => "TCSETX",
        TCSETXF => "TCSETXF",
        TCSETXW => "TCSETXW",
        TIOCSIG => "TIOCSIG",
        TIOCVHANGUP => "TIOCVHANGUP",
        TIOCGPKT => "TIOCGPKT",
        TIOCGPTLCK => "TIOCGPTLCK",
        TIOCGEXCL => "TIOCGEXCL",
        TIOCGPTPEER => "TIOCGPTPEER",
        FIONCLEX => "FIONCLEX",
        FIOCLEX => "FIOCLEX",
        FIOASYNC => "FIOASYNC",
        TIOCSERCONFIG => "TIOCSERCONFIG",
        TIOCSERGWILD => "TIOCSERGWILD",
        TIOCSERSWILD => "TIOCSERSWILD",
        TIOCGLCKTRMIOS => "TIOCGLCKTRMIOS",
        TIOCSLCKTRMIOS => "TIOCSLCKTRMIOS",
        TIOCSERGSTRUCT => "TIOCSERGSTRUCT",
        TIOCSERGETLSR => "TIOCSERGETLSR",
        TIOCSERGETMULTI => "TIOCSERGETMULTI",
        TIOCSERSETMULTI => "TIOCSERSETMULTI",
        TIOCMIWAIT => "TIOCMIWAIT",
        TIOCGICOUNT => "TIOCGICOUNT",
        FIOQSIZE => "FIOQSIZE",
        FIGETBSZ => "FIGETBSZ",
        FICLONE => "FICLONE",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_requests() {
        assert_eq!(TCGETS2, 0x802C_542A);
        assert_eq!(TCSETS2, 0x402C_542B);
        assert_eq!(TIOCGPTN, 0x8004_5430);
        assert_eq!(TIOCSPTLCK, 0x4004_5431);
        assert_eq!(TIOCGPTPEER, 0x5441);
        assert_eq!(ioc_dir(TIOCGPTN), IOC_READ);
        assert_eq!(ioc_type(TIOCGPTN), b'T');
        assert_eq!(ioc_nr(TIOCGPTN), 0x30);
        assert_eq!(ioc_size(TCSETS2), 44);
        assert_eq!(iowr(b'X', 1, 8), 0xC008_5801);
    }

    #[test]
    fn names() {
        assert_eq!(ioctl_name(TCGETS), Some("TCGETS"));
        assert_eq!(ioctl_name(0x5401), Some("TCGETS"));
        assert_eq!(ioctl_name(TIOCINQ), Some("FIONREAD"));
        assert_eq!(ioctl_name(0xdead_beef), None);
    }
}
