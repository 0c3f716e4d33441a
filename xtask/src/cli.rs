//! Command-line parsing for the xtask subcommands.

use crate::build::BuildOptions;

pub const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  build   build the kernel image (prints its path)
            --debug          unoptimised kernel
            --ktest          compile the in-kernel test suite in (implies --lock-order)
            --lock-order     check the kernel's lock order: a ranked spinlock taken
                             out of order logs `BUG: lock order:` (costs time;
                             `test`, `fuzz` and `ltp` always build with it)
  run     build and boot the kernel in QEMU, serial console on this terminal
          (quit QEMU with Ctrl-A X)
            --machine M      q35 (default) or microvm
            --memory SIZE    guest memory, e.g. 128M (default), 1G
            --cpus N         number of CPUs (default 1)
            --gdb            wait for a debugger on localhost:1234
            --native         boot native init (user/manifests/default.manifest)
            --manifest FILE  boot native init with user/manifests/FILE
                             (e.g. blk.manifest; implies --native)
            --disk IMAGE     attach a raw disk image as a virtio-blk PCI
                             device (virtio 1.x only, read-write)
            --rootfs         boot Debian's root file system from the disk:
                             target/rootfs/debian.img (made first if missing),
                             used in place, so writes persist across boots;
                             init is its /bin/bash -l; 1G RAM unless --memory
            --rootfs-image IMAGE
                             another image for --rootfs (implies --rootfs)
            --net            attach a virtio-net device on QEMU's user network
                             (guest 10.0.2.15 by DHCP, the host is 10.0.2.2,
                             DNS 10.0.2.3; q35 only)
            --net-static     as --net, with the same addresses configured
                             statically (network.conf) instead of by DHCP
            --forward H:G    forward TCP port H on the host's 127.0.0.1 to
                             port G in the guest (repeatable; implies --net)
            --append ARGS    kernel command line (e.g. \"loglevel=debug\")
            --timeout SECS   stop QEMU after SECS seconds
            --icount         QEMU -icount shift=0: virtual time, 1 ns per guest
                             instruction (time a benchmark row deterministically)
            --trace          log every system call of the Linux programs
                             (name, decoded arguments, result or errno name),
                             as gVisor's --strace (kernel command line `strace`)
            -- PROGRAM ARGS  run a static Linux program from this machine as
                             the only job; its output here, its exit status ours
            --debug, --ktest, --lock-order as for build
  rootfs  build target/rootfs/debian.img, an ext2 image of Debian 12 with bash,
          python3, perl, gcc and more (mmdebstrap; needs root); prints its
          path; the unpacked tree is target/rootfs/tree, the package list
          target/rootfs/packages.txt; does nothing when it is up to date
            --force          build it again anyway
  docs    regenerate the documents generated from tables
          (docs/linux-syscalls.md, docs/freebsd-syscalls.md, docs/netbsd-syscalls.md,
          docs/native-abi.md)
  lint    rustfmt --check, clippy (warnings denied) and the check that no
          source outside an arch/ directory names x86 hardware
  bench   Helctic against Linux on the same QEMU machine (docs/benchmarks.md)
            --runs N         boots of each kernel, alternated (default 5)
            --icount         QEMU -icount shift=0: deterministic virtual time
            --memory SIZE    guest memory for the benchmark boots (default 256M)
            --scale N        divide every iteration count by N
            --no-memory-search  skip the smallest -m search
            --smoke          one quick boot of each kernel; checks every metric appears
            --lock-order     measure a kernel built with the lock-order check
  ltp     the Linux Test Project's system-call tests (runtest/syscalls), built
          from ../shared/corpora/ltp-*.tar.xz (cached in target/ltp/), run
          natively, then the passing ones inside Helctic from an ext2 disk;
          writes target/ltp/results.json and docs/ltp.md (target/ltp/ltp.md
          for a subset)
            PATTERN...       only entries whose names match (e.g. open01 'read*')
            --jobs N         native entries run at once (default 1)
            --timeout SECS   limit for each entry (default 60)
            --keep-going     go on after a kernel fault (always, for the full run)
            --batch N        entries per Helctic boot (default 100)
            --source DIR     an LTP source tree instead of the release tarball
            --native-only    only the native run
  fuzz    the typed random-syscall campaign inside Helctic: arguments drawn
          from each call's types in the syscall table; reports calls made,
          kernel panics, hangs, free memory before and after; fails on a
          panic, a hang or a large memory loss (serial log: target/fuzz/)
            --calls N        stop after N calls (default 100000)
            --minutes M      or after M minutes
            --procs P        worker processes (default 2, at most 16)
            --threads T      threads in each sub-worker (default 2, at most 8)
            --seed S         random seed (default 1)
            --memory SIZE    guest memory (default 512M)
            --hang-secs K    no progress for K seconds is a hang (default 60)
            --max-loss-kb KB free memory the campaign may lose (default 16384)
            --only CALL,...  only these calls (by name); --skip CALL,... all but these
  test    run every test: host unit tests, in-kernel tests, QEMU boots
            --host-only      only `cargo test` on the host crates
            --kernel-only    only the QEMU boots
            --only GROUP     only one group (repeatable): host, boot, ktest,
                             harness, linux, go, freebsd, netbsd, busybox, console, native,
                             storage, net, bench, rootfs, debian, ltp, fuzz
            --long           also the slow and the known-failing scenarios of the
                             debian group (its KNOWN_FAILURES, PYTHON_MODULES_LONG)
";

fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i).map(String::as_str).ok_or_else(|| format!("{flag} needs a value"))
}

