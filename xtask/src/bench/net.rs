//! The network rows: TCP over the loopback interface inside the guest, and
//! from the host into the guest through a port QEMU forwards to its
//! virtio-net device, for both kernels, in boots of their own.
//!
//! Both kernels boot one image: busybox, bench/init.c, bench/net.c,
//! Helctic's network services with the Ethernet part
//! (`crate::network_services::Ethernet`, static address 10.0.2.15/24) and
//! Linux's virtio modules (virtio_net among them), on the benchmark
//! machine plus a virtio-net device on QEMU's user network with one port
//! forwarded from 127.0.0.1 on the host to `GUEST_PORT`. No disk.
//! Helctic's TCP/IP server configures eth0 from network.conf; under Linux
//! bench/net.c loads the modules and gives eth0 the same address with
//! ioctls (and brings `lo` up).
//!
//! In the guest, `/init net SCALE serve tcp_rtt ...` runs bench/net.c:
//! first the sink of the host's transfer, then the loopback rows. Here,
//! while the guest boots, a thread connects to the forwarded port until
//! the guest answers with its ready byte, then sends 64 MiB (divided by
//! SCALE), shuts its side and waits for the guest's `OK <bytes>`: that
//! time is `tcp_host_bandwidth` (the host's wall clock, in either mode);
//! the guest prints its own clock's figure as `tcp_host_bandwidth_guest`.
//!
//! The rows have a section of their own in docs/benchmarks.md for each
//! mode, rewritten when every network row ran (`--rows net`, or a run of
//! everything).

use super::runner::Run;
use super::{report, Metric, Options, Os, Results, Setup, KERNEL_ARGS};
use crate::network_services::{Ethernet, Ipv4Mode};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The rows, in table order.
pub const METRICS: &[Metric] = &[
    ("tcp_rtt", "ns", "TCP round trip over 127.0.0.1, 1 byte each way, 2 processes"),
    ("tcp_bandwidth", "MB/s", "TCP over 127.0.0.1, 32 MiB in 64 KiB writes, 2 processes (higher is better)"),
    ("tcp_connect", "us", "TCP connect + accept + close over 127.0.0.1, 2 processes, per connection"),
    (
        "tcp_host_bandwidth",
        "MB/s",
        "TCP host -> guest, 64 MiB through QEMU's forwarded port to virtio-net, host's wall clock (higher is better)",
    ),
    (
        "tcp_host_bandwidth_guest",
        "MB/s",
        "the same transfer, guest's clock, first byte to end of stream (higher is better)",
    ),
];

/// The metric xtask measures itself; the others come from BENCH lines.
const HOST_METRIC: &str = "tcp_host_bandwidth";

/// bench/net.c's SERVE_PORT.
pub const GUEST_PORT: u16 = 5201;

/// The host's transfer at scale 1 (the 64 MiB).
const HOST_BYTES: usize = 64 << 20;

/// `--rows net` stands for every network row.
pub const ALIAS: &str = "net";

fn heading(icount: bool) -> &'static str {
    if icount {
        "## Network, QEMU -icount shift=0"
    } else {
        "## Network, TCG real time"
    }
}

/// The headings of the two sections (report.rs finds them by these).
pub const HEADING_REALTIME: &str = "## Network, TCG real time";
pub const HEADING_ICOUNT: &str = "## Network, QEMU -icount";

/// Bytes the host sends at `scale`.
pub fn host_bytes(scale: u64) -> usize {
    (HOST_BYTES / scale.max(1) as usize).max(64 << 10)
}

/// init's arguments for the rows `metrics` (bench/net.c's names; both
/// host rows are its `serve`).
pub fn append(scale: u64, metrics: &[Metric]) -> String {
    let mut s = format!("{KERNEL_ARGS} {} -- net {scale}", crate::network_services::SERVICES);
    let mut serve = false;
    for (m, _, _) in metrics {
        if m.starts_with("tcp_host_bandwidth") {
            serve = true;
        } else {
            s.push(' ');
            s.push_str(m);
        }
    }
    if serve {
        s.push_str(" serve");
    }
    s
}

/// The image both kernels boot for these rows.
pub fn image(setup: &Setup, net_program: &Path) -> Result<PathBuf, String> {
    let mut image = crate::userland::busybox_image(&setup.busybox)?;
    image.host_file("init", &setup.programs.init)?;
    image.host_file("bench/net", net_program)?;
    crate::network_services::add(&mut image)?;
    ethernet(0).add_to(&mut image)?;
    super::add_linux_modules(&mut image, setup)?;
    image.write("bench-net.cpio")
}

