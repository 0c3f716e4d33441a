//! The network as a user gets it (`cargo xtask run --net`): the virtio-net
//! driver, the TCP/IP server and the Linux personality's sockets on QEMU's
//! user network, with busybox's `wget` and `httpd` inside and this test on
//! the host. Everything stays on this machine: QEMU's gateway address
//! 10.0.2.2 is the host's 127.0.0.1, and forwarded ports listen on
//! 127.0.0.1 only.
//!
//! - `net::guest-to-host` (static addresses, `--net-static`): this test
//!   serves a 16 MiB file over HTTP on 127.0.0.1; inside, `wget` fetches
//!   it from 10.0.2.2 and `sha256sum` must print the host's digest; a
//!   missing file must fail with 404, a closed port with "refused";
//!   busybox `ping -c 2 10.0.2.2` and `ping6 -c 2 fec0::2` must get their
//!   replies (QEMU's user network answers echo requests to its own
//!   addresses itself; pings further out go through the host's own ICMP
//!   sockets and depend on the host, so they are not tested).
//! - `net::host-to-guest` (DHCP, `--forward`): inside, `httpd` serves a
//!   page and a 64 MiB file; this test fetches both through the forwarded
//!   port and checks the big one's SHA-256 against the digest the guest
//!   computed. A second forwarded port tells the guest to finish.
//! - `net::debian` (the Debian root file system, `--rootfs --net`):
//!   tests/netstack/debian_network.sh runs Debian's `curl` and Python's
//!   `urllib` against this test's server (digests checked), resolves
//!   `localhost` through glibc and Python and `helctic.test` through a
//!   name server on the guest's 127.0.0.1 (glibc's resolver over UDP), and serves a 16 MiB file with
//!   `python3 -m http.server` (dual-stack) that this test fetches through a
//!   forwarded port.

use crate::harness;
use crate::network_services::{Ethernet, Ipv4Mode};
use crate::qemu::MachineConfig;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BOOT_TIMEOUT: Duration = Duration::from_secs(400);
/// The file the guest fetches from the host.
const HOST_FILE_BYTES: usize = 16 << 20;
/// The file the host fetches from the guest (the 64 MiB).
const GUEST_FILE_MIB: usize = 64;

/// Whether the net group runs `name` (`frames`, `server-faults`,
/// `guest-to-host`, `host-to-guest`, `debian`, `hostile-frames`): all of them, unless
/// HELCTIC_NET_TESTS lists some (to chase one).
pub fn wanted(name: &str) -> bool {
    std::env::var("HELCTIC_NET_TESTS").map_or(true, |only| only.split(',').any(|w| w == name))
}

pub fn run(kernel: &Path, busybox: &crate::debian::Busybox) -> Vec<(String, Result<String, String>)> {
    let mut results = Vec::new();
    if wanted("guest-to-host") {
        results.push(("net::guest-to-host".into(), guest_to_host(kernel, busybox)));
    }
    if wanted("host-to-guest") {
        results.push(("net::host-to-guest".into(), host_to_guest(kernel, busybox)));
    }
    if wanted("debian") {
        results.push(("net::debian".into(), debian(kernel)));
    }
    results
}

/// A port free on 127.0.0.1 now (QEMU binds it a moment later).
fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn sha256_of(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum").arg(path).output().map_err(|e| format!("cannot run sha256sum: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().next().map(str::to_string).ok_or_else(|| format!("sha256sum {}: no digest", path.display()))
}

