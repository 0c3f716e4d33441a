//! The Linux personality's terminal attributes: Linux's `struct termios`
//! (its layout in `linux_abi::termios`) to and from the line discipline's
//! settings (`tty::Termios`), which are the core's and no OS's.
//!
//! The discipline numbers its flags and `c_cc` entries as Linux does (Linux
//! was its model), so for this personality the translation is a copy, field
//! by field. The assertions below break the build if either side ever
//! changes a value; a personality whose OS numbers them differently (the
//! BSDs) maps them flag by flag instead.

use linux_abi::termios as lt;

/// What `TCGETS` gives a Linux program.
pub fn to_linux(t: &tty::Termios) -> lt::Termios {
    lt::Termios { c_iflag: t.iflag, c_oflag: t.oflag, c_cflag: t.cflag, c_lflag: t.lflag, c_line: t.line, c_cc: t.cc }
}

/// What a Linux program's `TCSETS` asks for.
pub fn from_linux(t: &lt::Termios) -> tty::Termios {
    tty::Termios { iflag: t.c_iflag, oflag: t.c_oflag, cflag: t.c_cflag, lflag: t.c_lflag, line: t.c_line, cc: t.c_cc }
}

// Every value both sides name is the same (139 of them).
const _: () = {
    assert!(tty::NCCS == lt::NCCS);
    assert!(tty::VINTR == lt::VINTR);
    assert!(tty::VQUIT == lt::VQUIT);
    assert!(tty::VERASE == lt::VERASE);
    assert!(tty::VKILL == lt::VKILL);
    assert!(tty::VEOF == lt::VEOF);
    assert!(tty::VTIME == lt::VTIME);
    assert!(tty::VMIN == lt::VMIN);
    assert!(tty::VSWTC == lt::VSWTC);
    assert!(tty::VSTART == lt::VSTART);
    assert!(tty::VSTOP == lt::VSTOP);
    assert!(tty::VSUSP == lt::VSUSP);
    assert!(tty::VEOL == lt::VEOL);
    assert!(tty::VREPRINT == lt::VREPRINT);
    assert!(tty::VDISCARD == lt::VDISCARD);
    assert!(tty::VWERASE == lt::VWERASE);
    assert!(tty::VLNEXT == lt::VLNEXT);
    assert!(tty::VEOL2 == lt::VEOL2);
    assert!(tty::IGNBRK == lt::IGNBRK);
    assert!(tty::BRKINT == lt::BRKINT);
    assert!(tty::IGNPAR == lt::IGNPAR);
    assert!(tty::PARMRK == lt::PARMRK);
    assert!(tty::INPCK == lt::INPCK);
    assert!(tty::ISTRIP == lt::ISTRIP);
    assert!(tty::INLCR == lt::INLCR);
    assert!(tty::IGNCR == lt::IGNCR);
    assert!(tty::ICRNL == lt::ICRNL);
    assert!(tty::IUCLC == lt::IUCLC);
    assert!(tty::IXON == lt::IXON);
    assert!(tty::IXANY == lt::IXANY);
    assert!(tty::IXOFF == lt::IXOFF);
    assert!(tty::IMAXBEL == lt::IMAXBEL);
    assert!(tty::IUTF8 == lt::IUTF8);
    assert!(tty::OPOST == lt::OPOST);
    assert!(tty::OLCUC == lt::OLCUC);
    assert!(tty::ONLCR == lt::ONLCR);
    assert!(tty::OCRNL == lt::OCRNL);
    assert!(tty::ONOCR == lt::ONOCR);
    assert!(tty::ONLRET == lt::ONLRET);
    assert!(tty::OFILL == lt::OFILL);
    assert!(tty::OFDEL == lt::OFDEL);
    assert!(tty::NLDLY == lt::NLDLY);
    assert!(tty::NL0 == lt::NL0);
    assert!(tty::NL1 == lt::NL1);
    assert!(tty::CRDLY == lt::CRDLY);
    assert!(tty::CR0 == lt::CR0);
    assert!(tty::CR1 == lt::CR1);
    assert!(tty::CR2 == lt::CR2);
    assert!(tty::CR3 == lt::CR3);
    assert!(tty::TABDLY == lt::TABDLY);
    assert!(tty::TAB0 == lt::TAB0);
    assert!(tty::TAB1 == lt::TAB1);
    assert!(tty::TAB2 == lt::TAB2);
    assert!(tty::TAB3 == lt::TAB3);
    assert!(tty::XTABS == lt::XTABS);
    assert!(tty::BSDLY == lt::BSDLY);
    assert!(tty::BS0 == lt::BS0);
    assert!(tty::BS1 == lt::BS1);
    assert!(tty::VTDLY == lt::VTDLY);
    assert!(tty::VT0 == lt::VT0);
    assert!(tty::VT1 == lt::VT1);
    assert!(tty::FFDLY == lt::FFDLY);
    assert!(tty::FF0 == lt::FF0);
    assert!(tty::FF1 == lt::FF1);
    assert!(tty::CBAUD == lt::CBAUD);
    assert!(tty::B0 == lt::B0);
    assert!(tty::B50 == lt::B50);
    assert!(tty::B75 == lt::B75);
    assert!(tty::B110 == lt::B110);
    assert!(tty::B134 == lt::B134);
    assert!(tty::B150 == lt::B150);
    assert!(tty::B200 == lt::B200);
    assert!(tty::B300 == lt::B300);
    assert!(tty::B600 == lt::B600);
    assert!(tty::B1200 == lt::B1200);
    assert!(tty::B1800 == lt::B1800);
    assert!(tty::B2400 == lt::B2400);
    assert!(tty::B4800 == lt::B4800);
    assert!(tty::B9600 == lt::B9600);
    assert!(tty::B19200 == lt::B19200);
    assert!(tty::B38400 == lt::B38400);
    assert!(tty::CSIZE == lt::CSIZE);
    assert!(tty::CS5 == lt::CS5);
    assert!(tty::CS6 == lt::CS6);
    assert!(tty::CS7 == lt::CS7);
    assert!(tty::CS8 == lt::CS8);
    assert!(tty::CSTOPB == lt::CSTOPB);
    assert!(tty::CREAD == lt::CREAD);
    assert!(tty::PARENB == lt::PARENB);
    assert!(tty::PARODD == lt::PARODD);
    assert!(tty::HUPCL == lt::HUPCL);
    assert!(tty::CLOCAL == lt::CLOCAL);
    assert!(tty::CBAUDEX == lt::CBAUDEX);
    assert!(tty::BOTHER == lt::BOTHER);
    assert!(tty::B57600 == lt::B57600);
    assert!(tty::B115200 == lt::B115200);
    assert!(tty::B230400 == lt::B230400);
    assert!(tty::B460800 == lt::B460800);
    assert!(tty::B500000 == lt::B500000);
    assert!(tty::B576000 == lt::B576000);
    assert!(tty::B921600 == lt::B921600);
    assert!(tty::B1000000 == lt::B1000000);
    assert!(tty::B1152000 == lt::B1152000);
    assert!(tty::B1500000 == lt::B1500000);
    assert!(tty::B2000000 == lt::B2000000);
    assert!(tty::B2500000 == lt::B2500000);
    assert!(tty::B3000000 == lt::B3000000);
    assert!(tty::B3500000 == lt::B3500000);
    assert!(tty::B4000000 == lt::B4000000);
    assert!(tty::CIBAUD == lt::CIBAUD);
    assert!(tty::IBSHIFT == lt::IBSHIFT);
    assert!(tty::CMSPAR == lt::CMSPAR);
    assert!(tty::CRTSCTS == lt::CRTSCTS);
    assert!(tty::ISIG == lt::ISIG);
    assert!(tty::ICANON == lt::ICANON);
    assert!(tty::XCASE == lt::XCASE);
    assert!(tty::ECHO == lt::ECHO);
    assert!(tty::ECHOE == lt::ECHOE);
    assert!(tty::ECHOK == lt::ECHOK);
    assert!(tty::ECHONL == lt::ECHONL);
    assert!(tty::NOFLSH == lt::NOFLSH);
    assert!(tty::TOSTOP == lt::TOSTOP);
    assert!(tty::ECHOCTL == lt::ECHOCTL);
    assert!(tty::ECHOPRT == lt::ECHOPRT);
    assert!(tty::ECHOKE == lt::ECHOKE);
    assert!(tty::FLUSHO == lt::FLUSHO);
    assert!(tty::PENDIN == lt::PENDIN);
    assert!(tty::IEXTEN == lt::IEXTEN);
    assert!(tty::EXTPROC == lt::EXTPROC);
    assert!(tty::TCSANOW == lt::TCSANOW);
    assert!(tty::TCSADRAIN == lt::TCSADRAIN);
    assert!(tty::TCSAFLUSH == lt::TCSAFLUSH);
    assert!(tty::TCOOFF == lt::TCOOFF);
    assert!(tty::TCOON == lt::TCOON);
    assert!(tty::TCIOFF == lt::TCIOFF);
    assert!(tty::TCION == lt::TCION);
    assert!(tty::TCIFLUSH == lt::TCIFLUSH);
    assert!(tty::TCOFLUSH == lt::TCOFLUSH);
    assert!(tty::TCIOFLUSH == lt::TCIOFLUSH);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_linux_bytes() {
        let mut t = tty::Termios::default_console();
        t.iflag |= tty::IUTF8;
        t.line = 3;
        t.cc[tty::VMIN] = 7;
        let bytes = to_linux(&t).to_bytes();
        assert_eq!(bytes.len(), 36, "the kernel's struct termios, not libc's");
        assert_eq!(&bytes[0..4], &(tty::ICRNL | tty::IXON | tty::IUTF8).to_le_bytes());
        assert_eq!(bytes[16], 3);
        assert_eq!(bytes[17 + tty::VMIN], 7);
        assert_eq!(from_linux(&lt::Termios::from_bytes(&bytes).unwrap()), t);
    }

    #[test]
    fn a_new_terminal_is_linuxs_sane_one() {
        assert_eq!(to_linux(&tty::Termios::default_console()), lt::Termios::SANE);
    }
}
