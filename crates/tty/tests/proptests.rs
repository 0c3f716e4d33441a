//! Property tests: no input or settings make the line discipline panic;
//! `readable`, `available` and the read calls always agree; echo only
//! shows what the user typed; canonical editing matches a simple model.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tty::*;

const IFLAGS: [u32; 15] =
    [IGNBRK, BRKINT, IGNPAR, PARMRK, INPCK, ISTRIP, INLCR, IGNCR, ICRNL, IUCLC, IXON, IXANY, IXOFF, IMAXBEL, IUTF8];
const OFLAGS: [u32; 7] = [OPOST, OLCUC, ONLCR, OCRNL, ONOCR, ONLRET, XTABS];
const LFLAGS: [u32; 12] = [ISIG, ICANON, ECHO, ECHOE, ECHOK, ECHONL, NOFLSH, TOSTOP, ECHOCTL, ECHOPRT, ECHOKE, IEXTEN];

/// Bytes that mean something to a line discipline, to make them common.
const INTERESTING: &[u8] = b"\x00\x03\x04\x08\x09\x0a\x0d\x11\x12\x13\x15\x16\x17\x1a\x1c\x7f\x80\xa9\xc3\xe2\xffa_ ";

fn flags(all: &'static [u32]) -> impl Strategy<Value = u32> {
    proptest::collection::vec(any::<bool>(), all.len())
        .prop_map(move |on| all.iter().zip(on).filter(|(_, on)| *on).fold(0, |acc, (f, _)| acc | f))
}

fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![any::<u8>(), proptest::sample::select(INTERESTING), b' '..=b'~']
}

fn termios() -> impl Strategy<Value = Termios> {
    let cc = prop_oneof![
        Just(Termios::default_console().cc),
        proptest::collection::vec(byte(), NCCS).prop_map(|v| {
            let mut cc = [0; NCCS];
            cc.copy_from_slice(&v);
            cc
        }),
    ];
    (flags(&IFLAGS), flags(&OFLAGS), flags(&LFLAGS), cc, 0u8..=5, 0u8..=5).prop_map(
        |(iflag, oflag, lflag, mut cc, min, time)| {
            cc[VMIN] = min;
            cc[VTIME] = time;
            Termios { iflag, oflag, cflag: B38400 | CS8 | CREAD, lflag, line: 0, cc }
        },
    )
}

#[derive(Debug, Clone)]
enum Op {
    Type(Vec<u8>),
    Read(usize),
    ReadTimedOut(usize),
    ReadNonblocking(usize),
    Set(Termios),
    Write(Vec<u8>),
    Flush,
    Break,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => proptest::collection::vec(byte(), 1..40).prop_map(Op::Type),
        1 => (byte(), 1usize..3000).prop_map(|(b, n)| Op::Type(vec![b; n])),
        3 => (0usize..20).prop_map(Op::Read),
        1 => (0usize..20).prop_map(Op::ReadTimedOut),
        1 => (0usize..20).prop_map(Op::ReadNonblocking),
        1 => termios().prop_map(Op::Set),
        1 => proptest::collection::vec(byte(), 0..20).prop_map(Op::Write),
        1 => Just(Op::Flush),
        1 => Just(Op::Break),
    ]
}

