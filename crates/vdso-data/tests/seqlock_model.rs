//! The seqlock against a model of the shared page: a writer whose stores
//! land between any two of the reader's loads, on every schedule proptest
//! can find. A snapshot must always be one publication's whole, and no
//! older than the newest one that was complete when the read began.

use proptest::prelude::*;
use vdso_data::{read, Publication, VvarData, VvarSource};

/// The page and a writer that makes one store per `step`.
struct Model {
    page: [u64; VvarData::WORDS],
    /// Every store of every publication, in program order: (word, value).
    stores: Vec<(usize, u64)>,
    next_store: usize,
    /// Index into `stores` just past each publication's last store.
    completes_at: Vec<usize>,
    /// How many writer stores happen before each reader load, in turn.
    schedule: Vec<u8>,
    next_load: usize,
}

impl Model {
    fn new(data: &[VvarData], body_reversed: bool, schedule: Vec<u8>) -> Model {
        let mut stores = Vec::new();
        let mut completes_at = Vec::new();
        let mut seq = 0;
        for d in data {
            let p = Publication::new(seq, d);
            stores.push((VvarData::SEQ, p.begin));
            let mut body: Vec<(usize, u64)> =
                p.body.iter().enumerate().map(|(i, &w)| (VvarData::BODY + i, w)).collect();
            if body_reversed {
                body.reverse();
            }
            stores.extend(body);
            stores.push((VvarData::SEQ, p.end));
            completes_at.push(stores.len());
            seq = p.end;
        }
        Model { page: [0; VvarData::WORDS], stores, next_store: 0, completes_at, schedule, next_load: 0 }
    }

    fn step(&mut self) {
        if let Some(&(word, value)) = self.stores.get(self.next_store) {
            self.page[word] = value;
            self.next_store += 1;
        }
    }

    /// How many publications are complete now.
    fn complete(&self) -> usize {
        self.completes_at.iter().filter(|&&at| at <= self.next_store).count()
    }
}

impl VvarSource for Model {
    fn load(&mut self, word: usize) -> u64 {
        let steps = self.schedule.get(self.next_load).copied().unwrap_or(0);
        self.next_load += 1;
        for _ in 0..steps {
            self.step();
        }
        self.page[word]
    }

    /// A reader that waits lets the writer run (it would, on another CPU).
    fn relax(&mut self) {
        self.step();
    }
}

/// What a reader may see after `n` complete publications of `data`.
fn snapshot_after(data: &[VvarData], n: usize) -> VvarData {
    let mut seq = 0;
    let mut seen = VvarData::default();
    for d in &data[..n] {
        let p = Publication::new(seq, d);
        seen = p.result(d);
        seq = p.end;
    }
    seen
}

fn vvar() -> impl Strategy<Value = VvarData> {
    (any::<u64>(), any::<u64>(), any::<u64>(), any::<u64>()).prop_map(|(flags, fp, offset, res)| VvarData {
        seq: 0,
        flags,
        ns_per_tick_fp: fp,
        realtime_offset_ns: offset,
        resolution_ns: res,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn every_snapshot_is_one_whole_recent_publication(
        data in proptest::collection::vec(vvar(), 1..5),
        body_reversed in any::<bool>(),
        schedule in proptest::collection::vec(0u8..4, 0..80),
        reads in 1usize..6,
    ) {
        let mut model = Model::new(&data, body_reversed, schedule);
        for _ in 0..reads {
            let complete_before = model.complete();
            let got = read(&mut model);
            let complete_after = model.complete();
            let matched = (complete_before..=complete_after).find(|&n| snapshot_after(&data, n) == got);
            prop_assert!(matched.is_some(), "torn or stale snapshot {:?} (complete before {}, after {})", got, complete_before, complete_after);
        }
    }
}

/// The model can catch a broken reader: one that skips the second counter
/// check returns a mix of two publications on this schedule.
#[test]
fn a_reader_without_the_second_check_tears() {
    struct Naive;
    impl Naive {
        fn read(m: &mut Model) -> VvarData {
            loop {
                let seq = m.load(VvarData::SEQ);
                if seq & 1 == 0 {
                    return VvarData {
                        seq,
                        flags: m.load(VvarData::FLAGS),
                        ns_per_tick_fp: m.load(VvarData::NS_PER_TICK_FP),
                        realtime_offset_ns: m.load(VvarData::REALTIME_OFFSET_NS),
                        resolution_ns: m.load(VvarData::RESOLUTION_NS),
                    };
                }
                m.relax();
            }
        }
    }
    let a = VvarData { seq: 0, flags: 1, ns_per_tick_fp: 10, realtime_offset_ns: 100, resolution_ns: 1 };
    let b = VvarData { seq: 0, flags: 1, ns_per_tick_fp: 20, realtime_offset_ns: 200, resolution_ns: 1 };
    // Publish `a` completely (6 stores) before the first load, then let
    // `b`'s begin and first two body words land before the third load.
    let schedule = vec![6, 0, 3, 0, 0, 0, 0];
    let mut naive = Model::new(&[a, b], false, schedule.clone());
    let torn = Naive::read(&mut naive);
    assert_eq!((torn.flags, torn.ns_per_tick_fp, torn.realtime_offset_ns), (1, 20, 100));
    let mut model = Model::new(&[a, b], false, schedule);
    let got = read(&mut model);
    assert!(got == snapshot_after(&[a, b], 1) || got == snapshot_after(&[a, b], 2), "{got:?}");
}
