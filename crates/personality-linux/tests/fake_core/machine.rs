//! How the fake core implements `MachineOps` (the machine: randomness, system
//! information, CPUs, names, power).

use super::*;

impl MachineOps for FakeCore {
    fn random_bytes(&mut self, buf: &mut [u8]) {
        buf.fill(0xa5);
    }
    fn hostname(&self) -> Vec<u8> {
        b"fakehost".to_vec()
    }
    fn current_cpu(&self) -> u32 {
        0
    }
    fn cpu_count(&self) -> u32 {
        1
    }
    fn system_info(&mut self) -> SystemInfo {
        self.proc_state.system_info
    }
    fn set_hostname(&mut self, name: &[u8]) -> KResult<()> {
        self.proc_state.hostnames.push(name.to_vec());
        Ok(())
    }
    fn set_domain_name(&mut self, name: &[u8]) -> KResult<()> {
        self.proc_state.domain_names.push(name.to_vec());
        Ok(())
    }
    fn power_off(&mut self, reboot: bool) -> KResult<()> {
        self.proc_state.power_offs.push(reboot);
        Ok(())
    }
}
