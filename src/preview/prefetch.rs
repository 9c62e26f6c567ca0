//! Bounded look-ahead: the chunks from the play position on are prepared on the pool,
//! the position's own first, at most `ahead` of them at a time.
//!
//! The player moves the window with [`Prefetcher::focus`] (after every chunk it plays
//! and on every seek) and waits for the chunk it needs with [`Prefetcher::wait`].
//! Chunks behind the window are forgotten; work started for a chunk that left the
//! window, or for an older [`Prefetcher::restart`] (a speed change), is dropped when
//! it ends (a synthesized clip still reaches the clip cache). Nothing is prepared that
//! the window does not hold, so memory and wasted synthesis are bounded by `ahead`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Prepares one chunk at a given generation (the speed it is spoken at, say).
pub type Prepare<T, E> = dyn Fn(usize, u64) -> Result<T, E> + Send + Sync;

enum Slot<T, E> {
    /// Being prepared for this generation.
    Pending,
    /// Ready.
    Ready(Arc<T>),
    /// Failed.
    Failed(Arc<E>),
}

struct State<T, E> {
    generation: u64,
    window: Range<usize>,
    slots: BTreeMap<usize, Slot<T, E>>,
    /// Preparations running now (for tests and figures).
    running: usize,
    /// The most that ever ran or waited at once.
    most_pending: usize,
}

struct Shared<T, E> {
    state: Mutex<State<T, E>>,
    changed: Condvar,
    prepare: Box<Prepare<T, E>>,
}

/// A chunk as the player gets it.
pub enum Fetched<T, E> {
    /// Prepared.
    Ready(Arc<T>),
    /// Its preparation failed.
    Failed(Arc<E>),
    /// Not ready within the wait.
    NotYet,
}

/// Look-ahead over `len` chunks on a rayon pool.
pub struct Prefetcher<T, E> {
    shared: Arc<Shared<T, E>>,
    pool: Arc<rayon::ThreadPool>,
    len: usize,
    ahead: usize,
}