/// `readable`, `available`, `read_timeout` and the reads agree, checked on
/// a copy so the original is left as it was.
fn check_consistency(ld: &LineDiscipline) -> Result<(), TestCaseError> {
    let t = *ld.termios();
    let available = ld.available();
    prop_assert!(available <= CAPACITY);
    let mut big = vec![0; CAPACITY + 1];
    if t.is_canonical() {
        prop_assert_eq!(ld.read_timeout(), None);
        let mut copy = ld.clone();
        let first = copy.read(&mut big);
        prop_assert_eq!(ld.readable(), first != ReadOutcome::WouldBlock);
        // Reading every complete line yields exactly `available` bytes.
        let mut total = 0;
        let mut outcome = first;
        loop {
            match outcome {
                ReadOutcome::Data(n) => {
                    prop_assert!(n > 0);
                    total += n;
                }
                ReadOutcome::EndOfFile => {}
                ReadOutcome::WouldBlock => break,
            }
            outcome = copy.read(&mut big);
        }
        prop_assert_eq!(total, available);
        prop_assert_eq!(copy.available(), 0);
    } else {
        let (min, time) = (t.cc[VMIN] as usize, t.cc[VTIME]);
        let wanted = if time == 0 && min > 0 { min } else { 1 };
        prop_assert_eq!(ld.readable(), available >= wanted);
        prop_assert_eq!(ld.clone().read_timed_out(&mut big), ReadOutcome::Data(available));
        let expected_read = if (min == 0 && (available > 0 || time == 0)) || (min > 0 && available >= min) {
            ReadOutcome::Data(available)
        } else {
            ReadOutcome::WouldBlock
        };
        prop_assert_eq!(ld.clone().read(&mut big), expected_read);
        let timer = time > 0 && (min == 0 || available > 0);
        prop_assert_eq!(ld.read_timeout().is_some(), timer);
    }
    Ok(())
}