#[derive(Debug, Default, Clone)]
pub struct BuildArgs {
    pub debug: bool,
    pub ktest: bool,
    /// `--lock-order`: the kernel's lock-order check (ktest implies it).
    pub lock_order: bool,
}

impl BuildArgs {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut a = BuildArgs::default();
        for arg in args {
            match arg.as_str() {
                "--debug" => a.debug = true,
                "--ktest" => a.ktest = true,
                "--lock-order" => a.lock_order = true,
                other => return Err(format!("unknown build option `{other}`")),
            }
        }
        Ok(a)
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions { release: !self.debug, ktest: self.ktest, lock_order: self.lock_order }
    }
}

#[derive(Debug, Clone)]
pub struct RunArgs {
    pub build: BuildArgs,
    pub machine: Machine,
    pub memory: String,
    pub cpus: u32,
    pub gdb: bool,
    /// Boot native init with user/manifests/default.manifest instead of busybox.
    pub native: bool,
    /// `--manifest FILE`: native init's manifest, a file in user/manifests.
    pub manifest: Option<String>,
    /// `--disk IMAGE`: a raw image attached as a virtio-blk PCI device.
    pub disk: Option<std::path::PathBuf>,
    /// `--rootfs`: boot with the Debian root file system as the root.
    pub rootfs: bool,
    /// `--rootfs-image IMAGE`: that image instead of target/rootfs/debian.img.
    pub rootfs_image: Option<std::path::PathBuf>,
    pub append: String,
    /// `--net`, `--net-static`, `--forward`: a network device.
    pub net: Option<crate::network_services::Ethernet>,
    /// Log every system call (kernel command line `strace`).
    pub trace: bool,
    /// `--icount`: QEMU's deterministic virtual time (as `bench --icount`),
    /// to time one benchmark row against another kernel.
    pub icount: bool,
    pub timeout_secs: Option<u64>,
    /// `-- program args...`: a host program to run as init.
    pub program: Option<std::path::PathBuf>,
    pub program_args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Machine {
    Q35,
    Microvm,
}

impl Machine {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "q35" => Ok(Machine::Q35),
            "microvm" => Ok(Machine::Microvm),
            other => Err(format!("unknown machine `{other}` (q35 or microvm)")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Machine::Q35 => "q35",
            Machine::Microvm => "microvm",
        }
    }
}

/// Accepts QEMU's size syntax: a number with an optional K/M/G suffix.
pub fn check_memory_size(s: &str) -> Result<(), String> {
    let digits = s.trim_end_matches(['K', 'M', 'G', 'k', 'm', 'g']);
    match digits.parse::<u64>() {
        Ok(n) if n > 0 && s.len() - digits.len() <= 1 => Ok(()),
        _ => Err(format!("bad memory size `{s}` (e.g. 128M, 1G)")),
    }
}

/// A manifest named on the command line: a file name in user/manifests
/// (`blk.manifest`, or `blk` for short), never a path elsewhere.
pub fn check_manifest_name(s: &str) -> Result<String, String> {
    let name = if s.ends_with(".manifest") { s.to_string() } else { format!("{s}.manifest") };
    let stem = &name[..name.len() - ".manifest".len()];
    if stem.is_empty()
        || !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        || stem.starts_with('.')
    {
        return Err(format!("bad manifest `{s}`: a file name in user/manifests, e.g. blk.manifest"));
    }
    Ok(name)
}

