//! Many machines by key, each woken at its own deadline: thousands are live under load, so a
//! wake-up touches only the ones that are due, through one heap of deadlines.

use std::borrow::Borrow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;
use std::time::Duration;

/// Items by key, with the deadline each last asked for.
#[derive(Debug)]
pub struct Timed<K, T> {
    items: HashMap<K, (T, Option<Duration>)>,
    /// Every deadline set, some since moved or ended (skipped when they come up, and dropped
    /// by a rebuild when they outnumber the live ones).
    heap: BinaryHeap<Reverse<(Duration, K)>>,
}

impl<K, T> Default for Timed<K, T> {
    fn default() -> Self {
        Timed {
            items: HashMap::new(),
            heap: BinaryHeap::new(),
        }
    }
}

impl<K: Hash + Ord + Clone, T> Timed<K, T> {
    /// Adds `item` under `key`, with no deadline yet.
    pub fn insert(&mut self, key: K, item: T) {
        self.items.insert(key, (item, None));
    }

    /// The item under `key`.
    pub fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&mut T>
    where
        K: Borrow<Q>,
    {
        self.items.get_mut(key).map(|(item, _)| item)
    }

    /// Forgets the item under `key` (its deadlines in the heap are skipped).
    pub fn remove(&mut self, key: &K) -> Option<T> {
        self.items.remove(key).map(|(item, _)| item)
    }

    /// Whether no item is left.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut T)> {
        self.items.iter_mut().map(|(key, (item, _))| (key, item))
    }

    /// `key` next wakes at `at` (its machines' earliest `poll_timeout`; `None`: no timer).
    pub fn wake_at(&mut self, key: &K, at: Option<Duration>) {
        let Some((_, deadline)) = self.items.get_mut(key) else {
            return;
        };
        if *deadline == at {
            return;
        }
        *deadline = at;
        if let Some(at) = at {
            self.heap.push(Reverse((at, key.clone())));
        }
        if self.heap.len() > 2 * self.items.len() + 64 {
            let live = self.items.iter();
            let live = live.filter_map(|(k, (_, at))| Some(Reverse(((*at)?, k.clone()))));
            self.heap = live.collect();
        }
    }

    /// A key whose deadline has come by `now`; its deadline is cleared (set the next one
    /// with [`Self::wake_at`] once its machines have run).
    pub fn due(&mut self, now: Duration) -> Option<K> {
        while self.heap.peek().is_some_and(|Reverse((at, _))| *at <= now) {
            let Reverse((at, key)) = self.heap.pop()?;
            if let Some((_, deadline)) = self.items.get_mut(&key).filter(|i| i.1 == Some(at)) {
                *deadline = None;
                return Some(key);
            }
        }
        None
    }

    /// The earliest deadline (perhaps one that moved: waking early is harmless).
    pub fn next(&self) -> Option<Duration> {
        self.heap.peek().map(|Reverse((at, _))| *at)
    }
}
