//! What one run of an LTP entry came to, from its exit status and output,
//! and the cause a failure inside Helctic is filed under in docs/ltp.md.
//!
//! LTP's exit status is a bit set: 0 passed, 1 TFAIL, 2 TBROK, 4 TWARN,
//! 32 TCONF (skipped: the system lacks something the test needs).

/// The result of one entry in one place (the host or Helctic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// A check failed (TFAIL).
    Fail,
    /// Skipped: only TCONF was reported.
    Conf,
    /// The test could not run as meant (TBROK, TWARN, killed by a signal).
    Broken,
    /// Our per-entry time limit ran out.
    Timeout,
    /// Inside only: the kernel stopped answering while this entry ran.
    Hung,
    /// Inside only: the kernel panicked while this entry ran.
    Crashed,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Conf => "conf",
            Verdict::Broken => "broken",
            Verdict::Timeout => "timeout",
            Verdict::Hung => "hung",
            Verdict::Crashed => "crashed",
        }
    }

    /// A fault of the kernel, not of the entry.
    pub fn is_kernel_fault(self) -> bool {
        matches!(self, Verdict::Hung | Verdict::Crashed)
    }
}

/// The verdict of an exit status as a shell reports it: the program's exit
/// code, or 128 + N for death by signal N. `timed_out` says our time limit
/// killed it.
pub fn classify(status: i32, timed_out: bool) -> Verdict {
    if timed_out {
        return Verdict::Timeout;
    }
    match status {
        0 => Verdict::Pass,
        32 => Verdict::Conf,
        s if !(0..128).contains(&s) => Verdict::Broken,
        s if s & 2 != 0 => Verdict::Broken,
        s if s & 1 != 0 => Verdict::Fail,
        _ => Verdict::Broken,
    }
}

