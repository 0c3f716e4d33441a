//! An interactive session on the serial console, driven the way a person
//! would use it: boot the default busybox image, wait for the prompt, type
//! commands (Enter is `\r`; the line discipline turns it into `\n`), read
//! what comes back, interrupt a foreground job with Ctrl-C and finally
//! `exit`, which ends init and so powers the machine off.
//!
//! The matching logic (`find_text`, `find_line`, `render`) is pure and has
//! unit tests below; `Console` owns QEMU and the transcript.

use crate::qemu::{MachineConfig, EXIT_FAILURE, EXIT_SUCCESS};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Booting to the first prompt under TCG (a second or two normally).
const BOOT_TIMEOUT: Duration = Duration::from_secs(60);
/// Any single command's answer.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
/// The whole session, boot included.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(120);
/// Lines of transcript in a failure report.
const TAIL_LINES: usize = 40;

/// The end of busybox ash's prompt for root: `~ # ` in /root (the init
/// script `cd`s there, and HOME is /root), `/dir # ` elsewhere.
const PROMPT: &str = " # ";

/// Boots `kernel` with the default busybox image and drives the serial console.
/// Ok is a one-line summary; Err says what was expected and shows the end of
/// the transcript. With HELCTIC_VERBOSE set, the whole transcript goes to
/// stderr on success too.
pub fn run(kernel: &Path) -> Result<String, String> {
    let image = crate::userland::default_image(false, None)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.initrd = Some(image);
    cfg.append = crate::network_services::SERVICES.into();
    let qemu = crate::toolchain::qemu()?;
    let monitor = std::env::temp_dir().join(format!("helctic-console-{}.sock", std::process::id()));
    let mut args = cfg.qemu_args(kernel, false);
    args.extend(crate::qemu::monitor_socket_args(&monitor));
    let mut console = Console::start(&qemu, &args)?;
    let result = script(&mut console, &monitor);
    let _ = std::fs::remove_file(&monitor);
    match result {
        Ok(summary) => {
            if std::env::var_os("HELCTIC_VERBOSE").is_some() {
                eprintln!("{}", console.transcript());
            }
            Ok(summary)
        }
        Err(why) => {
            console.kill();
            Err(console.failure(&why))
        }
    }
}

/// The issue's promise, as a person would check it: `cargo xtask run --net
/// --forward H:80`, then `httpd -p 80` typed at the shell, and a page
/// fetched on the host from 127.0.0.1:H. Then `wget` typed inside fetches
/// that page through the gateway, from the host's forward back into the
/// guest (out of eth0, in through QEMU, and in again).
pub fn run_network(kernel: &Path) -> Result<String, String> {
    use crate::network_services::{Ethernet, Ipv4Mode};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))?
        .port();
    let net = Ethernet { ipv4: Ipv4Mode::Dhcp, forwards: vec![(port, 80)] };
    let image = crate::userland::default_image(false, Some(&net))?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.initrd = Some(image);
    cfg.append = crate::network_services::SERVICES.into();
    cfg.extra = net.qemu_args();
    let qemu = crate::toolchain::qemu()?;
    let mut console = Console::start(&qemu, &cfg.qemu_args(kernel, false))?;
    let result = network_script(&mut console, port);
    match result {
        Ok(summary) => Ok(summary),
        Err(why) => {
            console.kill();
            Err(console.failure(&why))
        }
    }
}

