//! How the fake core implements `ResourceOps` (resource limits, usage, task
//! settings and nice values).

use super::*;

impl ResourceOps for FakeCore {
    fn nice(&mut self, target: PriorityTarget) -> KResult<i32> {
        self.nice_calls.push((target, None));
        self.nice_answer
    }
    fn set_nice(&mut self, target: PriorityTarget, nice: i32) -> KResult<()> {
        self.nice_calls.push((target, Some(nice)));
        Ok(())
    }
    // Unset limits are 1024 soft, unlimited hard.
    fn limit(&self, resource: Resource) -> Limit {
        let set = self.proc_state.limits.iter().rev().find(|(r, _)| *r == resource);
        set.map_or(Limit { soft: 1024, hard: UNLIMITED }, |(_, l)| *l)
    }
    // Soft above hard is EINVAL; raising hard needs privilege (EPERM).
    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()> {
        if limit.soft > limit.hard {
            return Err(Error::InvalidArgument);
        }
        if limit.hard > self.limit(resource).hard && !self.creds.has(Privilege::SysResource) {
            return Err(Error::NotPermitted);
        }
        self.proc_state.limits.push((resource, limit));
        Ok(())
    }
    fn cpu_times(&self, children: bool) -> (u64, u64) {
        self.proc_state.cpu_times[usize::from(children)]
    }
    fn resource_usage(&mut self, target: UsageTarget) -> ResourceUsage {
        self.usage_asked.push(target);
        self.usage
    }
    fn task_setting(&mut self, which: TaskSetting) -> u64 {
        self.settings.iter().rev().find(|(w, _)| *w == which).map_or(0, |(_, v)| *v)
    }
    fn set_task_setting(&mut self, which: TaskSetting, value: u64) -> KResult<()> {
        self.settings.push((which, value));
        Ok(())
    }
}