impl RunArgs {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut build = Vec::new();
        let mut a = RunArgs {
            build: BuildArgs::default(),
            machine: Machine::Q35,
            memory: "128M".into(),
            cpus: 1,
            gdb: false,
            native: false,
            manifest: None,
            disk: None,
            rootfs: false,
            rootfs_image: None,
            trace: false,
            icount: false,
            append: String::new(),
            net: None,
            timeout_secs: None,
            program: None,
            program_args: Vec::new(),
        };
        let mut memory_given = false;
        let mut explicit_net = false;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "--machine" => a.machine = Machine::parse(value(args, &mut i, "--machine")?)?,
                "--memory" | "-m" => {
                    let v = value(args, &mut i, "--memory")?;
                    check_memory_size(v)?;
                    a.memory = v.to_string();
                    memory_given = true;
                }
                "--cpus" => {
                    let v = value(args, &mut i, "--cpus")?;
                    a.cpus =
                        v.parse().ok().filter(|n| (1..=64).contains(n)).ok_or(format!("bad CPU count `{v}` (1-64)"))?;
                }
                "--gdb" => a.gdb = true,
                "--native" => a.native = true,
                "--trace" => a.trace = true,
                "--icount" => a.icount = true,
                "--manifest" => {
                    let v = value(args, &mut i, "--manifest")?;
                    a.manifest = Some(check_manifest_name(v)?);
                    a.native = true;
                }
                "--disk" => a.disk = Some(std::path::PathBuf::from(value(args, &mut i, "--disk")?)),
                "--rootfs" => a.rootfs = true,
                "--rootfs-image" => {
                    a.rootfs_image = Some(std::path::PathBuf::from(value(args, &mut i, "--rootfs-image")?));
                    a.rootfs = true;
                }
                "--append" => a.append = value(args, &mut i, "--append")?.to_string(),
                "--net" | "--net-static" => {
                    use crate::network_services::{Ethernet, Ipv4Mode};
                    let ipv4 = if args[i] == "--net" { Ipv4Mode::Dhcp } else { Ipv4Mode::Static };
                    match &mut a.net {
                        Some(net) if net.ipv4 != ipv4 && explicit_net => {
                            return Err("--net and --net-static contradict each other".into())
                        }
                        Some(net) => net.ipv4 = ipv4,
                        None => a.net = Some(Ethernet { ipv4, forwards: Vec::new() }),
                    }
                    explicit_net = true;
                }
                "--forward" => {
                    let v = value(args, &mut i, "--forward")?;
                    let forward = parse_forward(v)?;
                    let net = a.net.get_or_insert(crate::network_services::Ethernet {
                        ipv4: crate::network_services::Ipv4Mode::Dhcp,
                        forwards: Vec::new(),
                    });
                    if net.forwards.iter().any(|(host, _)| *host == forward.0) {
                        return Err(format!("--forward {v}: host port {} is forwarded twice", forward.0));
                    }
                    net.forwards.push(forward);
                }
                "--timeout" => {
                    let v = value(args, &mut i, "--timeout")?;
                    a.timeout_secs = Some(v.parse().map_err(|_| format!("bad timeout `{v}`"))?);
                }
                "--debug" | "--ktest" | "--lock-order" => build.push(args[i].clone()),
                "--" => {
                    let rest = &args[i + 1..];
                    let (program, prog_args) = rest.split_first().ok_or("`--` must be followed by a program")?;
                    a.program = Some(std::path::PathBuf::from(program));
                    a.program_args = prog_args.to_vec();
                    break;
                }
                other => return Err(format!("unknown run option `{other}`")),
            }
            i += 1;
        }
        a.build = BuildArgs::parse(&build)?;
        if a.net.is_some() {
            if a.machine == Machine::Microvm {
                return Err("--net attaches a PCI network card; microvm has no PCI bus (use --machine q35)".into());
            }
            if a.native {
                return Err("--net starts the Linux personality's network server; --native and --manifest boot only their manifest's tasks".into());
            }
        }
        if a.rootfs {
            // Debian's init is bash from the disk; the other ways to pick
            // init or the disk would contradict it.
            if a.program.is_some() {
                return Err("--rootfs boots Debian's /bin/bash from the disk; it cannot also run `-- PROGRAM` (run the program from that shell)".into());
            }
            if a.native {
                return Err("--rootfs boots its own manifest (user/manifests/rootfs.manifest); it cannot be combined with --native or --manifest".into());
            }
            if a.disk.is_some() {
                return Err("--rootfs attaches the root file system image as the disk; use --rootfs-image IMAGE instead of --disk".into());
            }
            if !memory_given {
                // Python, gcc and a shell with a real libc want more than
                // the usual 128M.
                a.memory = "1G".into();
            }
        }
        Ok(a)
    }
}