fn network_script(c: &mut Console, port: u16) -> Result<String, String> {
    c.expect("The network is up", BOOT_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;
    c.send(b"mkdir -p /www && echo 'served by Helctic' > /www/index.html && httpd -p 80 -h /www && echo started\r")?;
    c.expect_line("started", STEP_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;
    let fetched = Instant::now();
    let (status, body) = crate::user_network_tests::http_get(port, "/index.html")
        .map_err(|e| format!("fetching http://127.0.0.1:{port}/ on the host: {e}"))?;
    if !status.contains(" 200 ") || body != b"served by Helctic\n" {
        return Err(format!("the host got {status:?} {:?}", String::from_utf8_lossy(&body)));
    }
    let host_took = fetched.elapsed();
    c.send(format!("wget -q -O - http://10.0.2.2:{port}/index.html | tr a-z A-Z\r").as_bytes())?;
    c.expect_line("SERVED BY HELCTIC", STEP_TIMEOUT)
        .map_err(|e| format!("wget inside, through the host's forward: {e}"))?;
    c.expect(PROMPT, STEP_TIMEOUT)?;
    c.send(b"exit\r")?;
    let status = c.wait_exit(STEP_TIMEOUT)?;
    if status != Some(EXIT_SUCCESS) {
        return Err(format!("QEMU exited with status {status:?}, expected {EXIT_SUCCESS} (success)"));
    }
    Ok(format!(
        "httpd typed at the shell, the page fetched on the host through 127.0.0.1:{port} in {} ms, and inside through the gateway; powered off after {:.1} s",
        host_took.as_millis(),
        c.elapsed().as_secs_f64()
    ))
}

/// The session itself; every wait is bounded.
fn script(c: &mut Console, monitor: &Path) -> Result<String, String> {
    // Typed before the machine has even booted: a terminal keeps type-ahead
    // (the UART's reset and the shell's switch to raw mode must not lose it).
    c.send(b"echo typed-ahead-$((6*7))\r")?;
    c.expect("Welcome to Helctic", BOOT_TIMEOUT)?;
    c.expect_line("typed-ahead-42", STEP_TIMEOUT)
        .map_err(|e| format!("a line typed before the first prompt was lost: {e}"))?;
    c.expect(PROMPT, STEP_TIMEOUT)?;
    let prompt_at = c.elapsed();

    // A pipe between two processes.
    c.send(b"echo hello | tr a-z A-Z\r")?;
    c.expect_line("HELLO", STEP_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;

    // Three stages: 19 numbers in 1..=100 contain a 7.
    c.send(b"seq 1 100 | grep 7 | wc -l\r")?;
    c.expect_line("19", STEP_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;

    // Ctrl-C interrupts the foreground job, not the shell; ash then reports
    // 128 + SIGINT, as it does on Linux.
    c.send(b"sleep 100\r")?;
    c.expect_line("sleep 100", STEP_TIMEOUT)?;
    std::thread::sleep(Duration::from_secs(1));
    let interrupted = Instant::now();
    c.send(b"\x03")?;
    c.expect(PROMPT, Duration::from_secs(10))
        .map_err(|e| format!("Ctrl-C did not interrupt `sleep 100` and give the prompt back: {e}"))?;
    let interrupt_took = interrupted.elapsed();
    c.send(b"echo alive $?\r")?;
    c.expect_line("alive 130", STEP_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;

    // Ctrl-Z stops the foreground job (SIGTSTP to its process group); the
    // shell reports it stopped, `fg` continues it (SIGCONT) in the
    // foreground again, and Ctrl-C then ends it.
    c.send(b"sleep 100\r")?;
    c.expect_line("sleep 100", STEP_TIMEOUT)?;
    std::thread::sleep(Duration::from_millis(500));
    c.send(b"\x1a")?;
    c.expect("Stopped", Duration::from_secs(10)).map_err(|e| format!("Ctrl-Z did not stop `sleep 100`: {e}"))?;
    c.expect(PROMPT, STEP_TIMEOUT)?;
    c.send(b"fg\r")?;
    c.expect_line("sleep 100", STEP_TIMEOUT).map_err(|e| format!("fg did not resume the job: {e}"))?;
    std::thread::sleep(Duration::from_millis(500));
    c.send(b"\x03")?;
    c.expect(PROMPT, Duration::from_secs(10)).map_err(|e| format!("Ctrl-C did not end the resumed job: {e}"))?;
    c.send(b"echo resumed $?\r")?;
    c.expect_line("resumed 130", STEP_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;

    // An operator's NMI (the monitor's `nmi`, as `cargo xtask fuzz` sends
    // at a hang) prints every thread and where it sleeps, and the machine
    // goes on: the sleeping job is named, in its system call, with the
    // kernel's call chain down to the timer it waits for.
    c.send(b"sleep 100\r")?;
    c.expect_line("sleep 100", STEP_TIMEOUT)?;
    std::thread::sleep(Duration::from_millis(500));
    crate::qemu::monitor_command(monitor, "nmi")?;
    c.expect("NMI dump: CPU 0 was in", STEP_TIMEOUT).map_err(|e| format!("an NMI printed no dump: {e}"))?;
    let dump = c.expect_capture("NMI dump: end", STEP_TIMEOUT)?;
    for wanted in [
        "pid 1 tid 1 Blocked \"sh\" in system call 61 ",
        "Blocked \"sleep\" in system call 230 ",
        "sched::timers::sleep_until",
    ] {
        if !dump.contains(wanted) {
            return Err(format!("the NMI dump does not show `{wanted}`:\n{dump}"));
        }
    }
    c.send(b"\x03")?;
    c.expect(PROMPT, Duration::from_secs(10))
        .map_err(|e| format!("after the NMI dump, Ctrl-C did not end `sleep 100`: {e}"))?;
    c.send(b"echo after-nmi $?\r")?;
    c.expect_line("after-nmi 130", STEP_TIMEOUT)?;
    c.expect(PROMPT, STEP_TIMEOUT)?;

    // exit ends init; the kernel powers off and reports success.
    c.send(b"exit\r")?;
    let status = c.wait_exit(STEP_TIMEOUT)?;
    c.expect_line("helctic: init exited with status 0", Duration::from_secs(2))?;
    if status != Some(EXIT_SUCCESS) {
        let meaning = if status == Some(EXIT_FAILURE) { " (the kernel reported failure)" } else { "" };
        return Err(format!("QEMU exited with status {status:?}{meaning}, expected {EXIT_SUCCESS} (success)"));
    }
    Ok(format!(
        "prompt after {:.1} s, pipelines, Ctrl-C ({} ms to the prompt), Ctrl-Z and fg, an NMI dump, exit; powered off after {:.1} s",
        prompt_at.as_secs_f64(),
        interrupt_took.as_millis(),
        c.elapsed().as_secs_f64()
    ))
}

/// QEMU with its serial console on our pipes.
struct Console {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Arc<Mutex<Vec<u8>>>,
    eof: Arc<AtomicBool>,
    errors: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    /// Transcript position just past the previous match.
    cursor: usize,
    start: Instant,
    /// What we sent, in order, for failure reports.
    sent: Vec<String>,
}

fn pump(
    mut from: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
    done: Option<Arc<AtomicBool>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => into.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(&buf[..n]),
            }
        }
        if let Some(done) = done {
            done.store(true, Ordering::SeqCst);
        }
    })
}

impl Console {
    fn start(qemu: &Path, args: &[String]) -> Result<Console, String> {
        let mut child = Command::new(qemu)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start QEMU: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let output = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let readers = vec![pump(stdout, output.clone(), Some(eof.clone())), pump(stderr, errors.clone(), None)];
        Ok(Console {
            stdin: child.stdin.take(),
            child,
            output,
            eof,
            errors,
            readers,
            cursor: 0,
            start: Instant::now(),
            sent: Vec::new(),
        })
    }

    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    fn remaining(&self) -> Duration {
        TOTAL_TIMEOUT.saturating_sub(self.elapsed())
    }

    fn snapshot(&self) -> Vec<u8> {
        self.output.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Types `bytes` on the console.
    fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.sent.push(render(bytes));
        let stdin = self.stdin.as_mut().ok_or("QEMU's stdin is closed")?;
        stdin.write_all(bytes).and_then(|_| stdin.flush()).map_err(|e| format!("cannot type {:?}: {e}", render(bytes)))
    }

    /// Waits until `pattern` appears after the previous match.
    fn expect(&mut self, pattern: &str, timeout: Duration) -> Result<(), String> {
        self.wait_for(&format!("{pattern:?}"), timeout, |buf, from| find_text(buf, from, pattern.as_bytes()))
    }

    /// As `expect`, returning the text from the previous match to the end of this one.
    fn expect_capture(&mut self, pattern: &str, timeout: Duration) -> Result<String, String> {
        let from = self.cursor;
        self.expect(pattern, timeout)?;
        Ok(String::from_utf8_lossy(&self.snapshot()[from..self.cursor]).replace('\r', ""))
    }

    /// Waits until a whole line (terminal escapes and CRs aside) reads `line`.
    fn expect_line(&mut self, line: &str, timeout: Duration) -> Result<(), String> {
        self.wait_for(&format!("a line {line:?}"), timeout, |buf, from| find_line(buf, from, line))
    }

    fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        find: impl Fn(&[u8], usize) -> Option<usize>,
    ) -> Result<(), String> {
        let started = Instant::now();
        let limit = timeout.min(self.remaining());
        loop {
            // Read the EOF flag before the buffer, so a final check after EOF
            // sees everything QEMU ever wrote.
            let ended = self.eof.load(Ordering::SeqCst);
            let buf = self.snapshot();
            if let Some(end) = find(&buf, self.cursor) {
                self.cursor = end;
                return Ok(());
            }
            if ended {
                let status = self.child.wait().ok().and_then(|s| s.code());
                return Err(format!("QEMU ended (exit status {status:?}) before the console showed {what}"));
            }
            if started.elapsed() >= limit {
                let whole = if limit < timeout { " (the whole session's time limit)" } else { "" };
                return Err(format!("the console did not show {what} within {:.0} s{whole}", limit.as_secs_f64()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for QEMU to end by itself; returns its exit code.
    fn wait_exit(&mut self, timeout: Duration) -> Result<Option<i32>, String> {
        let limit = Instant::now() + timeout.min(self.remaining());
        self.stdin = None;
        loop {
            if let Some(s) = self.child.try_wait().map_err(|e| format!("waiting for QEMU: {e}"))? {
                for r in self.readers.drain(..) {
                    let _ = r.join();
                }
                return Ok(s.code());
            }
            if Instant::now() >= limit {
                return Err(format!("QEMU did not exit within {:.0} s of `exit`", timeout.as_secs_f64()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        self.stdin = None;
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
    }

    fn transcript(&self) -> String {
        render(&self.snapshot())
    }

    /// The report for a failed step: what, when, what we typed, and the tail.
    fn failure(&self, why: &str) -> String {
        let buf = self.snapshot();
        let mut s = format!(
            "  {why}\n  after {:.1} s; typed so far: {}\n",
            self.elapsed().as_secs_f64(),
            self.sent.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(" ")
        );
        s.push_str(&format!(
            "  matched up to byte {} of {}; text since the last match: \"{}\"\n",
            self.cursor,
            buf.len(),
            render(&buf[self.cursor.min(buf.len())..]).replace('\n', "\\n")
        ));
        let errors = String::from_utf8_lossy(&self.errors.lock().unwrap_or_else(|e| e.into_inner())).trim().to_string();
        if !errors.is_empty() {
            s.push_str(&format!("  QEMU stderr: {errors}\n"));
        }
        s.push_str(&format!("  last {TAIL_LINES} lines of the console:\n"));
        for line in crate::harness::last_lines(&render(&buf), TAIL_LINES) {
            s.push_str(&format!("    | {line}\n"));
        }
        s
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Where `pattern` ends in `buf`, looking only at `buf[from..]`.
pub fn find_text(buf: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    let hay = buf.get(from..)?;
    if pattern.is_empty() {
        return Some(from);
    }
    hay.windows(pattern.len()).position(|w| w == pattern).map(|i| from + i + pattern.len())
}

/// Where the first complete line in `buf[from..]` that reads `line` ends
/// (just past its `\n`). The text from `from` to the first newline counts
/// as a line, so output right after a matched prompt is seen. CRs and ANSI
/// escape sequences (busybox asks for the cursor position) are ignored.
pub fn find_line(buf: &[u8], from: usize, line: &str) -> Option<usize> {
    let hay = buf.get(from..)?;
    let mut start = 0;
    while let Some(nl) = hay[start..].iter().position(|&b| b == b'\n') {
        let end = start + nl;
        if clean(&hay[start..end]) == line.as_bytes() {
            return Some(from + end + 1);
        }
        start = end + 1;
    }
    None
}

/// A line without CRs and ANSI escape sequences (CSI `ESC [ ... final`,
/// and two-byte `ESC x`).
pub fn clean(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\r' => i += 1,
            0x1b if line.get(i + 1) == Some(&b'[') => {
                i += 2;
                while i < line.len() && !(0x40..=0x7e).contains(&line[i]) {
                    i += 1;
                }
                i += 1;
            }
            0x1b => i += 2,
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Console bytes as readable text: CRLF becomes a newline, other control
/// bytes are shown escaped (`\r`, `\x1b`, `\x03`).
pub fn render(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' | '\t' => out.push(ch),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_found_after_the_cursor_only() {
        let buf = b"/root # echo hi\r\nhi\r\n/root # ";
        let first = find_text(buf, 0, b"/root # ").unwrap();
        assert_eq!(first, 8);
        assert_eq!(find_text(buf, first, b"/root # "), Some(buf.len()));
        assert_eq!(find_text(buf, buf.len(), b"/root # "), None);
        assert_eq!(find_text(buf, 0, b"absent"), None);
        assert_eq!(find_text(buf, 3, b""), Some(3));
        assert_eq!(find_text(buf, buf.len() + 1, b"x"), None);
    }

    #[test]
    fn a_pattern_split_across_reads_matches_once_complete() {
        let mut buf = b"Welcome to Hel".to_vec();
        assert_eq!(find_text(&buf, 0, b"Welcome to Helctic"), None);
        buf.extend_from_slice(b"ctic.\r\n");
        assert_eq!(find_text(&buf, 0, b"Welcome to Helctic"), Some(18));
    }

    #[test]
    fn lines_must_match_whole() {
        // The echoed command holds the words but is not the output line.
        let buf = b"echo alive $?\r\nalive 130\r\n/root # ";
        assert_eq!(find_line(buf, 0, "alive 130"), Some(26));
        assert_eq!(find_line(buf, 0, "alive 13"), None);
        assert_eq!(find_line(buf, 0, "alive"), None);
        // A line still being printed is not complete yet.
        assert_eq!(find_line(b"119", 0, "119"), None);
        assert_eq!(find_line(b"19\r\n", 0, "19"), Some(4));
        assert_eq!(find_line(b"119\r\n19\r\n", 0, "19"), Some(9));
    }

    #[test]
    fn the_rest_of_a_line_after_the_cursor_counts_as_a_line() {
        let buf = b"/root # sleep 100\r\n";
        let after_prompt = find_text(buf, 0, b"/root # ").unwrap();
        assert_eq!(find_line(buf, after_prompt, "sleep 100"), Some(buf.len()));
        assert_eq!(find_line(buf, 0, "sleep 100"), None);
    }

    #[test]
    fn escapes_and_carriage_returns_are_ignored_in_lines() {
        let buf = b"/root # \x1b[6necho hi\r\n\x1b[1;31mHELLO\x1b[0m\r\r\n";
        let after = find_text(buf, 0, b"/root # ").unwrap();
        assert_eq!(find_line(buf, after, "echo hi"), Some(21));
        assert_eq!(find_line(buf, 21, "HELLO"), Some(buf.len()));
        assert_eq!(clean(b"a\x1b7b\x1b[?25hc\r"), b"abc");
        assert_eq!(clean(b"trailing \x1b["), b"trailing ");
    }

    #[test]
    fn rendering_shows_control_bytes() {
        assert_eq!(render(b"a\r\nb\x1b[6n\x03\r"), "a\nb\\x1b[6n\\x03\\r");
        assert_eq!(render(b"\xffok"), "\u{fffd}ok");
    }
}