fn ethernet(host_port: u16) -> Ethernet {
    Ethernet { ipv4: Ipv4Mode::Static, forwards: vec![(host_port, GUEST_PORT)] }
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// One attempt: connect, wait for the ready byte, send, read the answer.
/// Ok(None): nobody listened inside yet (QEMU accepted and then closed).
fn transfer(port: u16, bytes: usize) -> Result<Option<Duration>, String> {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return Ok(None) };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut ready = [0u8; 1];
    match s.read(&mut ready) {
        Ok(1) if ready[0] == b'R' => {}
        Ok(1) => return Err(format!("the guest's first byte was {:?}, not R", ready[0] as char)),
        _ => return Ok(None),
    }
    let _ = s.set_nodelay(true);
    let _ = s.set_read_timeout(Some(Duration::from_secs(600)));
    let chunk: Vec<u8> = (0..64 << 10).map(|i: usize| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let started = Instant::now();
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len());
        s.write_all(&chunk[..n]).map_err(|e| format!("sending to the guest: {e}"))?;
        left -= n;
    }
    s.shutdown(Shutdown::Write).map_err(|e| format!("shutdown: {e}"))?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| format!("the guest's answer: {e}"))?;
    let took = started.elapsed();
    if answer.trim() != format!("OK {bytes}") {
        return Err(format!("sent {bytes} bytes, the guest answered {:?}", answer.trim()));
    }
    Ok(Some(took))
}