/// `--forward HOST:GUEST`: two TCP ports, 1-65535.
pub fn parse_forward(v: &str) -> Result<(u16, u16), String> {
    let port = |s: &str| s.parse::<u16>().ok().filter(|&p| p != 0);
    v.split_once(':')
        .and_then(|(host, guest)| Some((port(host)?, port(guest)?)))
        .ok_or_else(|| format!("bad --forward `{v}` (HOST:GUEST, two TCP ports, e.g. 8080:80)"))
}

/// `cargo xtask rootfs [--force]`.
#[derive(Debug, Default, Clone)]
pub struct RootfsArgs {
    /// Build again even when the image is up to date.
    pub force: bool,
}

impl RootfsArgs {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut a = RootfsArgs::default();
        for arg in args {
            match arg.as_str() {
                "--force" => a.force = true,
                other => return Err(format!("unknown rootfs option `{other}`")),
            }
        }
        Ok(a)
    }
}

/// The groups `cargo xtask test` runs, in order.
pub const TEST_GROUPS: &[&str] = &[
    "host", "boot", "ktest", "harness", "linux", "go", "freebsd", "netbsd", "busybox", "console", "native", "storage",
    "net", "bench", "rootfs", "debian", "ltp", "fuzz",
];

#[derive(Debug, Default, Clone)]
pub struct TestArgs {
    pub host_only: bool,
    pub kernel_only: bool,
    /// Only these groups (`TEST_GROUPS`).
    pub only: Vec<String>,
    /// `--long`: the debian group also runs its long and known-failing scenarios in Helctic.
    pub long: bool,
}

impl TestArgs {
    pub fn wants(&self, group: &str) -> bool {
        if !self.only.is_empty() {
            return self.only.iter().any(|g| g == group);
        }
        if self.host_only {
            return group == "host";
        }
        !(self.kernel_only && group == "host")
    }
}

