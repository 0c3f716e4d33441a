//! How the fake core implements `IdentityOps` (who the caller is: ids,
//! process groups, sessions, credentials and names).

use super::*;

impl IdentityOps for FakeCore {
    fn pid(&self) -> u32 {
        7
    }
    fn tid(&self) -> u32 {
        7
    }
    fn credentials(&self) -> Credentials {
        self.creds
    }
    fn credentials_of(&mut self, pid: u32) -> KResult<Credentials> {
        if pid == 0 || pid == 7 {
            Ok(self.creds)
        } else {
            Err(Error::NoSuchProcess)
        }
    }
    fn groups(&self) -> Vec<u32> {
        self.groups.clone()
    }
    fn set_groups(&mut self, groups: &[u32]) -> KResult<()> {
        self.groups = groups.to_vec();
        self.groups.sort_unstable();
        Ok(())
    }
    fn parent_pid(&self) -> u32 {
        unimplemented!("fake core: parent_pid")
    }
    fn process_group(&mut self, pid: u32) -> KResult<u32> {
        unimplemented!("fake core: process_group")
    }
    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()> {
        unimplemented!("fake core: set_process_group")
    }
    fn session(&mut self, pid: u32) -> KResult<u32> {
        unimplemented!("fake core: session")
    }
    fn new_session(&mut self) -> KResult<u32> {
        unimplemented!("fake core: new_session")
    }
    fn set_credentials(&mut self, creds: Credentials) -> KResult<()> {
        self.creds = self.creds.change(&creds)?;
        Ok(())
    }
    fn thread_name(&self) -> [u8; 16] {
        self.thread_name
    }
    fn set_thread_name(&mut self, name: &[u8]) {
        self.thread_name = [0; 16];
        self.thread_name[..name.len()].copy_from_slice(name);
    }
}
