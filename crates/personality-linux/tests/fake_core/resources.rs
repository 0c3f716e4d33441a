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
    fn limit(&self, resource: Resource) -> Limit {
        unimplemented!("fake core: limit")
    }
    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()> {
        unimplemented!("fake core: set_limit")
    }
    fn cpu_times(&self, children: bool) -> (u64, u64) {
        unimplemented!("fake core: cpu_times")
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
