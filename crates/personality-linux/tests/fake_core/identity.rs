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
        self.proc_state.parent
    }
    // The caller is 7 (0 names it too); its child 100 shares its group.
    fn process_group(&mut self, pid: u32) -> KResult<u32> {
        match pid {
            0 | 7 | 100 => Ok(self.proc_state.pgid),
            _ => Err(Error::NoSuchProcess),
        }
    }
    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()> {
        if !matches!(pid, 0 | 7 | 100) {
            return Err(Error::NoSuchProcess);
        }
        self.proc_state.setpgids.push((pid, pgid));
        Ok(())
    }
    fn session(&mut self, pid: u32) -> KResult<u32> {
        match pid {
            0 | 7 | 100 => Ok(self.proc_state.sid),
            _ => Err(Error::NoSuchProcess),
        }
    }
    // A group leader cannot start a session (EPERM), as Linux.
    fn new_session(&mut self) -> KResult<u32> {
        if self.proc_state.pgid == 7 {
            return Err(Error::NotPermitted);
        }
        self.proc_state.pgid = 7;
        self.proc_state.sid = 7;
        Ok(7)
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
