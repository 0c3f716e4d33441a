//! NetBSD's `struct termios`: the 4.4BSD layout shared with the other
//! BSD (`tty::bsd_termios`, which translates it to and from the line
//! discipline's settings flag by flag, and says what each side lacks),
//! with NetBSD's hardware flow-control bits.

pub use tty::bsd_termios::SIZE;
/// c_cc[7] is a spare on NetBSD (FreeBSD's VERASE2).
#[cfg(test)]
pub use tty::bsd_termios::VERASE2 as SPARE1;
#[cfg(test)]
pub use tty::bsd_termios::{CIGNORE, VDISABLE, VDSUSP, VEOF, VERASE, VINTR, VMIN, VQUIT, VSTATUS, VTIME};

/// CRTSCTS: one bit (CRTS_IFLOW and CCTS_OFLOW are its aliases; sys/sys/termios.h).
const LAYOUT: tty::bsd_termios::BsdTermios = tty::bsd_termios::BsdTermios { crtscts: 0x1_0000 };

/// What TIOCGETA gives a NetBSD program.
pub fn encode(t: &tty::Termios) -> [u8; SIZE] {
    LAYOUT.encode(t)
}

/// What TIOCSETA asks for, applied over the terminal's `current`
/// settings; None (EINVAL) for a speed the discipline has no code for.
pub fn decode(b: &[u8; SIZE], current: &tty::Termios) -> Option<tty::Termios> {
    LAYOUT.decode(b, current)
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
