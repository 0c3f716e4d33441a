//! Running entries on this machine first, each in a scratch TMPDIR of its
//! own and with a time limit, several at once with `--jobs`: an entry
//! counts inside Helctic only if it passes here.

use super::runtest::Entry;
use super::verdict::{classify, shell_status, Verdict};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One entry's run, on the host or inside.
#[derive(Debug, Clone)]
pub struct Run {
    pub verdict: Verdict,
    /// The exit status as a shell reports it (None: not known).
    pub status: Option<i32>,
    pub seconds: f64,
    pub output: String,
}

/// Runs `entries` with `bin` first on PATH, at most `jobs` at once.
pub fn run_all(entries: &[&Entry], bin: &Path, scratch: &Path, timeout: Duration, jobs: usize) -> Vec<Run> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Run>>> = Mutex::new(vec![None; entries.len()]);
    let done = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(entry) = entries.get(i) else { break };
                let run = run_one(entry, bin, &scratch.join(&entry.name), timeout);
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                eprintln!(
                    "ltp: native [{n}/{}] {} {} ({:.1} s)",
                    entries.len(),
                    entry.name,
                    run.verdict.name(),
                    run.seconds
                );
                results.lock().expect("no worker panics holding it")[i] = Some(run);
            });
        }
    });
    results.into_inner().expect("workers are done").into_iter().map(|r| r.expect("every entry ran")).collect()
}

/// The environment variable every process of an entry inherits.
const MARK_KEY: &str = "HELCTIC_LTP_RUN";
/// Distinguishes the runs of one xtask process (the pid the others).
static RUN_SERIAL: AtomicUsize = AtomicUsize::new(0);

/// Kills every process whose environment holds `mark` (`KEY=value`),
/// wherever its process group: dirtyc0w_shmem's child changes group and
/// once spun for hours as nobody after its test ended. A few rounds, for
/// processes forked while the previous round ran; the mark rarely leaves
/// an environment (a test would have to clear it), and a process that
/// did so is not found.
fn kill_marked(mark: &str) {
    let needle = format!("{mark}\0");
    for _ in 0..5 {
        let Ok(dir) = std::fs::read_dir("/proc") else { return };
        let marked: Vec<String> = dir
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle.as_bytes()))
            })
            .collect();
        if marked.is_empty() {
            return;
        }
        let _ = Command::new("kill").arg("-KILL").args(&marked).stderr(Stdio::null()).status();
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn run_one(entry: &Entry, bin: &Path, scratch: &Path, timeout: Duration) -> Run {
    let _ = std::fs::remove_dir_all(scratch);
    let tmp = scratch.join("tmp");
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        return Run {
            verdict: Verdict::Broken,
            status: None,
            seconds: 0.0,
            output: format!("cannot make {}: {e}", tmp.display()),
        };
    }
    let log_path = scratch.join("output.txt");
    // Every process of this entry inherits the mark; those that left its
    // process group (setsid, setpgid) are found by it afterwards.
    let mark_value = format!("{}-{}", std::process::id(), RUN_SERIAL.fetch_add(1, Ordering::SeqCst));
    let mark = format!("{MARK_KEY}={mark_value}");
    let start = Instant::now();
    let spawned = std::fs::File::create(&log_path).and_then(|log| {
        let err = log.try_clone()?;
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
        Command::new("sh")
            .arg("-c")
            .arg(&entry.command)
            .current_dir(scratch)
            .env("PATH", path)
            .env("TMPDIR", &tmp)
            .env("LTPROOT", scratch)
            .env(MARK_KEY, &mark_value)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            // Its own process group, so a timeout kills the test's children too.
            .process_group(0)
            .spawn()
    });
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return Run {
                verdict: Verdict::Broken,
                status: None,
                seconds: 0.0,
                output: format!("cannot run {}: {e}", entry.command),
            }
        }
    };
    let group = format!("-{}", child.id());
    let deadline = start + timeout;
    let (status, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(s)) => {
                // Whatever the test left running in its group goes too (a
                // dirtyc0w child once spun for an hour as nobody). The group
                // id cannot name anyone else while members remain, and the
                // kill fails harmlessly when none do.
                let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
                kill_marked(&mark);
                break (Some(shell_status(s)), false);
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                // The leader is not reaped yet, so its group id is still ours.
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
                let _ = child.kill();
                let _ = child.wait();
                kill_marked(&mark);
                break (None, true);
            }
        }
    };
    let output = String::from_utf8_lossy(&std::fs::read(&log_path).unwrap_or_default()).into_owned();
    let _ = std::fs::remove_dir_all(&tmp);
    Run { verdict: classify(status.unwrap_or(-1), timed_out), status, seconds: start.elapsed().as_secs_f64(), output }
}