/// The host's side: tries until the guest answers or `stop` is set.
fn host_side(port: u16, bytes: usize, stop: Arc<AtomicBool>) -> Result<Duration, String> {
    while !stop.load(Ordering::Relaxed) {
        if let Some(took) = transfer(port, bytes)? {
            return Ok(took);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    Err("the guest never answered on the forwarded port".into())
}

/// One boot of `os` running `metrics`, with the host's transfer when
/// asked for; parsed, the host's figure (or why there is none) added.
pub fn boot(setup: &Setup, os: Os, img: &Path, memory: &str, scale: u64, metrics: &[Metric]) -> Result<Run, String> {
    boot_profiled(setup, os, img, memory, scale, metrics, None)
}

/// `boot`, with the kernel's sampling profiler at `profile` Hz if given
/// (`--profile`: the host's transfer is run for it too).
pub fn boot_profiled(
    setup: &Setup,
    os: Os,
    img: &Path,
    memory: &str,
    scale: u64,
    metrics: &[Metric],
    profile: Option<u64>,
) -> Result<Run, String> {
    let port = free_port()?;
    let mut kernel_args = append(scale, metrics);
    if let Some(hz) = profile {
        kernel_args = super::profile::with_profile(&kernel_args, hz);
    }
    let mut cfg = setup.config(memory, img, kernel_args);
    cfg.extra = ethernet(port).qemu_args();
    let bytes = host_bytes(scale);
    let wants_host = metrics.iter().any(|m| m.0 == HOST_METRIC);
    let stop = Arc::new(AtomicBool::new(false));
    let host = wants_host.then(|| {
        let stop = stop.clone();
        std::thread::spawn(move || host_side(port, bytes, stop))
    });
    let boot = setup.boot(os, &cfg, super::bench_timeout(scale, setup.icount));
    stop.store(true, Ordering::Relaxed);
    let host = host.map(|h| h.join().unwrap_or_else(|_| Err("the host side panicked".into())));
    let boot = boot?;
    let log = if profile.is_some() { "profile-net".to_string() } else { format!("net-scale{scale}") };
    super::save_log(os, &log, &boot);
    let mut run = Run::parse(os, boot, metrics.to_vec());
    match host {
        Some(Ok(took)) => {
            run.values.insert(HOST_METRIC.into(), bytes as f64 / took.as_secs_f64() / 1e6);
        }
        Some(Err(why)) => {
            run.reasons.insert(HOST_METRIC.into(), why);
        }
        None => {}
    }
    Ok(run)
}

/// The rounds (ABBA, like the others), their table, JSON and, when every
/// network row ran, their section of docs/benchmarks.md.
pub fn run(setup: &Setup, img: &Path, opts: &Options, metrics: Vec<Metric>, args: &[String]) -> Result<(), String> {
    let load_before = super::loadavg();
    let mut samples: BTreeMap<String, BTreeMap<Os, Vec<f64>>> = BTreeMap::new();
    let mut failures: BTreeMap<String, BTreeMap<Os, Vec<String>>> = BTreeMap::new();
    let mut notes = Vec::new();
    eprintln!(
        "xtask: bench: network rows, {} alternated boots of each kernel, {}",
        opts.runs,
        if opts.icount { "-icount shift=0 (virtual time)" } else { "TCG real time" }
    );
    for round in 0..opts.runs {
        let order = if round % 2 == 0 { [Os::Linux, Os::Helctic] } else { [Os::Helctic, Os::Linux] };
        for os in order {
            let run = boot(setup, os, img, &opts.memory, opts.scale, &metrics)?;
            eprintln!("xtask: bench: round {} {} network: {}", round + 1, os.name(), run.summary());
            super::record(&run, os, round, &mut samples, &mut failures);
            if let Some(problem) = &run.problem {
                notes.push(format!("{} network boot {}: {problem}", os.name(), round + 1));
            }
        }
    }
    let mut image_size = BTreeMap::new();
    image_size.insert(Os::Linux, super::file_size(&setup.linux.vmlinuz)?);
    image_size.insert(Os::Helctic, super::file_size(&setup.helctic)?);
    let results = Results {
        icount: opts.icount,
        runs: opts.runs,
        memory: opts.memory.clone(),
        scale: opts.scale,
        rows: Some(metrics.iter().map(|m| m.0.to_string()).collect()),
        samples,
        failures,
        min_memory: BTreeMap::new(),
        memory_trials: BTreeMap::new(),
        image_size,
        linux_package: format!("{}={}", super::linux::PACKAGE, super::linux::VERSION),
        linux_sha256: super::linux::DEB_SHA256.to_string(),
        busybox: format!("{}={}", crate::debian::BUSYBOX_PACKAGE, setup.busybox.version),
        debian: String::new(),
        notes,
        host_load: (load_before, super::loadavg()),
    };
    let table = table(&results);
    println!("{table}");
    let json = report::write_json(&results, args)?;
    eprintln!("xtask: bench: wrote {}", json.display());
    if metrics.len() == METRICS.len() {
        let docs = write_docs(&results, args, &table)?;
        eprintln!("xtask: bench: wrote the network section of {}", docs.display());
    } else {
        eprintln!("xtask: bench: docs/benchmarks.md left as it was: not every network row ran");
    }
    Ok(())
}

/// The table: report.rs's rows, with this section's own first line.
pub fn table(r: &Results) -> String {
    let full = report::table(r);
    let body = full.split_once("\n\n").map(|(_, rest)| rest).unwrap_or(&full);
    format!(
        "{}; median of {} boots of each kernel, alternated; -m {}, virtio-net on QEMU's user network\n\n{body}",
        if r.icount { "QEMU -icount shift=0" } else { "TCG, real time" },
        r.runs,
        r.memory
    )
}

fn write_docs(r: &Results, args: &[String], table: &str) -> Result<PathBuf, String> {
    let env = report::environment();
    let mut sec = String::new();
    let _ = writeln!(sec, "{}\n", heading(r.icount));
    let _ = writeln!(sec, "- date: {}", env.date);
    let _ = writeln!(sec, "- command: `{}`", report::command(args));
    let _ = writeln!(sec, "- Helctic: commit {}, release build", env.commit);
    let _ = writeln!(sec, "- QEMU: {}", env.qemu);
    let _ = writeln!(sec, "- host CPU: {}; load average {} before, {} after", env.cpu, r.host_load.0, r.host_load.1);
    let _ = writeln!(sec, "- kernels and user land as above; command line `{}`", append(r.scale, METRICS));
    let _ = writeln!(sec);
    sec.push_str(METHOD);
    let _ = writeln!(sec);
    sec.push_str(table);
    report::write_section(if r.icount { "net-icount" } else { "net-realtime" }, &sec)
}

const METHOD: &str = "\
Boots of their own: the benchmark machine plus a modern virtio-net PCI device on QEMU's user \
network (slirp), one host port on 127.0.0.1 forwarded to the guest's port 5201, no disk; the \
same initramfs for both kernels (bench/net.c; Helctic's virtio-net driver and TCP/IP server, \
static address 10.0.2.15/24 from network.conf; Linux's virtio_net module, loaded by bench/net.c, \
which gives eth0 the same address and brings `lo` up). The loopback rows (bench/net.c, \
TCP_NODELAY) do not touch the device. The host transfer: xtask connects to the forwarded port, \
waits for the guest's ready byte, sends 64 MiB in 64 KiB writes, shuts its side down and waits \
for the guest's byte count; `tcp_host_bandwidth` is that on the host's wall clock (also under \
`--icount`, where the guest's clock is virtual), `tcp_host_bandwidth_guest` the guest's own, \
first byte to end of stream. Both include QEMU's user-network stack, which copies every byte \
through a host socket and its own TCP, on the same host threads as the emulated CPU.
";

/// One boot of `os` at the smoke scale: every network row must come out.
pub fn smoke(setup: &Setup, os: Os) -> Result<usize, String> {
    let img = image(setup, &setup.programs.net)?;
    let run = boot(setup, os, &img, "256M", 1000, METRICS)?;
    super::complete(&run, os, "network smoke benchmark")?;
    // (values also holds the boot figures Run::parse reads off every boot)
    Ok(run.expected.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_gets_the_rows_and_serve_once() {
        let all = append(7, METRICS);
        assert!(all.ends_with("-- net 7 tcp_rtt tcp_bandwidth tcp_connect serve"), "{all}");
        assert!(all.contains(crate::network_services::SERVICES));
        let some = append(1, &METRICS[..1]);
        assert!(some.ends_with("-- net 1 tcp_rtt"), "{some}");
        assert_eq!(host_bytes(1), 64 << 20);
        assert_eq!(host_bytes(1000), 67108);
        assert_eq!(host_bytes(1 << 30), 64 << 10);
    }

    #[test]
    fn headings_are_found_by_their_prefixes() {
        assert!(heading(false).starts_with(HEADING_REALTIME));
        assert!(heading(true).starts_with(HEADING_ICOUNT));
        // Not taken for the main sections' headings.
        assert!(!heading(false).starts_with("## TCG, real time") && !heading(true).starts_with("## QEMU -icount"));
    }
}
