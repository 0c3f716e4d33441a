//! What a fuzz campaign reported, read from the serial log line by line
//! (the fuzzer's `FUZZ ...` lines and the kernel's panic report), and the
//! summary and verdict made of it. Pure: the host tests below feed it lines.

use std::collections::BTreeMap;

/// A /proc/meminfo reading the fuzzer took (KiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Memory {
    pub free_kb: i64,
    pub cached_kb: i64,
    pub kernel_heap_kb: i64,
    pub total_kb: i64,
}

#[derive(Debug, Default, Clone)]
pub struct Report {
    pub started: Option<String>,
    pub done: bool,
    pub calls: u64,
    pub subworkers: u64,
    pub wedged: u64,
    pub elapsed_secs: u64,
    pub per_call: BTreeMap<String, u64>,
    pub ok: u64,
    pub errnos: BTreeMap<i32, u64>,
    pub before: Option<Memory>,
    pub after: Option<Memory>,
    /// The kernel's panic or fatal exception: its line, location and
    /// backtrace lines as printed.
    pub panic: Vec<String>,
    /// Hangs the fuzzer saw itself (a sub-worker SIGKILL did not end), with
    /// the calls it made last.
    pub hangs: Vec<String>,
    /// The host saw no progress for its limit and killed QEMU.
    pub host_hang: Option<String>,
    /// The last progress line (calls in flight at its time).
    pub last_progress: Option<String>,
    /// Kernel `BUG:` lines (a broken invariant the kernel caught).
    pub bugs: Vec<String>,
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace().find_map(|w| w.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

fn number(line: &str, key: &str) -> Option<u64> {
    field(line, key).map(|v| v.trim_end_matches(['s', ':'])).and_then(|v| v.parse().ok())
}

fn memory(line: &str) -> Memory {
    let get = |k| field(line, k).and_then(|v| v.parse().ok()).unwrap_or(-1);
    Memory {
        free_kb: get("free_kb"),
        cached_kb: get("cached_kb"),
        kernel_heap_kb: get("kernel_heap_kb"),
        total_kb: get("total_kb"),
    }
}

impl Report {
    /// Takes one line of the serial log; returns whether it is a progress line.
    pub fn feed(&mut self, raw: &str) -> bool {
        let line = raw.trim_end_matches(['\r', '\n']);
        if !self.panic.is_empty() && self.panic.len() < 40 {
            // The lines after a panic: its location and backtrace.
            if !line.trim().is_empty() && !line.starts_with("FUZZ ") {
                self.panic.push(line.to_string());
            }
            return false;
        }
        if line.contains("!!! KERNEL PANIC")
            || line.contains("!!! KERNEL EXCEPTION")
            || line.contains("!!! panic while panicking")
        {
            self.panic.push(line.trim_start_matches('\n').trim().to_string());
            return false;
        }
        if crate::harness::is_kernel_log(line) && line.contains(" BUG: ") {
            self.bugs.push(line.to_string());
            return false;
        }
        let Some(rest) = line.strip_prefix("FUZZ ") else { return false };
        let mut words = rest.split_whitespace();
        match words.next() {
            Some("start") => self.started = Some(rest.to_string()),
            Some("progress") => {
                self.calls = number(rest, "calls").unwrap_or(self.calls);
                self.subworkers = number(rest, "subworkers").unwrap_or(self.subworkers);
                self.wedged = number(rest, "wedged").unwrap_or(self.wedged);
                self.elapsed_secs = number(rest, "elapsed").unwrap_or(self.elapsed_secs);
                self.last_progress = Some(rest.to_string());
                return true;
            }
            Some("memory") => match words.next() {
                Some("before") => self.before = Some(memory(rest)),
                Some("after") => self.after = Some(memory(rest)),
                _ => {}
            },
            Some("call") => {
                if let (Some(name), Some(Ok(n))) = (words.next(), words.next().map(str::parse)) {
                    self.per_call.insert(name.to_string(), n);
                }
            }
            Some("result") => match (words.next(), words.next(), words.next()) {
                (Some("ok"), Some(n), None) => self.ok = n.parse().unwrap_or(0),
                (Some("errno"), Some(e), Some(n)) => {
                    if let (Ok(e), Ok(n)) = (e.parse(), n.parse()) {
                        self.errnos.insert(e, n);
                    }
                }
                _ => {}
            },
            Some("hang") | Some("hang-call") => self.hangs.push(rest.to_string()),
            Some("done") => {
                self.done = true;
                self.calls = number(rest, "calls").unwrap_or(self.calls);
                self.subworkers = number(rest, "subworkers").unwrap_or(self.subworkers);
                self.wedged = number(rest, "wedged").unwrap_or(self.wedged);
                self.elapsed_secs = number(rest, "elapsed").unwrap_or(self.elapsed_secs);
            }
            _ => {}
        }
        false
    }

    #[cfg(test)]
    pub fn parse(log: &str) -> Report {
        let mut r = Report::default();
        for line in log.lines() {
            r.feed(line);
        }
        r
    }

    /// Free memory lost over the campaign, after its leftovers were removed (KiB).
    pub fn memory_loss_kb(&self) -> Option<i64> {
        Some(self.before?.free_kb - self.after?.free_kb)
    }

    /// Why the campaign failed, if it did: a panic, a hang, a kernel
    /// `BUG:`, no end report, or more memory lost than `max_loss_kb`.
    pub fn failures(&self, max_loss_kb: i64) -> Vec<String> {
        let mut f = Vec::new();
        if let Some(first) = self.panic.first() {
            f.push(format!("kernel panic: {first}"));
        }
        if let Some(h) = &self.host_hang {
            f.push(format!("hang: {h}"));
        }
        if let Some(h) = self.hangs.first() {
            f.push(format!("hang: {h}"));
        }
        if let Some(b) = self.bugs.first() {
            f.push(format!("kernel BUG: {b}"));
        }
        if f.is_empty() && !self.done {
            f.push("the fuzzer ended without its report (FUZZ done)".into());
        }
        if let Some(loss) = self.memory_loss_kb() {
            if loss > max_loss_kb {
                f.push(format!("{loss} KiB of free memory lost after the workers exited (limit {max_loss_kb} KiB)"));
            }
        }
        f
    }

    /// The campaign's numbers as people read them.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let rate = self.calls.checked_div(self.elapsed_secs).unwrap_or(0);
        s.push_str(&format!(
            "calls made: {} in {} s ({rate}/s), {} sub-workers ({} wedged and killed)\n",
            self.calls, self.elapsed_secs, self.subworkers, self.wedged
        ));
        match self.panic.first() {
            None => s.push_str("kernel panics: 0\n"),
            Some(_) => {
                s.push_str("kernel panics: 1\n");
                for l in self.panic.iter().take(16) {
                    s.push_str(&format!("    {l}\n"));
                }
            }
        }
        let hangs =
            self.hangs.iter().filter(|h| h.starts_with("hang ")).count() + usize::from(self.host_hang.is_some());
        s.push_str(&format!("hangs: {hangs}\n"));
        if let Some(h) = &self.host_hang {
            s.push_str(&format!("    {h}\n"));
            if let Some(p) = &self.last_progress {
                s.push_str(&format!("    last progress: {p}\n"));
            }
        }
        for h in &self.hangs {
            s.push_str(&format!("    {h}\n"));
        }
        for b in &self.bugs {
            s.push_str(&format!("kernel BUG: {b}\n"));
        }
        let mem = |m: Option<Memory>| {
            m.map_or("?".to_string(), |m| {
                format!("{} KiB free, {} KiB cached, kernel heap {} KiB", m.free_kb, m.cached_kb, m.kernel_heap_kb)
            })
        };
        s.push_str(&format!("memory before: {}\nmemory after:  {}", mem(self.before), mem(self.after)));
        if let Some(loss) = self.memory_loss_kb() {
            s.push_str(&format!(" (free memory {} {} KiB)", if loss > 0 { "down" } else { "up" }, loss.abs()));
        }
        s.push('\n');
        let mut top: Vec<(&String, &u64)> = self.per_call.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        s.push_str(&format!("calls by name ({} different; top 20):", self.per_call.len()));
        for (name, n) in top.iter().take(20) {
            s.push_str(&format!(" {name} {n},"));
        }
        s.pop();
        s.push('\n');
        let all: u64 = self.ok + self.errnos.values().sum::<u64>();
        let pct = |n: u64| if all > 0 { n as f64 * 100.0 / all as f64 } else { 0.0 };
        s.push_str(&format!("results: success {} ({:.1}%)", self.ok, pct(self.ok)));
        let mut errs: Vec<(&i32, &u64)> = self.errnos.iter().collect();
        errs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (e, n) in errs {
            s.push_str(&format!(", {} {n} ({:.1}%)", linux_abi::errno::errno_name(*e).unwrap_or("E?"), pct(*n)));
        }
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
[    0.100000] INFO  helctic: boot
FUZZ start seed=1 procs=2 threads=2 calls=1000 minutes=0 table=280 disk=ext2
FUZZ memory before free_kb=200000 cached_kb=100 kernel_heap_kb=900 total_kb=262144
FUZZ progress calls=500 rate=500/s elapsed=1s subworkers=3 wedged=0 unkillable=0 inflight: w0t1=read
FUZZ progress calls=1000 rate=500/s elapsed=2s subworkers=4 wedged=1 unkillable=0 inflight:
FUZZ memory after free_kb=199000 cached_kb=100 kernel_heap_kb=950 total_kb=262144
FUZZ call read 600
FUZZ call openat 400
FUZZ result ok 300
FUZZ result errno 2 500
FUZZ result errno 9 200
FUZZ done calls=1000 subworkers=4 wedged=1 unkillable=0 elapsed=2s
helctic: init exited with status 0
";

    #[test]
    fn a_clean_campaign() {
        let r = Report::parse(LOG);
        assert!(r.done);
        assert_eq!((r.calls, r.subworkers, r.wedged, r.elapsed_secs), (1000, 4, 1, 2));
        assert_eq!(r.per_call.get("read"), Some(&600));
        assert_eq!(r.errnos.get(&2), Some(&500));
        assert_eq!(r.ok, 300);
        assert_eq!(r.memory_loss_kb(), Some(1000));
        assert_eq!(r.before.unwrap().kernel_heap_kb, 900);
        assert!(r.failures(4096).is_empty(), "{:?}", r.failures(4096));
        assert_eq!(r.failures(500).len(), 1);
        let s = r.summary();
        assert!(s.contains("calls made: 1000 in 2 s (500/s), 4 sub-workers (1 wedged and killed)"), "{s}");
        assert!(s.contains("kernel panics: 0") && s.contains("hangs: 0"), "{s}");
        assert!(s.contains("top 20): read 600, openat 400\n"), "{s}");
        assert!(s.contains("ENOENT 500 (50.0%), EBADF 200 (20.0%)"), "{s}");
        assert!(s.contains("free memory down 1000 KiB"), "{s}");
    }

    #[test]
    fn a_panic_keeps_its_location_and_backtrace() {
        let log = "FUZZ progress calls=10 elapsed=1s\n\n!!! KERNEL PANIC on CPU 0: index out of bounds\n    at kernel/src/fs/pipe.rs:10:5\nbacktrace:\n  0xffffffff80001234 kernel::fs::pipe::read\n";
        let r = Report::parse(log);
        assert_eq!(r.panic[0], "!!! KERNEL PANIC on CPU 0: index out of bounds");
        assert!(r.panic.iter().any(|l| l.contains("pipe.rs:10")));
        assert!(r.panic.iter().any(|l| l.contains("pipe::read")));
        let f = r.failures(i64::MAX);
        assert_eq!(f.len(), 1);
        assert!(f[0].starts_with("kernel panic: !!! KERNEL PANIC"));
    }

    #[test]
    fn hangs_seen_inside_and_outside() {
        let mut r = Report::parse("FUZZ hang worker=1 pid=7: SIGKILL did not end it in 20 s; its last calls:\nFUZZ hang-call worker=1 thread=0 (in flight) futex(0x1, 0x0, 0x0, 0x0, 0x0, 0x0)\n");
        assert_eq!(r.hangs.len(), 2);
        assert!(r.summary().contains("hangs: 1"));
        r.host_hang = Some("no progress for 60 s".into());
        assert!(r.summary().contains("hangs: 2"));
        assert!(r.failures(i64::MAX).iter().any(|f| f.contains("no progress")));
    }

    #[test]
    fn an_unfinished_campaign_fails() {
        let r = Report::parse("FUZZ progress calls=10 elapsed=1s\n");
        assert_eq!(r.calls, 10);
        assert_eq!(r.failures(i64::MAX), vec!["the fuzzer ended without its report (FUZZ done)".to_string()]);
    }

    #[test]
    fn fields_are_read_by_name() {
        assert_eq!(number("calls=12 elapsed=3s", "elapsed"), Some(3));
        assert_eq!(number("calls=12", "rate"), None);
        assert_eq!(memory("free_kb=5 cached_kb=x").cached_kb, -1);
    }
}