impl<T: Send + Sync + 'static, E: Send + Sync + 'static> Prefetcher<T, E> {
    /// A prefetcher of `len` chunks keeping at most `ahead` prepared or in work.
    pub fn new(
        len: usize,
        ahead: usize,
        pool: Arc<rayon::ThreadPool>,
        prepare: Box<Prepare<T, E>>,
    ) -> Prefetcher<T, E> {
        Prefetcher {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    generation: 0,
                    window: 0..0,
                    slots: BTreeMap::new(),
                    running: 0,
                    most_pending: 0,
                }),
                changed: Condvar::new(),
                prepare,
            }),
            pool,
            len,
            ahead: ahead.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T, E>> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Moves the window to start at `from`: forgets what lies outside it and starts
    /// preparing what it lacks, `from` first.
    pub fn focus(&self, from: usize) {
        let window = from.min(self.len)..(from + self.ahead).min(self.len);
        let mut state = self.lock();
        state.window = window.clone();
        state.slots.retain(|i, _| window.contains(i));
        let generation = state.generation;
        for index in window {
            if state.slots.contains_key(&index) {
                continue;
            }
            state.slots.insert(index, Slot::Pending);
            let shared = Arc::clone(&self.shared);
            self.pool.spawn(move || run(&shared, index, generation));
        }
        state.most_pending = state.most_pending.max(state.slots.len());
    }

    /// Moves the window to `index` only if it lies outside it: several requests for
    /// the chunks just ahead (a web page fetching a few at once) keep each other's
    /// work instead of dropping it.
    pub fn reach(&self, index: usize) {
        let inside = self.lock().window.contains(&index);
        if !inside {
            self.focus(index);
        }
    }

    /// Forgets everything prepared (the chunks are to be made again, at another speed)
    /// and starts a new generation at `from`.
    pub fn restart(&self, from: usize) {
        {
            let mut state = self.lock();
            state.generation += 1;
            state.slots.clear();
        }
        self.focus(from);
    }

    /// The current generation (passed to the preparation).
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Waits up to `timeout` for chunk `index` (the window moves to it if it lies
    /// outside). Past the last chunk, there is nothing to wait for: `NotYet`.
    pub fn wait(&self, index: usize, timeout: Duration) -> Fetched<T, E> {
        if index >= self.len {
            return Fetched::NotYet;
        }
        let deadline = std::time::Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            match state.slots.get(&index) {
                Some(Slot::Ready(t)) => return Fetched::Ready(Arc::clone(t)),
                Some(Slot::Failed(e)) => return Fetched::Failed(Arc::clone(e)),
                Some(Slot::Pending) => {}
                None => {
                    drop(state);
                    self.focus(index);
                    state = self.lock();
                    continue;
                }
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Fetched::NotYet;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// The most chunks that were ever prepared or in work at once.
    pub fn most_pending(&self) -> usize {
        self.lock().most_pending
    }

    /// Preparations running right now.
    pub fn running(&self) -> usize {
        self.lock().running
    }
}

/// One preparation on the pool: skipped if the chunk left the window or the
/// generation changed before it started; its result kept only if still wanted.
fn run<T, E>(shared: &Shared<T, E>, index: usize, generation: u64) {
    let wanted = |state: &State<T, E>| {
        state.generation == generation
            && state.window.contains(&index)
            && matches!(state.slots.get(&index), Some(Slot::Pending))
    };
    {
        let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
        if !wanted(&state) {
            return;
        }
        state.running += 1;
    }
    let result = (shared.prepare)(index, generation);
    let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
    state.running -= 1;
    if wanted(&state) {
        let slot = match result {
            Ok(t) => Slot::Ready(Arc::new(t)),
            Err(e) => Slot::Failed(Arc::new(e)),
        };
        state.slots.insert(index, slot);
    }
    shared.changed.notify_all();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn pool(threads: usize) -> Arc<rayon::ThreadPool> {
        Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap(),
        )
    }

    /// A test prefetcher: each chunk prepares as (index, generation).
    type Test = Prefetcher<(usize, u64), String>;

    /// A prefetcher of 100 chunks whose preparations are recorded in order.
    fn recording(ahead: usize) -> (Test, Arc<Mutex<Vec<usize>>>) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&calls);
        let p = Prefetcher::new(
            100,
            ahead,
            pool(1),
            Box::new(move |i, g| {
                seen.lock().unwrap().push(i);
                Ok::<_, String>((i, g))
            }),
        );
        (p, calls)
    }

    fn ready(p: &Test, i: usize) -> (usize, u64) {
        match p.wait(i, Duration::from_secs(10)) {
            Fetched::Ready(t) => *t,
            Fetched::Failed(e) => panic!("{e}"),
            Fetched::NotYet => panic!("chunk {i} not ready"),
        }
    }

    #[test]
    fn prepares_in_the_window_only_and_in_order_of_need() {
        let (p, calls) = recording(4);
        p.focus(10);
        assert_eq!(ready(&p, 10), (10, 0));
        assert_eq!(ready(&p, 13), (13, 0));
        // One thread: the window was prepared in order, the position first.
        assert_eq!(*calls.lock().unwrap(), vec![10, 11, 12, 13]);
        assert!(p.most_pending() <= 4);
        // Moving on prepares only what enters the window.
        p.focus(12);
        assert_eq!(ready(&p, 15), (15, 0));
        assert_eq!(*calls.lock().unwrap(), vec![10, 11, 12, 13, 14, 15]);
        // The end of the script bounds the window.
        p.focus(98);
        assert_eq!(ready(&p, 99), (99, 0));
        // Past the end there is nothing to wait for.
        assert!(matches!(
            p.wait(100, Duration::from_millis(1)),
            Fetched::NotYet
        ));
    }

    #[test]
    fn a_seek_drops_stale_work_and_a_restart_changes_generation() {
        let started = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&started);
        let p = Prefetcher::new(
            1000,
            3,
            pool(2),
            Box::new(move |i, g| {
                count.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                Ok::<_, String>((i, g))
            }),
        );
        p.focus(0);
        // Seek far away before the first window is done: the old window is not kept.
        p.focus(500);
        assert_eq!(ready(&p, 500), (500, 0));
        assert_eq!(ready(&p, 502), (502, 0));
        // At most the two windows were started, never more.
        assert!(started.load(Ordering::SeqCst) <= 6);
        p.restart(500);
        assert_eq!(p.generation(), 1);
        assert_eq!(ready(&p, 500), (500, 1));
        assert_eq!(ready(&p, 501), (501, 1));
        assert!(p.most_pending() <= 3, "{}", p.most_pending());
    }

    #[test]
    fn reaching_inside_the_window_keeps_it() {
        let (p, calls) = recording(4);
        p.reach(10);
        p.reach(13);
        p.reach(11);
        assert_eq!(ready(&p, 13), (13, 0));
        assert_eq!(ready(&p, 10), (10, 0));
        assert_eq!(*calls.lock().unwrap(), vec![10, 11, 12, 13]);
        p.reach(14);
        assert_eq!(ready(&p, 17), (17, 0));
        assert_eq!(*calls.lock().unwrap(), vec![10, 11, 12, 13, 14, 15, 16, 17]);
    }

    #[test]
    fn failures_are_kept_for_the_chunk() {
        let p = Prefetcher::new(
            5,
            5,
            pool(2),
            Box::new(|i, _| {
                if i == 2 {
                    Err("boom".to_string())
                } else {
                    Ok((i, 0))
                }
            }),
        );
        p.focus(0);
        assert_eq!(ready(&p, 1), (1, 0));
        match p.wait(2, Duration::from_secs(10)) {
            Fetched::Failed(e) => assert_eq!(*e, "boom"),
            _ => panic!("chunk 2 fails"),
        }
    }
}