impl TestArgs {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut a = TestArgs::default();
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "--host-only" => a.host_only = true,
                "--kernel-only" => a.kernel_only = true,
                "--long" => a.long = true,
                "--only" => {
                    // `--only linux,busybox` or repeated `--only`; a name that is
                    // no group would silently run nothing, so it is refused.
                    for group in value(args, &mut i, "--only")?.split(',').filter(|g| !g.is_empty()) {
                        if !TEST_GROUPS.contains(&group) {
                            return Err(format!("unknown test group `{group}` (groups: {})", TEST_GROUPS.join(", ")));
                        }
                        a.only.push(group.to_string());
                    }
                }
                other => return Err(format!("unknown test option `{other}`")),
            }
            i += 1;
        }
        if a.host_only && a.kernel_only {
            return Err("--host-only and --kernel-only exclude each other".into());
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn run_defaults_and_flags() {
        let a = RunArgs::parse(&[]).unwrap();
        assert_eq!((a.machine, a.memory.as_str(), a.cpus, a.gdb), (Machine::Q35, "128M", 1, false));
        let a =
            RunArgs::parse(&strings(&["--machine", "microvm", "--memory", "1G", "--cpus", "2", "--gdb", "--ktest"]))
                .unwrap();
        assert_eq!(
            (a.machine, a.memory.as_str(), a.cpus, a.gdb, a.build.ktest),
            (Machine::Microvm, "1G", 2, true, true)
        );
    }

    #[test]
    fn run_network_flags() {
        use crate::network_services::Ipv4Mode;
        assert_eq!(RunArgs::parse(&[]).unwrap().net, None);
        let a = RunArgs::parse(&strings(&["--net"])).unwrap();
        assert_eq!(a.net.map(|n| (n.ipv4, n.forwards)), Some((Ipv4Mode::Dhcp, vec![])));
        let a = RunArgs::parse(&strings(&["--forward", "8080:80", "--net-static", "--forward", "2222:22"])).unwrap();
        assert_eq!(a.net.map(|n| (n.ipv4, n.forwards)), Some((Ipv4Mode::Static, vec![(8080, 80), (2222, 22)])));
        for bad in [
            &["--forward", "8080"][..],
            &["--forward", "0:80"],
            &["--forward", "8080:70000"],
            &["--forward", "1:2", "--forward", "1:3"],
            &["--net", "--net-static"],
            &["--net", "--machine", "microvm"],
            &["--net", "--native"],
        ] {
            assert!(RunArgs::parse(&strings(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn run_manifest_and_disk() {
        let a = RunArgs::parse(&strings(&["--native", "--manifest", "blk.manifest", "--disk", "/tmp/d.img"])).unwrap();
        assert_eq!(
            (a.native, a.manifest.as_deref(), a.disk.as_deref()),
            (true, Some("blk.manifest"), Some(std::path::Path::new("/tmp/d.img")))
        );
        let a = RunArgs::parse(&strings(&["--manifest", "blk"])).unwrap();
        assert_eq!((a.native, a.manifest.as_deref(), a.disk), (true, Some("blk.manifest"), None));
    }

    #[test]
    fn run_rejects_bad_values() {
        for bad in [
            &["--machine", "pc"][..],
            &["--memory", "lots"],
            &["--memory", "12MB"],
            &["--cpus", "0"],
            &["--cpus"],
            &["--frobnicate"],
            &["--manifest", "../x"],
            &["--manifest", "a/b.manifest"],
            &["--manifest"],
            &["--disk"],
        ] {
            assert!(RunArgs::parse(&strings(bad)).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn run_rootfs() {
        let a = RunArgs::parse(&strings(&["--rootfs"])).unwrap();
        assert_eq!((a.rootfs, a.rootfs_image, a.memory.as_str(), a.native, a.disk), (true, None, "1G", false, None));
        let a = RunArgs::parse(&strings(&["--rootfs", "--memory", "512M", "--append", "loglevel=debug"])).unwrap();
        assert_eq!((a.rootfs, a.memory.as_str(), a.append.as_str()), (true, "512M", "loglevel=debug"));
        // --memory before --rootfs counts too.
        let a = RunArgs::parse(&strings(&["--memory", "2G", "--rootfs"])).unwrap();
        assert_eq!(a.memory, "2G");
        let a = RunArgs::parse(&strings(&["--rootfs-image", "/tmp/r.img"])).unwrap();
        assert_eq!(
            (a.rootfs, a.rootfs_image.as_deref(), a.memory.as_str()),
            (true, Some(std::path::Path::new("/tmp/r.img")), "1G")
        );
        // Without --rootfs, nothing changes.
        let a = RunArgs::parse(&strings(&["--disk", "/tmp/d.img"])).unwrap();
        assert_eq!((a.rootfs, a.memory.as_str()), (false, "128M"));
    }

    #[test]
    fn run_rootfs_refuses_contradictions() {
        for (bad, says) in [
            (&["--rootfs", "--", "./hello"][..], "-- PROGRAM"),
            (&["--rootfs-image", "r.img", "--", "./hello", "a"], "-- PROGRAM"),
            (&["--rootfs", "--native"], "--native"),
            (&["--manifest", "blk", "--rootfs"], "--native"),
            (&["--rootfs", "--disk", "d.img"], "--disk"),
            (&["--disk", "d.img", "--rootfs-image", "r.img"], "--disk"),
            (&["--rootfs-image"], "needs a value"),
        ] {
            let e = RunArgs::parse(&strings(bad)).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }

    #[test]
    fn rootfs_flags() {
        assert!(!RootfsArgs::parse(&[]).unwrap().force);
        assert!(RootfsArgs::parse(&strings(&["--force"])).unwrap().force);
        assert!(RootfsArgs::parse(&strings(&["--frobnicate"])).is_err());
    }

    #[test]
    fn test_flags_exclusive() {
        assert!(TestArgs::parse(&strings(&["--host-only", "--kernel-only"])).is_err());
        assert!(TestArgs::parse(&strings(&["--host-only"])).unwrap().host_only);
    }

    #[test]
    fn test_long_and_the_debian_group() {
        let a = TestArgs::parse(&strings(&["--only", "linux,busybox"])).unwrap();
        assert!(a.wants("linux") && a.wants("busybox") && !a.wants("storage"));
        assert!(TestArgs::parse(&strings(&["--only", "linux,bogus"])).is_err(), "an unknown group is refused");
        let a = TestArgs::parse(&strings(&["--only", "debian", "--long"])).unwrap();
        assert!(a.long && a.wants("debian") && !a.wants("rootfs"));
        let a = TestArgs::parse(&[]).unwrap();
        assert!(!a.long && a.wants("debian"));
    }
}
