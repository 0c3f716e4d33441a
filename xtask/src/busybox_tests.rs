//! The busybox shell scripts (tests/busybox/*.sh): each runs natively
//! with Debian's busybox (a PATH holding only its applets) and inside
//! Helctic with the same binary; their standard output must be identical.

use crate::debian::Busybox;
use crate::harness;
use crate::qemu::MachineConfig;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub fn scripts() -> Result<Vec<PathBuf>, String> {
    let dir = crate::root().join("tests/busybox");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh") && p.file_name().is_none_or(|n| n != "run-native.sh"))
        .collect();
    v.sort();
    Ok(v)
}

fn name(script: &Path) -> String {
    script.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string()
}

/// Runs a script natively; returns its standard output.
pub fn run_native(busybox: &Busybox, script: &Path) -> Result<String, String> {
    let base = std::env::temp_dir().join(format!("helctic-bb-{}-{}", name(script), std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let bin = base.join("bin");
    let scratch = base.join("scratch");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    for applet in &busybox.applets {
        let _ = std::os::unix::fs::symlink(&busybox.path, bin.join(applet));
    }
    let out = Command::new(&busybox.path)
        .args(["sh"])
        .arg(script)
        .arg(&scratch)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", "/")
        .current_dir(&scratch)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run busybox: {e}"))?;
    let _ = std::fs::remove_dir_all(&base);
    if !out.status.success() {
        return Err(format!("exit {:?}; stderr:\n{}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs every script in one Helctic boot; returns stdout (and stderr) by name.
pub fn run_in_helctic(
    kernel: &Path,
    busybox: &Busybox,
    scripts: &[PathBuf],
) -> Result<(BTreeMap<String, (Option<i32>, String, String)>, harness::Boot), String> {
    let mut image = crate::userland::busybox_image(busybox)?;
    let mut init = String::from("#!/bin/sh\nexport PATH=/bin\n");
    for s in scripts {
        let n = name(s);
        image.host_file(&format!("tests/busybox/{n}.sh"), s)?;
        init.push_str(&format!(
            "mkdir -p /tmp/bb-{n}\ncd /tmp/bb-{n}\nenv -i PATH=/bin HOME=/ /bin/busybox sh /tests/busybox/{n}.sh /tmp/bb-{n} >/tmp/{n}.out 2>/tmp/{n}.err\nstatus=$?\necho '@@BEGIN {n}'\ncat /tmp/{n}.out\necho \"@@END {n} $status\"\necho '@@STDERR {n}'\ncat /tmp/{n}.err\necho '@@STDERR-END {n}'\n"
        ));
    }
    image.file("init", init.into_bytes(), 0o755);
    crate::network_services::add(&mut image)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "256M".into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(image.write("busybox-tests.cpio")?);
    let boot = harness::boot(kernel, &cfg, Duration::from_secs(600))?;
    let mut results = BTreeMap::new();
    let mut cur: Option<(String, String)> = None;
    let mut err: Option<(String, String)> = None;
    for line in boot.lines().filter(|l| !harness::is_kernel_log(l)) {
        if let Some(n) = line.strip_prefix("@@BEGIN ") {
            cur = Some((n.to_string(), String::new()));
        } else if let Some(rest) = line.strip_prefix("@@END ") {
            let (n, code) = rest.rsplit_once(' ').unwrap_or((rest, ""));
            if let Some((_, out)) = cur.take() {
                results.insert(n.to_string(), (code.parse().ok(), out, String::new()));
            }
        } else if let Some(n) = line.strip_prefix("@@STDERR-END ") {
            if let (Some((_, e)), Some(r)) = (err.take(), results.get_mut(n)) {
                r.2 = e;
            }
        } else if let Some(n) = line.strip_prefix("@@STDERR ") {
            err = Some((n.to_string(), String::new()));
        } else if let Some((_, out)) = cur.as_mut() {
            out.push_str(line);
            out.push('\n');
        } else if let Some((_, e)) = err.as_mut() {
            e.push_str(line);
            e.push('\n');
        }
    }
    if let Some((n, out)) = cur {
        results.insert(n, (None, out, String::new()));
    }
    Ok((results, boot))
}

/// The distinct applets the scripts declare in their `# Applets:` headers.
pub fn declared_applets(scripts: &[PathBuf]) -> std::collections::BTreeSet<String> {
    let mut set = std::collections::BTreeSet::new();
    for s in scripts {
        if let Ok(text) = std::fs::read_to_string(s) {
            let mut in_header = false;
            for line in text.lines().take(40) {
                if let Some(rest) = line.strip_prefix("# Applets:") {
                    in_header = true;
                    set.extend(
                        rest.split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|w| !w.is_empty())
                            .map(str::to_string),
                    );
                } else if in_header && line.starts_with("#   ") {
                    set.extend(
                        line[1..]
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|w| !w.is_empty())
                            .map(str::to_string),
                    );
                } else {
                    in_header = false;
                }
            }
        }
    }
    set
}

/// First differing line, for a readable failure.
pub fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        if w.get(i) != g.get(i) {
            return format!(
                "line {}: native {:?}\n                helctic {:?}",
                i + 1,
                w.get(i).unwrap_or(&"<end>"),
                g.get(i).unwrap_or(&"<end>")
            );
        }
    }
    "identical".into()
}
