//! How the kernel core implements `MachineOps` (the machine: randomness,
//! system information, CPUs, names, power).

use super::*;

static HOSTNAME: SpinLock<Vec<u8>> = SpinLock::new(Vec::new());

static DOMAINNAME: SpinLock<Vec<u8>> = SpinLock::new(Vec::new());

impl MachineOps for CoreOps<'_> {
    fn random_bytes(&mut self, buf: &mut [u8]) {
        crate::random::fill(buf);
    }

    fn system_info(&mut self) -> SystemInfo {
        crate::task::system_info()
    }

    fn current_cpu(&self) -> u32 {
        crate::arch::percpu::cpu_index()
    }

    fn cpu_count(&self) -> u32 {
        crate::arch::percpu::online_cpus()
    }

    fn hostname(&self) -> Vec<u8> {
        hostname()
    }

    fn set_hostname(&mut self, name: &[u8]) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        set_node_name(false, name)
    }

    fn domain_name(&self) -> Vec<u8> {
        domainname()
    }

    fn set_domain_name(&mut self, name: &[u8]) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        set_node_name(true, name)
    }

    fn power_off(&mut self, reboot: bool) -> KResult<()> {
        if !self.has(Privilege::SysBoot) {
            return Err(Error::NotPermitted);
        }
        crate::info!("{} requested by pid {}", if reboot { "reboot" } else { "power off" }, self.process.pid);
        // Disks served from user space get their caches written first.
        fs::sync_for_power_off();
        crate::profile::dump();
        crate::arch::cpu::exit_machine(crate::arch::cpu::ExitStatus::Success)
    }
}

/// The machine's host name (uname, /proc/sys/kernel/hostname).
pub fn hostname() -> Vec<u8> {
    let h = HOSTNAME.lock();
    if h.is_empty() {
        b"helctic".to_vec()
    } else {
        h.clone()
    }
}

/// The NIS domain name (uname, /proc/sys/kernel/domainname); Linux's
/// default is "(none)".
pub fn domainname() -> Vec<u8> {
    let d = DOMAINNAME.lock();
    if d.is_empty() {
        b"(none)".to_vec()
    } else {
        d.clone()
    }
}

/// Sets the host or the domain name: at most 64 bytes (__NEW_UTS_LEN).
/// The caller checked the privilege (a system call) or the file's
/// permission (a write to /proc/sys/kernel).
pub fn set_node_name(domain: bool, name: &[u8]) -> KResult<()> {
    if name.len() > 64 {
        return Err(Error::InvalidArgument);
    }
    *(if domain { &DOMAINNAME } else { &HOSTNAME }).lock() = name.to_vec();
    Ok(())
}