fn read_outcome_fits(outcome: ReadOutcome, size: usize) -> bool {
    match outcome {
        ReadOutcome::Data(n) => n <= size,
        _ => size > 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_operations_keep_the_discipline_consistent(
        start in termios(),
        ops in proptest::collection::vec(op(), 0..60),
    ) {
        let mut ld = LineDiscipline::new(start);
        for op in ops {
            match op {
                Op::Type(bytes) => {
                    for b in bytes {
                        ld.receive(b, &mut |_: &[u8]| {});
                    }
                }
                Op::Read(size) => {
                    let mut buf = vec![0; size];
                    let outcome = ld.read(&mut buf);
                    prop_assert!(read_outcome_fits(outcome, size));
                }
                Op::ReadTimedOut(size) => {
                    let mut buf = vec![0; size];
                    let outcome = ld.read_timed_out(&mut buf);
                    prop_assert!(read_outcome_fits(outcome, size));
                }
                Op::ReadNonblocking(size) => {
                    let mut buf = vec![0; size];
                    let outcome = ld.read_nonblocking(&mut buf);
                    prop_assert!(read_outcome_fits(outcome, size));
                }
                Op::Set(t) => ld.set_termios(t),
                Op::Write(data) => {
                    let mut out = Vec::new();
                    ld.process_output(&data, &mut |b: &[u8]| out.extend_from_slice(b));
                    if ld.termios().oflag & OPOST == 0 {
                        prop_assert_eq!(out, data);
                    }
                }
                Op::Flush => {
                    ld.flush_input();
                    prop_assert_eq!(ld.available(), 0);
                }
                Op::Break => {
                    ld.receive_break();
                }
            }
            check_consistency(&ld)?;
        }
    }

    /// Every echoed byte is one the user typed, a rendering of one (`^X`,
    /// case mapping), or part of the fixed editing vocabulary; with ECHO
    /// and ECHONL off, the only possible echo is the IMAXBEL beep.
    #[test]
    fn echo_only_shows_what_the_user_caused(
        t in termios(),
        input in proptest::collection::vec(byte(), 0..400),
    ) {
        let mut ld = LineDiscipline::new(t);
        let mut allowed: BTreeSet<u8> = b"^\x08 \r\n\\/".iter().copied().collect();
        if t.iflag & IMAXBEL != 0 {
            allowed.insert(0x07);
        }
        let quiet = t.lflag & (ECHO | ECHONL) == 0;
        for b in input {
            // INLCR and ICRNL swap the two line-ending characters.
            let swapped = match b & 0x7f {
                b'\r' => b'\n',
                b'\n' => b'\r',
                other => other,
            };
            for c in [b, b & 0x7f, swapped] {
                for d in [c, c.to_ascii_lowercase(), c.to_ascii_uppercase()] {
                    allowed.insert(d);
                    if d < 0x20 || d == 0x7f {
                        allowed.insert(d ^ 0x40);
                    }
                }
            }
            let mut echo = Vec::new();
            ld.receive(b, &mut |e: &[u8]| echo.extend_from_slice(e));
            for e in &echo {
                prop_assert!(allowed.contains(e), "echoed {:#04x} for input {:#04x}", e, b);
                if quiet {
                    prop_assert_eq!(*e, 0x07);
                }
            }
        }
    }

    /// Plain printable text echoes as itself and reads back as typed.
    #[test]
    fn printable_text_echoes_verbatim(text in "[ -~]{0,300}") {
        let mut ld = LineDiscipline::new(Termios::default_console());
        let mut echo = Vec::new();
        for &b in text.as_bytes().iter().chain(b"\r") {
            prop_assert_eq!(ld.receive(b, &mut |e: &[u8]| echo.extend_from_slice(e)), None);
        }
        let mut expected = text.as_bytes().to_vec();
        expected.extend_from_slice(b"\r\n");
        prop_assert_eq!(echo, expected);
        let mut buf = [0; 400];
        let n = match ld.read(&mut buf) {
            ReadOutcome::Data(n) => n,
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!(&buf[..n - 1], text.as_bytes());
        prop_assert_eq!(buf[n - 1], b'\n');
    }

    /// Canonical editing with Linux's defaults against a model of lines.
    #[test]
    fn canonical_editing_matches_a_model(
        keys in proptest::collection::vec(
            proptest::sample::select(b"ab_ 1.\x7f\x15\x17\r\x04\x03".as_slice()), 0..300),
    ) {
        let mut ld = LineDiscipline::new(Termios::default_console());
        let mut lines: Vec<Option<Vec<u8>>> = Vec::new(); // None: end-of-file
        let mut current: Vec<u8> = Vec::new();
        let mut expected_echo = Vec::new();
        let mut echo = Vec::new();
        for &k in &keys {
            match k {
                0x7f => {
                    if current.pop().is_some() {
                        expected_echo.extend_from_slice(b"\x08 \x08");
                    }
                }
                0x15 => {
                    expected_echo.extend(b"\x08 \x08".repeat(current.len()));
                    current.clear();
                }
                0x17 => {
                    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
                    let mut erased = 0;
                    while current.last().is_some_and(|&c| !is_word(c)) {
                        current.pop();
                        erased += 1;
                    }
                    while current.last().is_some_and(|&c| is_word(c)) {
                        current.pop();
                        erased += 1;
                    }
                    expected_echo.extend(b"\x08 \x08".repeat(erased));
                }
                b'\r' => {
                    current.push(b'\n');
                    lines.push(Some(std::mem::take(&mut current)));
                    expected_echo.extend_from_slice(b"\r\n");
                }
                0x04 => {
                    if current.is_empty() {
                        lines.push(None);
                    } else {
                        lines.push(Some(std::mem::take(&mut current)));
                    }
                }
                0x03 => {
                    lines.clear();
                    current.clear();
                    expected_echo.extend_from_slice(b"^C");
                }
                c => {
                    current.push(c);
                    expected_echo.push(c);
                }
            }
            ld.receive(k, &mut |e: &[u8]| echo.extend_from_slice(e));
        }
        prop_assert_eq!(echo, expected_echo);
        let mut buf = [0; 1024];
        for line in lines {
            match (ld.read(&mut buf), line) {
                (ReadOutcome::Data(n), Some(l)) => prop_assert_eq!(&buf[..n], &l[..]),
                (ReadOutcome::EndOfFile, None) => {}
                (got, want) => return Err(TestCaseError::fail(format!("read {got:?}, model {want:?}"))),
            }
        }
        prop_assert_eq!(ld.read(&mut buf), ReadOutcome::WouldBlock);
    }
}