fn work_dir() -> Result<PathBuf, String> {
    let dir = crate::root().join("target/net-tests");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// Bytes no compressor shortens (xorshift), the same for every run.
fn pseudo_random(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// The guest's image: busybox, the network services with the Ethernet
/// part, and `script` as init (its exit status ends the machine).
fn image(busybox: &crate::debian::Busybox, net: &Ethernet, script: &str, name: &str) -> Result<PathBuf, String> {
    let mut image = crate::userland::busybox_image(busybox)?;
    image.file("init", format!("#!/bin/sh\nexport PATH=/bin\n{script}").into_bytes(), 0o755);
    crate::network_services::add(&mut image)?;
    net.add_to(&mut image)?;
    image.write(name)
}

fn machine(initrd: PathBuf, net: &Ethernet, memory: &str) -> MachineConfig {
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = memory.into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(initrd);
    cfg.extra = net.qemu_args();
    cfg
}

fn failure(boot: &harness::Boot, why: String) -> String {
    let saved = boot.save().map_or(String::new(), |p| format!(" (whole log: {})", p.display()));
    format!("  {why}{saved}; last lines:\n{}", boot.tail(40))
}

/// The server's part of HTTP/1.0: one GET per connection, `/blob` is
/// `body`, anything else 404. Serves until `stop` is set.
fn serve_http(listener: TcpListener, body: Vec<u8>, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> u32 {
    let _ = listener.set_nonblocking(true);
    let mut served = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let mut conn = match listener.accept() {
            Ok((conn, _)) => conn,
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let _ = conn.set_nonblocking(false);
        let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16384 {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        let first = String::from_utf8_lossy(&request).lines().next().unwrap_or("").to_string();
        let _ = if first.starts_with("GET /blob ") {
            served += 1;
            conn.write_all(
                format!(
                    "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|_| conn.write_all(&body))
        } else {
            conn.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 10\r\n\r\nnot here\r\n")
        };
    }
    served
}

fn guest_to_host(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let body = pseudo_random(HOST_FILE_BYTES);
    let path = work_dir()?.join("host-blob");
    std::fs::write(&path, &body).map_err(|e| format!("{}: {e}", path.display()))?;
    let digest = sha256_of(&path)?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let closed = free_port()?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let server = {
        let stop = stop.clone();
        std::thread::spawn(move || serve_http(listener, body, stop))
    };
    let net = Ethernet { ipv4: Ipv4Mode::Static, forwards: Vec::new() };
    let host = crate::network_services::HOST_FROM_GUEST;
    let script = format!(
        "wget -q -O /tmp/blob http://{host}:{port}/blob; echo \"@@wget $?\"\n\
         sha256sum /tmp/blob\n\
         wget -q -O /tmp/none http://{host}:{port}/none 2>&1; echo \"@@missing $?\"\n\
         wget -q -O /tmp/none http://{host}:{closed}/ 2>&1; echo \"@@closed $?\"\n\
         ping -c 2 {host}; echo \"@@ping $?\"\n\
         ping6 -c 2 fec0::2; echo \"@@ping6 $?\"\n\
         echo @@end\n"
    );
    let cfg = machine(image(busybox, &net, &script, "net-guest-to-host.cpio")?, &net, "256M");
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let served = server.join().unwrap_or(0);
    let boot = boot?;
    let has = |s: &str| boot.lines().any(|l| l.trim_end() == s);
    if !has("@@end") {
        return Err(failure(&boot, format!("the guest did not finish ({:?})", boot.outcome)));
    }
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return Err(failure(&boot, format!("the kernel logged {bug:?}")));
    }
    if !has("@@wget 0") || !has(&format!("{digest}  /tmp/blob")) {
        return Err(failure(
            &boot,
            format!("wget of the host's 16 MiB file: want digest {digest} (served {served} times)"),
        ));
    }
    // busybox wget says "server returned error: HTTP/1.0 404 Not Found".
    if has("@@missing 0") || !boot.log.contains("404 Not Found") {
        return Err(failure(&boot, "a missing file did not fail with 404".into()));
    }
    if has("@@closed 0") || !boot.log.contains("Connection refused") {
        return Err(failure(&boot, "a closed host port did not fail with `Connection refused`".into()));
    }
    // QEMU's user network answers echo requests to its own addresses
    // (10.0.2.2 and fec0::2) itself.
    if !has("@@ping 0") || !boot.log.contains("2 packets transmitted, 2 packets received, 0% packet loss") {
        return Err(failure(&boot, format!("busybox ping {host} through the gateway did not get its 2 replies")));
    }
    if !has("@@ping6 0") || !boot.log.contains("64 bytes from fec0::2") {
        return Err(failure(&boot, "busybox ping6 fec0::2 did not get its replies".into()));
    }
    if !boot.log.contains("eth0 has 10.0.2.15/24 via 10.0.2.2 (static)") {
        return Err(failure(&boot, "the server did not report its static address".into()));
    }
    Ok(format!(
        "16 MiB from the host, SHA-256 {}..., 404 and refused as on Linux, ping and ping6 of the gateway ({:.0} s)",
        &digest[..12],
        boot.elapsed.as_secs_f64()
    ))
}

/// An HTTP status line saying 200 (busybox httpd answers HTTP/1.1).
fn ok(status: &str) -> bool {
    status.starts_with("HTTP/1.") && status.ends_with(" 200 OK")
}

/// One HTTP/1.0 GET to 127.0.0.1:`port`: (status line, body).
pub fn http_get(port: u16, path: &str) -> Result<(String, Vec<u8>), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: helctic\r\n\r\n").as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    let mut all = Vec::new();
    s.read_to_end(&mut all).map_err(|e| format!("receive: {e}"))?;
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no end of headers in the answer")?;
    let status = String::from_utf8_lossy(&all[..split]).lines().next().unwrap_or("").to_string();
    Ok((status, all[split + 4..].to_vec()))
}

/// The host's side of a guest's web server behind forwarded port `web`:
/// waits until it answers (QEMU accepts, then closes the connection while
/// nothing listens inside), checks the page is `page`, fetches /big (of
/// `size` bytes) and compares its SHA-256 with /big.sha256, checks a 404;
/// finally connects to forwarded port `done` to let the guest finish.
fn fetch_from_guest(web: u16, done: u16, page: &str, size: usize) -> Result<String, String> {
    let start = Instant::now();
    let index = loop {
        match http_get(web, "/index.html") {
            Ok(answer) => break answer,
            Err(_) if start.elapsed() < Duration::from_secs(240) => std::thread::sleep(Duration::from_millis(500)),
            Err(e) => return Err(format!("the guest's web server never answered on 127.0.0.1:{web}: {e}")),
        }
    };
    let result = (|| {
        if !ok(&index.0) || index.1 != page.as_bytes() {
            return Err(format!("the page: {:?}, {:?}", index.0, String::from_utf8_lossy(&index.1)));
        }
        let (status, want) = http_get(web, "/big.sha256")?;
        let want = String::from_utf8_lossy(&want).split_whitespace().next().unwrap_or("").to_string();
        if !ok(&status) || want.len() != 64 {
            return Err(format!("the digest file: {status:?} {want:?}"));
        }
        let started = Instant::now();
        let (status, big) = http_get(web, "/big")?;
        let secs = started.elapsed().as_secs_f64();
        let path = work_dir()?.join("guest-big");
        std::fs::write(&path, &big).map_err(|e| format!("{}: {e}", path.display()))?;
        let got = sha256_of(&path)?;
        if !ok(&status) || big.len() != size || got != want {
            return Err(format!(
                "the {size}-byte file: {status:?}, {} bytes, SHA-256 {got}, the guest's {want}",
                big.len()
            ));
        }
        let (status, _) = http_get(web, "/no-such-file")?;
        if !(status.starts_with("HTTP/1.") && status.contains(" 404 ")) {
            return Err(format!("a missing file: {status:?}"));
        }
        Ok(format!(
            "{} MiB in {secs:.1} s ({:.1} MB/s), SHA-256 {}...",
            size >> 20,
            big.len() as f64 / secs / 1e6,
            &got[..12]
        ))
    })();
    // Let the guest finish, whatever happened.
    let _ = TcpStream::connect(("127.0.0.1", done));
    result
}

fn host_to_guest(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let (web, done) = (free_port()?, free_port()?);
    let net = Ethernet { ipv4: Ipv4Mode::Dhcp, forwards: vec![(web, 80), (done, 81)] };
    // The digest goes into the served directory; httpd runs in the
    // background; `nc -l` returns once the host has connected to port 81.
    let script = format!(
        "mkdir /www && echo 'hello from inside Helctic' > /www/index.html\n\
         head -c {GUEST_FILE_MIB}m /dev/urandom > /www/big\n\
         sha256sum /www/big > /www/big.sha256\n\
         httpd -p 80 -h /www; echo \"@@httpd $?\"\n\
         nc -l -p 81 > /dev/null; echo \"@@nc $?\"\n\
         echo @@end\n"
    );
    let memory = format!("{}M", 256 + GUEST_FILE_MIB);
    let cfg = machine(image(busybox, &net, &script, "net-host-to-guest.cpio")?, &net, &memory);
    let host =
        std::thread::spawn(move || fetch_from_guest(web, done, "hello from inside Helctic\n", GUEST_FILE_MIB << 20));
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    let host = host.join().unwrap_or_else(|_| Err("the host side panicked".into()));
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return Err(failure(&boot, format!("the kernel logged {bug:?}")));
    }
    let host = host.map_err(|why| failure(&boot, why))?;
    let has = |s: &str| boot.lines().any(|l| l.trim_end() == s);
    if !has("@@httpd 0") || !has("@@end") {
        return Err(failure(&boot, "the guest did not finish".into()));
    }
    if !boot.log.contains("eth0 has 10.0.2.15/24 via 10.0.2.2 (from DHCP)") {
        return Err(failure(&boot, "the server did not report a DHCP lease".into()));
    }
    Ok(format!("{host}; address from DHCP ({:.0} s)", boot.elapsed.as_secs_f64()))
}

fn debian(kernel: &Path) -> Result<String, String> {
    let body = pseudo_random(HOST_FILE_BYTES / 4);
    let path = work_dir()?.join("host-blob-debian");
    std::fs::write(&path, &body).map_err(|e| format!("{}: {e}", path.display()))?;
    let digest = sha256_of(&path)?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let (web, done) = (free_port()?, free_port()?);
    let net = Ethernet { ipv4: Ipv4Mode::Dhcp, forwards: vec![(web, 8000), (done, 8001)] };
    // The script goes into a working copy of the image, root's, 0755.
    let image = crate::rootfs::working_copy("net-tests")?;
    let script = crate::root().join("tests/netstack/debian_network.sh");
    let guest = "/root/debian_network.sh";
    crate::debian_tests::debugfs_batch(
        &image,
        &[
            format!("write {} {guest}", script.display()),
            format!("sif {guest} uid 0"),
            format!("sif {guest} gid 0"),
            format!("sif {guest} mode 0100755"),
        ],
    )?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "1G".into();
    cfg.initrd = Some(crate::rootfs::boot_initramfs(Some(&net))?);
    cfg.append =
        format!("{} root=/dev/vda rootfstype=ext2 init=/bin/bash -- {guest} {port}", crate::network_services::SERVICES);
    cfg.disk = Some(image);
    cfg.extra = net.qemu_args();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let server = {
        let stop = stop.clone();
        std::thread::spawn(move || serve_http(listener, body, stop))
    };
    let host = std::thread::spawn(move || fetch_from_guest(web, done, "hello from Debian inside Helctic\n", 16 << 20));
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = server.join();
    let host = host.join().unwrap_or_else(|_| Err("the host side panicked".into()));
    let boot = boot?;
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return Err(failure(&boot, format!("the kernel logged {bug:?}")));
    }
    let host = host.map_err(|why| failure(&boot, why))?;
    let line = |prefix: &str| boot.lines().find(|l| l.starts_with(prefix)).map(str::trim_end).unwrap_or("");
    let want = [
        ("@@getent ", "@@getent ::1             localhost ip6-localhost ip6-loopback".to_string()),
        ("@@python ", "@@python ['127.0.0.1', '::1']".to_string()),
        ("@@dns-getent ", "@@dns-getent 10.0.2.2        helctic.test".to_string()),
        ("@@dns-missing ", "@@dns-missing 2".to_string()),
        ("@@dns-curl ", "@@dns-curl 0".to_string()),
        ("@@dns-same-bytes", "@@dns-same-bytes".to_string()),
        ("@@curl ", "@@curl 0".to_string()),
        ("@@digest ", format!("@@digest {digest}  /tmp/blob")),
        ("@@status ", "@@status 404".to_string()),
        ("@@urllib ", format!("@@urllib {digest}")),
        ("@@done", "@@done".to_string()),
        ("@@served ", "@@served 1".to_string()),
        ("@@end", "@@end".to_string()),
    ];
    for (prefix, wanted) in &want {
        if line(prefix) != wanted {
            return Err(failure(&boot, format!("expected `{wanted}`, the guest printed `{}`", line(prefix))));
        }
    }
    // iproute2's `ip` over rtnetlink: the DHCP address, the default route
    // and the prefix route Linux derives from the address.
    for (prefix, wanted) in [
        ("@@ip-addr ", "inet 10.0.2.15/24"),
        ("@@ip-route ", "default via 10.0.2.2 dev eth0"),
        ("@@ip-route ", "10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15"),
        ("@@ip-link ", "lo: <LOOPBACK,UP,LOWER_UP> mtu "),
    ] {
        if !boot.lines().any(|l| l.starts_with(prefix) && l.contains(wanted)) {
            return Err(failure(&boot, format!("expected a line `{prefix}... {wanted} ...` from ip")));
        }
    }
    Ok(format!(
        "curl and urllib fetched 4 MiB from the host (once by a name from DNS), localhost resolved by glibc and Python, ip addr/route/link over rtnetlink, python3 -m http.server: {host} ({:.0} s)",
        boot.elapsed.as_secs_f64()
    ))
}