/// The status a shell would report for a host process: its code, or
/// 128 + the signal that killed it.
pub fn shell_status(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// The cause a failing entry is filed under: one short line, the same for
/// entries that failed the same way, found mechanically in this order:
/// a kernel fault; our time limit; the first thing the kernel logged as
/// unsupported while the entry ran; the first call the test saw fail with
/// ENOSYS; the first TCONF, TBROK or TFAIL message (file and line left out).
pub fn cause(verdict: Verdict, output: &str, kernel_log: &[String]) -> String {
    match verdict {
        Verdict::Crashed => return "kernel panic".into(),
        Verdict::Hung => return "kernel hang (no progress until the boot's watchdog)".into(),
        Verdict::Timeout => return "timeout (our per-entry limit)".into(),
        _ => {}
    }
    if let Some(what) = kernel_log.iter().find_map(|l| unsupported(l)) {
        return format!("unsupported: {}", shorten(&what));
    }
    let lines: Vec<&str> = output.lines().map(str::trim).collect();
    if let Some(call) = lines.iter().find_map(|l| enosys_call(l)) {
        return format!("ENOSYS: {call}");
    }
    for tag in ["TCONF", "TBROK", "TFAIL"] {
        if let Some(msg) = lines.iter().find_map(|l| tagged_message(l, tag)) {
            return format!("{tag}: {msg}");
        }
    }
    format!("{} with no LTP message", verdict.name())
}

/// What the kernel's `log_unsupported` line names, without the process
/// (`... WARN  task::core_ops: linux: unsupported syscall 41 (socket) from pid 7 /mnt/x`
/// gives `syscall 41 (socket)`; other unsupported features give their own text).
pub fn unsupported(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("linux: ")?;
    let what = rest.split(" from pid ").next()?.trim();
    let what = what.strip_prefix("unsupported ").unwrap_or(what);
    (!what.is_empty()).then(|| what.to_string())
}

/// The call an LTP message says failed with ENOSYS: the identifier that
/// starts the message (`socket(AF_UNIX, ...) failed: ENOSYS (38)` gives
/// `socket`), or the message itself, cut short.
fn enosys_call(line: &str) -> Option<String> {
    if !line.contains("ENOSYS") {
        return None;
    }
    let msg = strip_location(line);
    let msg = ["TBROK: ", "TFAIL: ", "TCONF: ", "TWARN: ", "TINFO: "]
        .iter()
        .find_map(|t| msg.strip_prefix(t))
        .unwrap_or(&msg)
        .trim();
    let ident: String = msg.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if !ident.is_empty() && msg[ident.len()..].starts_with('(') {
        return Some(shorten(&ident));
    }
    Some(shorten(msg))
}

/// The message of an LTP result line with this tag, without the
/// `file.c:123: ` location and with numbers kept as they are.
fn tagged_message(line: &str, tag: &str) -> Option<String> {
    let msg = strip_location(line);
    let rest = msg.strip_prefix(tag)?.trim_start_matches(':').trim();
    Some(shorten(if rest.is_empty() { tag } else { rest }))
}

/// An LTP result line as `TAG: message`, whichever library printed it:
/// `tst_test.c:1234: TBROK: x` (the new one) or
/// `pipeio_1    1  TBROK  :  pipeio.c:459: x` (the old one) both give
/// `TBROK: x`; other lines come back as they are.
fn strip_location(line: &str) -> String {
    let line = line.trim();
    let old_style = line.split_whitespace().nth(1).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        && line
            .split_whitespace()
            .nth(2)
            .is_some_and(|t| t.len() == 5 && t.starts_with('T') && t.chars().all(|c| c.is_ascii_uppercase()))
        && line.split_whitespace().nth(3) == Some(":");
    if old_style {
        let tag = line.split_whitespace().nth(2).unwrap_or("");
        let rest = line.split_once(" : ").or_else(|| line.split_once(":  ")).map(|(_, r)| r.trim()).unwrap_or("");
        return format!("{tag}: {}", without_location(rest));
    }
    without_location(line).to_string()
}

/// `file.c:123: rest` -> `rest`.
fn without_location(line: &str) -> &str {
    if let Some((loc, rest)) = line.split_once(": ") {
        let is_location = loc.rsplit_once(':').is_some_and(|(file, num)| {
            file.contains('.') && !file.contains(' ') && num.chars().all(|c| c.is_ascii_digit())
        });
        if is_location {
            return rest.trim();
        }
    }
    line
}

fn shorten(s: &str) -> String {
    const MAX: usize = 100;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exit_statuses() {
        assert_eq!(classify(0, false), Verdict::Pass);
        assert_eq!(classify(32, false), Verdict::Conf);
        assert_eq!(classify(1, false), Verdict::Fail);
        assert_eq!(classify(33, false), Verdict::Fail, "TFAIL beside TCONF still fails");
        assert_eq!(classify(2, false), Verdict::Broken);
        assert_eq!(classify(3, false), Verdict::Broken, "TBROK wins over TFAIL");
        assert_eq!(classify(4, false), Verdict::Broken, "TWARN alone is not a pass");
        assert_eq!(classify(137, false), Verdict::Broken, "killed by a signal");
        assert_eq!(classify(-1, false), Verdict::Broken);
        assert_eq!(classify(0, true), Verdict::Timeout);
    }

    #[test]
    fn causes() {
        let log = vec!["[    3.000001] WARN  task::core_ops: linux: unsupported syscall 41 (socket) from pid 9 /mnt/ltp/bin/accept01".to_string()];
        assert_eq!(cause(Verdict::Broken, "", &log), "unsupported: syscall 41 (socket)");
        let log = vec!["[    3.000001] WARN  task::core_ops: linux: fcntl command 1033 from pid 9 /mnt/x".to_string()];
        assert_eq!(cause(Verdict::Fail, "", &log), "unsupported: fcntl command 1033");
        let out = "tst_test.c:1900: TINFO: LTP version\nsocket01.c:40: TBROK: socket(AF_UNIX, SOCK_STREAM, 0) failed: ENOSYS (38)\n";
        assert_eq!(cause(Verdict::Broken, out, &[]), "ENOSYS: socket");
        let out = "tst_kconfig.c:88: TCONF: Cannot parse kernel .config\n";
        assert_eq!(cause(Verdict::Conf, out, &[]), "TCONF: Cannot parse kernel .config");
        let out = "x.c:1: TINFO: hi\nx.c:2: TFAIL: read() returned 3\nx.c:3: TBROK: later\n";
        assert_eq!(cause(Verdict::Fail, out, &[]), "TBROK: later", "TBROK is filed before TFAIL");
        assert_eq!(cause(Verdict::Fail, "nothing", &[]), "fail with no LTP message");
        let out = "pipeio_2    1  TBROK  :  pipeio.c:459: Couldn't allocate semaphore: errno=ENOSYS(38): Function not implemented\n";
        assert_eq!(
            cause(Verdict::Broken, out, &[]),
            "ENOSYS: Couldn't allocate semaphore: errno=ENOSYS(38): Function not implemented",
            "the old library's lines too"
        );
        let out = "open01    1  TFAIL  :  open01.c:50: wrong mode\n";
        assert_eq!(cause(Verdict::Fail, out, &[]), "TFAIL: wrong mode");
        assert_eq!(
            cause(Verdict::Hung, "x.c:2: TFAIL: y", &log),
            "kernel hang (no progress until the boot's watchdog)"
        );
        assert_eq!(cause(Verdict::Timeout, "", &[]), "timeout (our per-entry limit)");
    }

    proptest! {
        #[test]
        fn classification_is_total(status in any::<i32>(), timed_out in any::<bool>()) {
            let v = classify(status, timed_out);
            prop_assert_eq!(v == Verdict::Pass, status == 0 && !timed_out);
            prop_assert!(!v.is_kernel_fault());
        }

        #[test]
        fn a_cause_is_one_short_line(output in "[ -~\n]{0,300}", log in proptest::collection::vec("[ -~]{0,120}", 0..4)) {
            let c = cause(Verdict::Fail, &output, &log);
            prop_assert!(!c.is_empty() && !c.contains('\n'));
            prop_assert!(c.chars().count() <= 140);
        }
    }
}
