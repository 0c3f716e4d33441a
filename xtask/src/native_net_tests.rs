//! A native program and Linux programs on one TCP/IP stack
//! (`native-abi::native-and-linux`, in the `native` group; docs/native-sockets.md): a Linux boot whose
//! manifest also grants the `sockets` endpoint to `sockcheck` (argument
//! 2). sockcheck listens on 127.0.0.1:7002 and answers the line busybox
//! `nc` sends it, then connects to busybox `nc -l` on 7003 and sends a
//! line of its own. Both lines must arrive, through the same server the
//! kernel's sockets use.

use crate::harness;
use crate::qemu::MachineConfig;
use std::path::Path;
use std::time::Duration;

/// The Linux side: retries while the native listener is not up yet.
const SCRIPT: &str = "#!/bin/sh
export PATH=/bin
echo @@start
nc -l -p 7003 > /fromnative &
listener=$!
got=
for i in 1 2 3 4 5 6 7 8 9 10; do
    got=$(printf 'hello from linux\\n' | nc 127.0.0.1 7002 2>/dev/null) && [ -n \"$got\" ] && break
    sleep 1
done
echo \"@@native answered: $got\"
wait $listener
echo \"@@native sent: $(cat /fromnative)\"
echo @@end
";

pub fn run(kernel: &Path, busybox: &crate::debian::Busybox) -> (String, Result<String, String>) {
    ("native-abi::native-and-linux".into(), native_and_linux(kernel, busybox))
}

fn native_and_linux(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let normal = crate::network_services::manifest()?;
    let with_sockets = normal.replace("    grant net w\n", "    grant net w\n    grant endpoint sockets rwgtd\n");
    if with_sockets == normal {
        return Err("  network.manifest has no `grant net w` line to add the endpoint after".into());
    }
    let manifest = format!(
        "endpoint sockets\n{with_sockets}\n\
         task sockcheck\n    arg 2\n    after netstack\n    memory 4096\n    grant endpoint sockets wg\n"
    );
    let mut image = crate::userland::busybox_image(busybox)?;
    image.file("init", SCRIPT.as_bytes().to_vec(), 0o755);
    crate::network_services::add_with(&mut image, manifest)?;
    let built = crate::native::build_native(true)?;
    let (_, sockcheck) =
        built.iter().find(|(p, _)| p == "sockcheck").ok_or("native program sockcheck was not built")?;
    image.host_file("native/sockcheck", sockcheck)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "256M".into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(image.write("native-and-linux.cpio")?);
    let boot = harness::boot(kernel, &cfg, Duration::from_secs(180))?;
    let fail = |why: String| {
        let saved = boot.save().map_or(String::new(), |p| format!(" (whole log: {})", p.display()));
        Err(format!("  {why}{saved}; last lines:\n{}", boot.tail(40)))
    };
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return fail(format!("the kernel logged {bug:?}"));
    }
    // Native tasks and the Linux script share the serial port: a native
    // line can land in the middle of one of the script's.
    let script = without_native_lines(&boot.log);
    if !script.lines().any(|l| l.trim_end() == "@@end") {
        return fail("the script did not finish".into());
    }
    if !script.lines().any(|l| l.contains("@@native answered: native got: hello from linux")) {
        return fail("busybox nc did not get sockcheck's answer".into());
    }
    if !script.lines().any(|l| l.contains("@@native sent: hello from native")) {
        return fail("busybox nc -l did not get sockcheck's line".into());
    }
    // Its own "linux ok" may come after the script's end powered the
    // machine off: the lines above are the proof, a failure line the only
    // thing it may not say.
    if let Some(l) = boot.lines().find(|l| l.contains("sockcheck: FAIL")) {
        return fail(format!("sockcheck said {l:?}"));
    }
    Ok(format!("busybox nc <-> native sockcheck both ways on 127.0.0.1 ({:.0} s)", boot.elapsed.as_secs_f64()))
}

/// `log` without the native tasks' lines (`[task] text`, each ended by a
/// newline), wherever they start: what the Linux side printed, whole.
fn without_native_lines(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut rest = log;
    while let Some(at) = ["[init] ", "[netstack] ", "[sockcheck] "].iter().filter_map(|t| rest.find(t)).min() {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once('\n').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn native_lines_inside_a_script_line_are_taken_out() {
        let log = "@@start\n@[init] init: task sockcheck exited with 0\n@native answered: hi\n[netstack] x\n@@end\n";
        assert_eq!(super::without_native_lines(log), "@@start\n@@native answered: hi\n@@end\n");
    }
}
